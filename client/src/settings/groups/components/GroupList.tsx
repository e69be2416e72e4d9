import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  CreateGroupDocument,
  DeleteGroupDocument,
  GroupsDocument,
  UpdateGroupDocument,
  type GroupFieldsFragment,
} from '@gatehouse/shared/generated';
import { hasPermission, useViewer } from '../../../app/viewer';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { PlusIcon } from '../../../ui/icons';
import { Badge } from '../../../ui/Badge';
import { Menu } from '../../../ui/Menu';
import { Section } from '../../../ui/Section';
import { MembersButton } from '../../access/MembersButton';
import { AssignmentList } from '../../access/AssignmentList';
import { NameDescriptionDialog } from '../../access/NameDescriptionDialog';
import { GroupMembersDialog } from './GroupMembersDialog';
import { QueryResult } from '../../../ui/QueryResult';
import { nameColumns } from '../../../ui/nameColumns';
import { EmptyState } from '../../../ui/EmptyState';
import { useToast } from '../../../ui/Toast';

type Action = { kind: 'create' } | { kind: 'members' | 'delete'; group: GroupFieldsFragment };

export function GroupList() {
  const viewer = useViewer();
  const manage = hasPermission(viewer, 'groups:manage');
  const { data, error, refetch } = useQuery(GroupsDocument);
  const [createGroup] = useMutation(CreateGroupDocument, { refetchQueries: [GroupsDocument] });
  const [updateGroup] = useMutation(UpdateGroupDocument);
  const [deleteGroup] = useMutation(DeleteGroupDocument, { refetchQueries: [GroupsDocument] });
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);
  const toast = useToast();

  const columns: Column<GroupFieldsFragment>[] = [
    ...nameColumns<GroupFieldsFragment>({
      // A group pushed over SCIM keeps the name and members its identity provider gives it.
      canEdit: (group) => manage && !group.managedByIdentityProvider,
      save: (group, input) => updateGroup({ variables: { id: group.id, input } }),
      nameBadge: (group) =>
        group.managedByIdentityProvider && <Badge tone="neutral">Managed by your identity provider</Badge>,
    }),
    {
      key: 'members',
      header: 'Members',
      cell: (group) => (
        <MembersButton
          count={group.memberCount}
          of={group.name}
          onClick={() => setAction({ kind: 'members', group })}
        />
      ),
    },
    {
      key: 'workspaces',
      header: 'Workspace roles',
      cell: (group) => <AssignmentList assignments={group.workspaces} />,
    },
  ];
  if (manage) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (group) =>
        !group.managedByIdentityProvider && (
          <Menu
            label={`Actions for ${group.name}`}
            items={[
              { label: 'Manage members', onSelect: () => setAction({ kind: 'members', group }) },
              { label: 'Delete', tone: 'danger', onSelect: () => setAction({ kind: 'delete', group }) },
            ]}
          />
        ),
    });
  }

  const current = action?.kind === 'members' ? data?.groups.find((group) => group.id === action.group.id) : undefined;

  return (
    <Section
      wide
      title="Groups"
      description="Members of a group inherit the roles the group holds in workspaces."
      actions={
        manage && (
          <Button variant="primary" onClick={() => setAction({ kind: 'create' })}>
            <PlusIcon />
            New group
          </Button>
        )
      }
    >
      <QueryResult error={error} data={data} loadingLabel="Loading groups" onRetry={() => void refetch()}>
        {(data) => (
          <DataTable
            caption="Groups"
            columns={columns}
            rows={data.groups}
            rowKey={(group) => group.id}
            empty={
              <EmptyState
                actionLabel={manage ? 'Create the first group' : undefined}
                onAction={() => setAction({ kind: 'create' })}
              >
                No groups yet. A group gives its members workspace roles together, so access follows the team.
              </EmptyState>
            }
          />
        )}
      </QueryResult>
      {action?.kind === 'create' && (
        <NameDescriptionDialog
          title="New group"
          submitLabel="Create group"
          onSubmit={async (input) => {
            await createGroup({ variables: { input } });
            toast({ text: `${input.name} created.` });
          }}
          onClose={close}
        />
      )}
      {current && (
        <GroupMembersDialog group={current} canManage={manage && !current.managedByIdentityProvider} onClose={close} />
      )}
      {action?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${action.group.name}?`}
          confirmLabel="Delete group"
          onClose={close}
          onConfirm={async () => {
            await deleteGroup({ variables: { id: action.group.id } });
            close();
            toast({ text: `${action.group.name} is deleted.` });
          }}
        >
          <p>Its members lose the workspace roles they had through it. The members themselves stay.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
