import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { DeleteRoleDocument, RolesDocument, type RoleFieldsFragment } from '@gatehouse/shared/generated';
import { hasPermission, useViewer } from '../../../app/viewer';
import { Badge } from '../../../ui/Badge';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { PlusIcon } from '../../../ui/icons';
import { Menu, type MenuItem } from '../../../ui/Menu';
import { Section } from '../../../ui/Section';
import { useToast } from '../../../ui/Toast';
import { RoleDialog, SCOPE_LABELS } from './RoleDialog';
import { QueryResult } from '../../../ui/QueryResult';

type Action = { kind: 'create' } | { kind: 'edit' | 'delete'; role: RoleFieldsFragment };

export function RoleList() {
  const viewer = useViewer();
  const manage = hasPermission(viewer, 'roles:manage');
  const { data, error, refetch } = useQuery(RolesDocument);
  const [deleteRole] = useMutation(DeleteRoleDocument, { refetchQueries: [RolesDocument] });
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);
  const toast = useToast();

  // Built-in roles are fixed; a role someone holds cannot be deleted (the Members column says who).
  function menuItems(role: RoleFieldsFragment): MenuItem[] {
    if (role.builtIn) return [];
    const items: MenuItem[] = [{ label: 'Edit', onSelect: () => setAction({ kind: 'edit', role }) }];
    if (role.memberCount === 0) {
      items.push({ label: 'Delete', tone: 'danger', onSelect: () => setAction({ kind: 'delete', role }) });
    }
    return items;
  }

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
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (role) => <Menu label={`Actions for ${role.name}`} items={menuItems(role)} />,
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
            toast({ text: `${action.role.name} is deleted.` });
          }}
        >
          <p>Nobody holds it, so nobody loses access.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
