import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  AccessOptionsDocument,
  RemoveWorkspaceMemberDocument,
  SetWorkspaceRoleDocument,
  type PrincipalFieldsFragment,
  type WorkspaceFieldsFragment,
} from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { Dialog } from '../../../ui/Dialog';
import { formErrors } from '../../../ui/formErrors';
import { SelectField } from '../../../ui/SelectField';
import { type FormatDateTime, useFormatDateTime } from '../../../ui/dates';
import { rolesOfScope } from '../../access/AssignmentFields';
import { WhyDialog } from '../../access/WhyDialog';
import { PrincipalPicker } from '../../access/PrincipalPicker';

type DirectMember = WorkspaceFieldsFragment['members'][number];
type EffectiveMember = WorkspaceFieldsFragment['effectiveMembers'][number];

const ANY_PRINCIPAL = ['USER', 'SERVICE_ACCOUNT', 'GROUP'] as const;
const KIND_LABELS = { USER: 'User', SERVICE_ACCOUNT: 'Service account', GROUP: 'Group' } as const;

function PrincipalCell({ principal }: { principal: PrincipalFieldsFragment }) {
  return (
    <span className="cell-stack">
      {principal.name}
      <span className="cell-sub">{principal.email ?? KIND_LABELS[principal.kind]}</span>
    </span>
  );
}

function sourceText(member: EffectiveMember, formatDateTime: FormatDateTime): string {
  return member.sources
    .map((source) => {
      const until = source.expiresAt ? ` until ${formatDateTime(source.expiresAt)}` : '';
      if (source.kind === 'GROUP') return `${source.role.name} via ${source.group?.name ?? 'a group'}${until}`;
      if (source.kind === 'TENANT_ADMIN') return `${source.role.name} as an Admin${until}`;
      return `${source.role.name} (direct)${until}`;
    })
    .join(', ');
}

/** Who holds a role in the workspace directly, and everyone's effective role with where it comes from. */
export function WorkspaceMembersDialog({
  workspace,
  canManage,
  onClose,
}: {
  workspace: WorkspaceFieldsFragment;
  canManage: boolean;
  onClose: () => void;
}) {
  const options = useQuery(AccessOptionsDocument);
  const [setWorkspaceRole, { loading }] = useMutation(SetWorkspaceRoleDocument);
  const [removeWorkspaceMember] = useMutation(RemoveWorkspaceMemberDocument);
  const workspaceRoles = options.data ? rolesOfScope(options.data, 'WORKSPACE') : [];
  const roleOptions = workspaceRoles.map((role) => ({ value: role.id, label: role.name }));
  const [principalId, setPrincipalId] = useState('');
  const [roleId, setRoleId] = useState('viewer');
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<PrincipalFieldsFragment | null>(null);
  const [explaining, setExplaining] = useState<PrincipalFieldsFragment | null>(null);
  const formatDateTime = useFormatDateTime();

  async function assign(targetId: string, targetRoleId: string) {
    setError(null);
    try {
      await setWorkspaceRole({
        variables: { input: { workspaceId: workspace.id, principalId: targetId, roleId: targetRoleId } },
      });
      return true;
    } catch (caught) {
      setError(formErrors(caught, []).form);
      return false;
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    if (principalId && (await assign(principalId, roleId))) setPrincipalId('');
  }

  if (explaining) {
    return (
      <WhyDialog
        principalId={explaining.id}
        name={explaining.name}
        workspaces={[workspace]}
        initialWorkspaceId={workspace.id}
        onClose={() => setExplaining(null)}
      />
    );
  }

  if (removing) {
    return (
      <ConfirmDialog
        title={`Remove ${removing.name} from ${workspace.name}?`}
        confirmLabel="Remove from workspace"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          await removeWorkspaceMember({ variables: { workspaceId: workspace.id, principalId: removing.id } });
          setRemoving(null);
        }}
      >
        <p>
          {removing.kind === 'GROUP'
            ? 'Its members lose the role they had through it.'
            : 'They lose their direct role here; roles through groups stay.'}
        </p>
      </ConfirmDialog>
    );
  }

  const directColumns: Column<DirectMember>[] = [
    { key: 'name', header: 'Name', cell: (member) => <PrincipalCell principal={member.principal} /> },
    {
      key: 'role',
      header: 'Role',
      cell: (member) =>
        canManage && roleOptions.length > 0 ? (
          <SelectField
            compact
            label={`Role of ${member.principal.name}`}
            options={roleOptions}
            value={member.role.id}
            onChange={(next) => void assign(member.principal.id, next)}
          />
        ) : (
          member.role.name
        ),
    },
  ];
  if (canManage) {
    directColumns.push({
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (member) => (
        <Button size="sm" aria-label={`Remove ${member.principal.name}`} onClick={() => setRemoving(member.principal)}>
          Remove
        </Button>
      ),
    });
  }

  return (
    <Dialog title={`Members of ${workspace.name}`} onClose={onClose} size="lg">
      {error && <Alert tone="error">{error}</Alert>}
      {canManage && (
        <form className="form-row form-row-compact form-row-end" onSubmit={add} noValidate>
          <PrincipalPicker
            kinds={ANY_PRINCIPAL}
            exclude={new Set(workspace.members.map((member) => member.principal.id))}
            value={principalId}
            onChange={setPrincipalId}
          />
          <SelectField label="Role" options={roleOptions} value={roleId} onChange={setRoleId} />
          <Button type="submit" variant="primary" busy={loading} disabled={!principalId}>
            Add
          </Button>
        </form>
      )}
      <h3 className="dialog-subheading">Direct roles</h3>
      <DataTable
        caption="Direct roles"
        columns={directColumns}
        rows={workspace.members}
        rowKey={(member) => member.principal.id}
        empty={<p>Nobody holds a role here directly.</p>}
      />
      <h3 className="dialog-subheading">Effective access</h3>
      <DataTable
        caption="Effective access"
        rows={workspace.effectiveMembers}
        rowKey={(member) => member.principal.id}
        empty={<p>Nobody has access yet.</p>}
        columns={[
          { key: 'name', header: 'Name', cell: (member) => <PrincipalCell principal={member.principal} /> },
          { key: 'role', header: 'Effective role', cell: (member) => member.role.name },
          {
            key: 'source',
            header: 'From',
            cell: (member) => <span className="cell-sub">{sourceText(member, formatDateTime)}</span>,
          },
          {
            key: 'why',
            header: 'Explain',
            hideHeader: true,
            className: 'cell-actions',
            cell: (member) => (
              <Button
                size="sm"
                aria-label={`Why? Permissions of ${member.principal.name}`}
                onClick={() => setExplaining(member.principal)}
              >
                Why?
              </Button>
            ),
          },
        ]}
      />
    </Dialog>
  );
}
