import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  CreateWorkspaceDocument,
  DeleteWorkspaceDocument,
  UpdateWorkspaceDocument,
  WorkspacesDocument,
  type WorkspaceFieldsFragment,
} from '@gatehouse/shared/generated';
import { hasPermission, useViewer } from '../../../app/viewer';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { useFormatDateTime } from '../../../ui/dates';
import { PlusIcon } from '../../../ui/icons';
import { Menu, type MenuItem } from '../../../ui/Menu';
import { Section } from '../../../ui/Section';
import { useToast } from '../../../ui/Toast';
import { MembersButton } from '../../access/MembersButton';
import { NameDescriptionDialog } from '../../access/NameDescriptionDialog';
import { WorkspaceMembersDialog } from './WorkspaceMembersDialog';
import { QueryResult } from '../../../ui/QueryResult';
import { nameColumns } from '../../../ui/nameColumns';
import { EmptyState } from '../../../ui/EmptyState';

type Action = { kind: 'create' } | { kind: 'members' | 'delete'; workspace: WorkspaceFieldsFragment };

const can = (workspace: WorkspaceFieldsFragment, permission: string) =>
  workspace.viewerPermissions.includes(permission);

export function WorkspaceList() {
  const viewer = useViewer();
  const formatDateTime = useFormatDateTime();
  const { data, error, refetch } = useQuery(WorkspacesDocument);
  const [createWorkspace] = useMutation(CreateWorkspaceDocument, { refetchQueries: [WorkspacesDocument] });
  const [updateWorkspace] = useMutation(UpdateWorkspaceDocument);
  const [deleteWorkspace] = useMutation(DeleteWorkspaceDocument, { refetchQueries: [WorkspacesDocument] });
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);
  const toast = useToast();

  function menuItems(workspace: WorkspaceFieldsFragment): MenuItem[] {
    const items: MenuItem[] = [{ label: 'Members', onSelect: () => setAction({ kind: 'members', workspace }) }];
    if (can(workspace, 'workspace:delete')) {
      items.push({ label: 'Delete', tone: 'danger', onSelect: () => setAction({ kind: 'delete', workspace }) });
    }
    return items;
  }

  const columns: Column<WorkspaceFieldsFragment>[] = [
    ...nameColumns<WorkspaceFieldsFragment>({
      canEdit: (workspace) => can(workspace, 'workspace:update'),
      save: (workspace, input) => updateWorkspace({ variables: { id: workspace.id, input } }),
    }),
    {
      key: 'members',
      header: 'Members',
      cell: (workspace) => (
        <MembersButton
          count={workspace.memberCount}
          of={workspace.name}
          onClick={() => setAction({ kind: 'members', workspace })}
        />
      ),
    },
    {
      key: 'created',
      header: 'Created',
      className: 'cell-nowrap',
      cell: (workspace) => formatDateTime.date(workspace.createdAt),
    },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (workspace) => <Menu label={`Actions for ${workspace.name}`} items={menuItems(workspace)} />,
    },
  ];

  const current =
    action?.kind === 'members' ? data?.workspaces.find((workspace) => workspace.id === action.workspace.id) : undefined;

  return (
    <Section
      wide
      title="Workspaces"
      description="Members hold Owner, Contributor or Viewer in a workspace, directly or through a group. Admins are Owners everywhere."
      actions={
        hasPermission(viewer, 'workspaces:create') && (
          <Button variant="primary" onClick={() => setAction({ kind: 'create' })}>
            <PlusIcon />
            New workspace
          </Button>
        )
      }
    >
      <QueryResult error={error} data={data} loadingLabel="Loading workspaces" onRetry={() => void refetch()}>
        {(data) => (
          <DataTable
            caption="Workspaces"
            columns={columns}
            rows={data.workspaces}
            rowKey={(workspace) => workspace.id}
            empty={
              <EmptyState
                actionLabel={hasPermission(viewer, 'workspaces:create') ? 'Create the first workspace' : undefined}
                onAction={() => setAction({ kind: 'create' })}
              >
                No workspaces you can see yet. A workspace holds a team’s content; people and groups get a role in it.
              </EmptyState>
            }
          />
        )}
      </QueryResult>
      {action?.kind === 'create' && (
        <NameDescriptionDialog
          title="New workspace"
          description="You become its Owner."
          submitLabel="Create workspace"
          onSubmit={async (input) => {
            await createWorkspace({ variables: { input } });
            toast({ text: `${input.name} created.` });
          }}
          onClose={close}
        />
      )}
      {current && (
        <WorkspaceMembersDialog
          workspace={current}
          canManage={can(current, 'workspace:members:manage')}
          onClose={close}
        />
      )}
      {action?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${action.workspace.name}?`}
          confirmLabel="Delete workspace"
          typeToConfirm="delete"
          onClose={close}
          onConfirm={async () => {
            await deleteWorkspace({ variables: { id: action.workspace.id } });
            close();
            toast({ text: `${action.workspace.name} is deleted.` });
          }}
        >
          <p>The workspace and every role in it are removed for good.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
