import { useState, type FormEvent } from 'react';
import { useQuery } from '@apollo/client/react';
import { AccessOptionsDocument } from '@gatehouse/shared/generated';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { formErrors } from '../../ui/formErrors';
import { SelectField } from '../../ui/SelectField';
import { rolesOfScope } from './AssignmentFields';

/** Picks another tenant role for a member or service account. */
export function ChangeRoleDialog({
  name,
  currentRole,
  onSave,
  onClose,
}: {
  name: string;
  currentRole: { id: string; name: string };
  onSave: (roleId: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const options = useQuery(AccessOptionsDocument);
  const [roleId, setRoleId] = useState(currentRole.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      await onSave(roleId);
      onClose();
    } catch (caught) {
      setError(formErrors(caught, []).form);
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Change the role of ${name}`} onClose={onClose} dismissible={!busy}>
      <form className="form" onSubmit={handleSubmit} noValidate>
        {error && <Alert tone="error">{error}</Alert>}
        <SelectField
          label="Role"
          value={roleId}
          onChange={setRoleId}
          options={(options.data ? rolesOfScope(options.data, 'TENANT') : [currentRole]).map((role) => ({
            value: role.id,
            label: role.name,
          }))}
          hint="You can give only a role whose permissions you hold yourself."
        />
        <div className="dialog-actions">
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={busy} disabled={roleId === currentRole.id}>
            Change role
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
