import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  DeleteServiceAccountDocument,
  ServiceAccountsDocument,
  UpdateServiceAccountDocument,
  type ServiceAccountFieldsFragment,
  type UpdateServiceAccountInput,
} from '@gatehouse/shared/generated';
import { hasPermission, useViewer } from '../../../app/viewer';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { useFormatDateTime } from '../../../ui/dates';
import { Dialog } from '../../../ui/Dialog';
import { PlusIcon } from '../../../ui/icons';
import { Menu, type MenuItem } from '../../../ui/Menu';
import { Section } from '../../../ui/Section';
import { useReportedAction, useToast } from '../../../ui/Toast';
import { AssignmentList, NameList } from '../../access/AssignmentList';
import { ChangeRoleDialog } from '../../access/ChangeRoleDialog';
import { GroupMembershipDialog } from '../../access/GroupMembershipDialog';
import { MemberStatusBadge } from '../../access/MemberStatusBadge';
import { ApiKeyList } from '../../api-keys/components/ApiKeyList';
import { NewServiceAccountDialog } from './NewServiceAccountDialog';
import { QueryResult } from '../../../ui/QueryResult';
import { nameColumns } from '../../../ui/nameColumns';
import { EmptyState } from '../../../ui/EmptyState';

type Action =
  | { kind: 'create' }
  | { kind: 'keys' | 'role' | 'groups' | 'deactivate' | 'delete'; account: ServiceAccountFieldsFragment };

export function ServiceAccountList() {
  const viewer = useViewer();
  const manage = hasPermission(viewer, 'serviceAccounts:manage');
  const manageGroups = hasPermission(viewer, 'groups:manage');
  const formatDateTime = useFormatDateTime();
  const { data, error, refetch } = useQuery(ServiceAccountsDocument);
  const refetchQueries = [ServiceAccountsDocument];
  const [updateServiceAccount] = useMutation(UpdateServiceAccountDocument, { refetchQueries });
  const [deleteServiceAccount] = useMutation(DeleteServiceAccountDocument, { refetchQueries });
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);
  const toast = useToast();
  const report = useReportedAction();

  const update = (id: string, input: UpdateServiceAccountInput) => updateServiceAccount({ variables: { id, input } });

  const reactivate = (account: ServiceAccountFieldsFragment) =>
    report(() => update(account.id, { status: 'ACTIVE' }), { text: `${account.name} is active again.` });

  function menuItems(account: ServiceAccountFieldsFragment): MenuItem[] {
    return [
      { label: 'Manage keys', onSelect: () => setAction({ kind: 'keys', account }) },
      { label: 'Change role', onSelect: () => setAction({ kind: 'role', account }) },
      account.status === 'ACTIVE'
        ? { label: 'Deactivate', tone: 'danger', onSelect: () => setAction({ kind: 'deactivate', account }) }
        : { label: 'Reactivate', onSelect: () => void reactivate(account) },
      { label: 'Delete', tone: 'danger', onSelect: () => setAction({ kind: 'delete', account }) },
    ];
  }

  const columns: Column<ServiceAccountFieldsFragment>[] = [
    ...nameColumns<ServiceAccountFieldsFragment>({
      canEdit: manage,
      save: (account, input) => update(account.id, input),
    }),
    { key: 'status', header: 'Status', cell: (account) => <MemberStatusBadge status={account.status} /> },
    { key: 'role', header: 'Role', cell: (account) => account.role.name },
    {
      key: 'groups',
      header: 'Groups',
      cell: (account) => (
        <span className="cell-with-badge">
          <NameList items={account.groups} />
          {manageGroups && (
            <Button
              size="sm"
              aria-label={`Edit groups of ${account.name}`}
              onClick={() => setAction({ kind: 'groups', account })}
            >
              Edit
            </Button>
          )}
        </span>
      ),
    },
    { key: 'workspaces', header: 'Workspaces', cell: (account) => <AssignmentList assignments={account.workspaces} /> },
    {
      key: 'created',
      header: 'Created',
      className: 'cell-nowrap',
      cell: (account) => formatDateTime.date(account.createdAt),
    },
  ];
  if (manage) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (account) => <Menu label={`Actions for ${account.name}`} items={menuItems(account)} />,
    });
  }

  return (
    <Section
      wide
      title="Service accounts"
      description="Non-human members for programs and integrations. They never sign in; they act only through their API keys."
      actions={
        manage && (
          <Button variant="primary" onClick={() => setAction({ kind: 'create' })}>
            <PlusIcon />
            New service account
          </Button>
        )
      }
    >
      <QueryResult error={error} data={data} loadingLabel="Loading service accounts" onRetry={() => void refetch()}>
        {(data) => (
          <DataTable
            caption="Service accounts"
            columns={columns}
            rows={data.serviceAccounts}
            rowKey={(account) => account.id}
            empty={
              <EmptyState
                actionLabel={manage ? 'Create the first service account' : undefined}
                onAction={() => setAction({ kind: 'create' })}
              >
                No service accounts yet. A service account lets a program act in the organization through its own API
                keys.
              </EmptyState>
            }
          />
        )}
      </QueryResult>

      {action?.kind === 'create' && <NewServiceAccountDialog onClose={close} />}
      {action?.kind === 'keys' && (
        <Dialog title={`API keys of ${action.account.name}`} onClose={close} size="lg">
          <ApiKeyList ownerId={action.account.id} canManage={manage} />
        </Dialog>
      )}
      {action?.kind === 'role' && (
        <ChangeRoleDialog
          name={action.account.name}
          currentRole={action.account.role}
          onSave={async (roleId) => {
            const { data } = await update(action.account.id, { roleId });
            toast({
              text: `${action.account.name} is now ${data?.updateServiceAccount.role.name ?? 'in its new role'}.`,
            });
          }}
          onClose={close}
        />
      )}
      {action?.kind === 'groups' && (
        <GroupMembershipDialog
          principalId={action.account.id}
          principalName={action.account.name}
          currentGroupIds={action.account.groups.map((group) => group.id)}
          onClose={close}
        />
      )}
      {action?.kind === 'deactivate' && (
        <ConfirmDialog
          title={`Deactivate ${action.account.name}?`}
          confirmLabel="Deactivate"
          onClose={close}
          onConfirm={async () => {
            const { account } = action;
            await update(account.id, { status: 'INACTIVE' });
            close();
            toast({ text: `${account.name} is deactivated.`, undo: () => void reactivate(account) });
          }}
        >
          <p>Its API keys stop working at once, until you reactivate it.</p>
        </ConfirmDialog>
      )}
      {action?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${action.account.name}?`}
          confirmLabel="Delete service account"
          typeToConfirm="delete"
          onClose={close}
          onConfirm={async () => {
            await deleteServiceAccount({ variables: { id: action.account.id } });
            close();
            toast({ text: `${action.account.name} is deleted.` });
          }}
        >
          <p>The account and its API keys are removed for good; programs using them stop working at once.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
