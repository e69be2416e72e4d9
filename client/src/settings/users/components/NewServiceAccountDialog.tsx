import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { LIMITS } from '@gatehouse/shared';
import {
  AccessOptionsDocument,
  CreateServiceAccountDocument,
  ServiceAccountsDocument,
} from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { formErrors } from '../../../ui/formErrors';
import { Spinner } from '../../../ui/Spinner';
import { useForm } from '../../../ui/useForm';
import {
  AssignmentFields,
  assignmentsInput,
  initialAssignments,
  type Assignments,
} from '../../access/AssignmentFields';
import { SecretDialog } from '../../api-keys/components/SecretDialog';

/** "New service account": the form, then the one-time reveal of its first key. */
export function NewServiceAccountDialog({ onClose }: { onClose: () => void }) {
  const options = useQuery(AccessOptionsDocument);
  const [createServiceAccount, { loading }] = useMutation(CreateServiceAccountDocument, {
    refetchQueries: [ServiceAccountsDocument],
  });
  const form = useForm({ name: '', description: '' });
  const [assignments, setAssignments] = useState<Assignments | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const current = assignments ?? (options.data ? initialAssignments(options.data) : null);

  if (secret) return <SecretDialog title="Save the service account's key" secret={secret} onDone={onClose} />;

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ name: 'Name is required.' }) || !current) return;
    try {
      const { data } = await createServiceAccount({
        variables: {
          input: {
            name: form.values.name.trim(),
            description: form.values.description.trim() || null,
            ...assignmentsInput(current),
          },
        },
      });
      if (data) setSecret(data.createServiceAccount.secret);
    } catch (caught) {
      form.showError(caught);
    }
  }

  return (
    <Dialog
      title="New service account"
      description="Its first API key is created with it and shown once."
      onClose={onClose}
      size="lg"
    >
      {options.error ? (
        <Alert tone="error">{formErrors(options.error, []).form}</Alert>
      ) : !options.data || !current ? (
        <Spinner label="Loading" />
      ) : (
        <form className="form" onSubmit={handleSubmit} noValidate>
          {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
          <Field label="Name" maxLength={LIMITS.nameMaxLength} autoComplete="off" autoFocus {...form.bind('name')} />
          <Field
            label="Description"
            maxLength={LIMITS.descriptionMaxLength}
            autoComplete="off"
            hint="Optional: which program uses it."
            {...form.bind('description')}
          />
          <AssignmentFields options={options.data} value={current} onChange={setAssignments} />
          <div className="dialog-actions">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" busy={loading}>
              Create service account
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
