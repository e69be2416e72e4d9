import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { LIMITS } from '@gatehouse/shared';
import {
  CreateRoleDocument,
  RolesDocument,
  UpdateRoleDocument,
  type PermissionScope,
  type RoleFieldsFragment,
  type RolesQuery,
} from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { CheckboxList } from '../../../ui/CheckboxList';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { SegmentedControl } from '../../../ui/SegmentedControl';
import { useToast } from '../../../ui/Toast';
import { useForm } from '../../../ui/useForm';

export const SCOPE_LABELS = { TENANT: 'Organization', WORKSPACE: 'Workspace' } as const;

const SCOPES = (['TENANT', 'WORKSPACE'] as const).map((value) => ({ value, label: SCOPE_LABELS[value] }));

/** Creates a custom role, or edits one (its scope is fixed once created). */
export function RoleDialog({
  role,
  catalog,
  onClose,
}: {
  role: RoleFieldsFragment | null;
  catalog: RolesQuery['permissionCatalog'];
  onClose: () => void;
}) {
  const [createRole, { loading: creating }] = useMutation(CreateRoleDocument, { refetchQueries: [RolesDocument] });
  const [updateRole, { loading: updating }] = useMutation(UpdateRoleDocument);
  const toast = useToast();
  const form = useForm({ name: role?.name ?? '', description: role?.description ?? '' });
  const [scope, setScope] = useState<PermissionScope>(role?.scope ?? 'TENANT');
  const [permissions, setPermissions] = useState<ReadonlySet<string>>(new Set(role?.permissions ?? []));
  const [permissionsError, setPermissionsError] = useState<string | null>(null);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const named = form.checkRequired({ name: 'Name is required.' });
    const chosen = catalog.filter((permission) => permission.scope === scope && permissions.has(permission.name));
    setPermissionsError(chosen.length ? null : 'Choose at least one permission.');
    if (!named || chosen.length === 0) return;
    const fields = {
      name: form.values.name.trim(),
      description: form.values.description.trim(),
      permissions: chosen.map((permission) => permission.name),
    };
    try {
      if (role) await updateRole({ variables: { id: role.id, input: fields } });
      else await createRole({ variables: { input: { ...fields, scope } } });
      onClose();
      toast({ text: role ? `${fields.name} saved.` : `${fields.name} created.` });
    } catch (caught) {
      form.showError(caught);
    }
  }

  return (
    <Dialog
      title={role ? `Edit ${role.name}` : 'New role'}
      description="You can include only permissions you hold yourself."
      onClose={onClose}
      size="lg"
    >
      <form className="form" onSubmit={handleSubmit} noValidate>
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        <Field label="Name" maxLength={LIMITS.nameMaxLength} autoComplete="off" autoFocus {...form.bind('name')} />
        <Field
          label="Description"
          maxLength={LIMITS.descriptionMaxLength}
          autoComplete="off"
          {...form.bind('description')}
        />
        {!role && (
          <fieldset className="fieldset">
            <legend className="field-label">Scope</legend>
            <SegmentedControl label="Scope" options={SCOPES} value={scope} onChange={setScope} />
            <p className="field-hint">
              {scope === 'TENANT'
                ? 'Held in the organization, like Admin, Builder and Consumer.'
                : 'Held in a workspace, like Owner, Contributor and Viewer.'}
            </p>
          </fieldset>
        )}
        <div className="scope-picker scope-picker-tall" aria-invalid={permissionsError ? true : undefined}>
          <CheckboxList
            legend="Permissions"
            options={catalog
              .filter((permission) => permission.scope === scope)
              .map((permission) => ({
                value: permission.name,
                label: <code>{permission.name}</code>,
                description: permission.description,
              }))}
            selected={permissions}
            onChange={(next) => {
              setPermissions(next);
              setPermissionsError(null);
            }}
            empty="No permissions."
          />
        </div>
        {permissionsError && (
          <p className="field-error" role="alert">
            {permissionsError}
          </p>
        )}
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={creating || updating}>
            {role ? 'Save role' : 'Create role'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
