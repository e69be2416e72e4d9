import type { FormEvent } from 'react';
import { LIMITS } from '@gatehouse/shared';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Field } from '../../ui/Field';
import { useForm } from '../../ui/useForm';

/** Creates something that is just a name and a description, such as a group or a workspace. */
export function NameDescriptionDialog({
  title,
  description,
  submitLabel,
  onSubmit,
  onClose,
}: {
  title: string;
  description?: string;
  submitLabel: string;
  onSubmit: (input: { name: string; description: string | null }) => Promise<unknown>;
  onClose: () => void;
}) {
  const form = useForm({ name: '', description: '' });

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ name: 'Name is required.' })) return;
    try {
      await onSubmit({ name: form.values.name.trim(), description: form.values.description.trim() || null });
      onClose();
    } catch (caught) {
      form.showError(caught);
    }
  }

  return (
    <Dialog title={title} description={description} onClose={onClose}>
      <form className="form" onSubmit={handleSubmit} noValidate>
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        <Field label="Name" maxLength={LIMITS.nameMaxLength} autoComplete="off" autoFocus {...form.bind('name')} />
        <Field
          label="Description"
          maxLength={LIMITS.descriptionMaxLength}
          autoComplete="off"
          {...form.bind('description')}
        />
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary">
            {submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
