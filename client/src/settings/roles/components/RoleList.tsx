import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { DeleteRoleDocument, RolesDocument, type RoleFieldsFragment } from '@gatehouse/shared/generated';
import { hasPermission, useViewer } from '../../../app/viewer';
import { Badge } from '../../../ui/Badge';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { PlusIcon } from '../../../ui/icons';
import { Section } from '../../../ui/Section';
import { RoleDialog, SCOPE_LABELS } from './RoleDialog';
import { QueryResult } from '../../../ui/QueryResult';

type Action = { kind: 'create' } | { kind: 'edit' | 'delete'; role: RoleFieldsFragment };

function whyNotDeletable(role: RoleFieldsFragment): string | null {
  if (role.builtIn) return 'Built-in roles cannot be deleted.';
  if (role.memberCount > 0) return 'Roles that someone holds cannot be deleted: give them another role first.';
  return null;
}

export function RoleList() {
  const viewer = useViewer();
  const manage = hasPermission(viewer, 'roles:manage');
  const { data, error, refetch } = useQuery(RolesDocument);
  const [deleteRole] = useMutation(DeleteRoleDocument, { refetchQueries: [RolesDocument] });
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);

  const columns: Column<RoleFieldsFragment>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (role) => (
        <span className="cell-stack">
          <span className="cell-with-badge">
            {role.name}
            <Badge tone={role.builtIn ? 'neutral' : 'accent'}>{role.builtIn ? 'Built-in' : 'Custom'}</Badge>
          </span>
          {role.description && <span className="cell-sub">{role.description}</span>}
        </span>
      ),
    },
    { key: 'scope', header: 'Scope', cell: (role) => SCOPE_LABELS[role.scope] },
    {
      key: 'permissions',
      header: 'Permissions',
      cell: (role) => (
        <details className="permission-details">
          <summary>{role.permissions.length === 1 ? '1 permission' : `${role.permissions.length} permissions`}</summary>
          <ul className="inline-list">
            {role.permissions.map((permission) => (
              <li key={permission}>
                <code>{permission}</code>
              </li>
            ))}
          </ul>
        </details>
      ),
    },
    { key: 'members', header: 'Members', className: 'cell-nowrap', cell: (role) => role.memberCount },
  ];
  if (manage) {
    columns.push({
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      className: 'cell-actions cell-nowrap',
      cell: (role) => {
        const reason = whyNotDeletable(role);
        return role.builtIn ? null : (
          <span className="row-actions">
            <Button size="sm" onClick={() => setAction({ kind: 'edit', role })}>
              Edit
            </Button>
            <Button
              size="sm"
              variant="danger"
              disabled={Boolean(reason)}
              title={reason ?? undefined}
              aria-label={`Delete ${role.name}`}
              onClick={() => setAction({ kind: 'delete', role })}
            >
              Delete
            </Button>
          </span>
        );
      },
    });
  }

  return (
    <Section
      wide
      title="Roles"
      description="A role is a set of permissions, held in the organization or in a workspace."
      actions={
        manage && (
          <Button variant="primary" onClick={() => setAction({ kind: 'create' })}>
            <PlusIcon />
            New role
          </Button>
        )
      }
    >
      <QueryResult error={error} data={data} loadingLabel="Loading roles" onRetry={() => void refetch()}>
        {(data) => (
          <DataTable
            caption="Roles"
            columns={columns}
            rows={data.roles}
            rowKey={(role) => role.id}
            empty={<p>No roles.</p>}
          />
        )}
      </QueryResult>
      {data && (action?.kind === 'create' || action?.kind === 'edit') && (
        <RoleDialog
          role={action.kind === 'edit' ? action.role : null}
          catalog={data.permissionCatalog}
          onClose={close}
        />
      )}
      {action?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${action.role.name}?`}
          confirmLabel="Delete role"
          onClose={close}
          onConfirm={async () => {
            await deleteRole({ variables: { id: action.role.id } });
            close();
          }}
        >
          <p>Nobody holds it, so nobody loses access.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
