import { useEffect, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { LIMITS } from '@gatehouse/shared';
import {
  AccessOptionsDocument,
  CancelInvitationDocument,
  MembersDocument,
  RemoveMemberDocument,
  ResendInvitationDocument,
  UpdateMemberDocument,
  type MemberFieldsFragment,
  type MemberStatus,
} from '@gatehouse/shared/generated';
import { hasPermission, useViewer } from '../../../app/viewer';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable, type Column } from '../../../ui/DataTable';
import { useFormatDateTime } from '../../../ui/dates';
import { Field } from '../../../ui/Field';
import { PlusIcon } from '../../../ui/icons';
import { Menu, type MenuItem } from '../../../ui/Menu';
import { Section } from '../../../ui/Section';
import { SelectField } from '../../../ui/SelectField';
import { useReportedAction, useToast } from '../../../ui/Toast';
import { AssignmentList, NameList } from '../../access/AssignmentList';
import { ChangeRoleDialog } from '../../access/ChangeRoleDialog';
import { GroupMembershipDialog } from '../../access/GroupMembershipDialog';
import { MEMBER_STATUS_LABELS, MemberStatusBadge } from '../../access/MemberStatusBadge';
import { InviteDialog } from './InviteDialog';
import { LoadMore, QueryResult } from '../../../ui/QueryResult';
import { appendPage } from '../../../ui/appendPage';

const PAGE_SIZE = 25;

const SEARCH_DELAY_MS = 300;

type Action =
  { kind: 'invite' } | { kind: 'role' | 'groups' | 'deactivate' | 'remove' | 'cancel'; member: MemberFieldsFragment };

export function memberName(member: MemberFieldsFragment): string {
  const name = [member.user?.firstName, member.user?.lastName].filter(Boolean).join(' ');
  return name || member.email;
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

export function MemberList() {
  const viewer = useViewer();
  const manage = hasPermission(viewer, 'members:manage');
  const manageGroups = hasPermission(viewer, 'groups:manage');
  const formatDateTime = useFormatDateTime();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [roleId, setRoleId] = useState('');
  const debouncedSearch = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const filter = {
    search: debouncedSearch || null,
    status: status ? [status as MemberStatus] : null,
    roleId: roleId || null,
  };
  const { data, error, refetch, fetchMore, loading } = useQuery(MembersDocument, {
    variables: { first: PAGE_SIZE, filter },
  });
  const options = useQuery(AccessOptionsDocument);
  const refetchQueries = [MembersDocument];
  const [updateMember] = useMutation(UpdateMemberDocument, { refetchQueries });
  const [removeMember] = useMutation(RemoveMemberDocument, { refetchQueries });
  const [resendInvitation] = useMutation(ResendInvitationDocument, { refetchQueries });
  const [cancelInvitation] = useMutation(CancelInvitationDocument, { refetchQueries });
  const [action, setAction] = useState<Action | null>(null);
  const toast = useToast();
  const close = () => setAction(null);

  const members = data?.members.nodes ?? [];
  const pageInfo = data?.members.pageInfo;

  const report = useReportedAction();
  const run = (operation: () => Promise<unknown>, text: string, undo?: () => void) => report(operation, { text, undo });

  const setMemberStatus = (member: MemberFieldsFragment, status: 'ACTIVE' | 'INACTIVE') =>
    updateMember({ variables: { input: { userId: member.id, status } } });

  function menuItems(member: MemberFieldsFragment): MenuItem[] {
    const name = memberName(member);
    if (member.status === 'INVITED' || member.status === 'INVITATION_EXPIRED') {
      return [
        {
          label: 'Resend invitation',
          onSelect: () =>
            void run(
              () => resendInvitation({ variables: { id: member.id } }),
              `A new invitation was sent to ${member.email}.`,
            ),
        },
        { label: 'Cancel invitation', tone: 'danger', onSelect: () => setAction({ kind: 'cancel', member }) },
      ];
    }
    // Not on your own row: you cannot lock yourself out (and may be the last Admin); you leave an
    // organization from your profile.
    if (member.user?.id === viewer.user.id) return [];
    const items: MenuItem[] = [{ label: 'Change role', onSelect: () => setAction({ kind: 'role', member }) }];
    // Status and membership follow the identity provider (SCIM), which would undo a change made here.
    if (member.managedByIdentityProvider) return items;
    if (member.status === 'ACTIVE') {
      items.push({ label: 'Deactivate', tone: 'danger', onSelect: () => setAction({ kind: 'deactivate', member }) });
    } else {
      items.push({
        label: 'Reactivate',
        onSelect: () => void run(() => setMemberStatus(member, 'ACTIVE'), `${name} is active again.`),
      });
    }
    items.push({ label: 'Remove', tone: 'danger', onSelect: () => setAction({ kind: 'remove', member }) });
    return items;
  }

  const columns: Column<MemberFieldsFragment>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (member) => (
        <span className="cell-stack">
          {memberName(member)}
          {member.user && (
            <span className="cell-sub">
              {member.email}
              {/* Their role and mapped groups follow the identity provider at every sign-in. */}
              {!member.user.hasPassword && ' · signs in with SSO'}
              {member.managedByIdentityProvider && ' · managed by your identity provider'}
            </span>
          )}
        </span>
      ),
    },
    { key: 'status', header: 'Status', cell: (member) => <MemberStatusBadge status={member.status} /> },
    { key: 'role', header: 'Role', cell: (member) => member.role.name },
    {
      key: 'groups',
      header: 'Groups',
      cell: (member) => (
        <span className="cell-with-badge">
          <NameList items={member.groups} />
          {manageGroups && member.user && (
            <Button
              size="sm"
              aria-label={`Edit groups of ${memberName(member)}`}
              onClick={() => setAction({ kind: 'groups', member })}
            >
              Edit
            </Button>
          )}
        </span>
      ),
    },
    { key: 'workspaces', header: 'Workspaces', cell: (member) => <AssignmentList assignments={member.workspaces} /> },
    {
      key: 'lastActive',
      header: 'Last active',
      className: 'cell-nowrap',
      cell: (member) =>
        member.expiresAt ? (
          <span className="cell-sub">
            {member.status === 'INVITED' ? 'Invitation expires' : 'Expired'} {formatDateTime.date(member.expiresAt)}
          </span>
        ) : (
          formatDateTime.date(member.lastActiveAt, 'Never')
        ),
    },
  ];
  if (manage) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (member) => <Menu label={`Actions for ${member.email}`} items={menuItems(member)} />,
    });
  }

  const tenantRoles = options.data?.roles.filter((role) => role.scope === 'TENANT') ?? [];

  return (
    <Section
      wide
      title="Users"
      description={`People in ${viewer.organization.name} and the invitations waiting for an answer.`}
      actions={
        manage && (
          <Button variant="primary" onClick={() => setAction({ kind: 'invite' })}>
            <PlusIcon />
            Invite users
          </Button>
        )
      }
    >
      <div className="table-filters">
        <Field
          label="Search"
          type="search"
          placeholder="Name or email"
          maxLength={LIMITS.emailMaxLength}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <SelectField
          label="Status"
          value={status}
          onChange={setStatus}
          options={[
            { value: '', label: 'All statuses' },
            ...Object.entries(MEMBER_STATUS_LABELS).map(([value, label]) => ({ value, label })),
          ]}
        />
        <SelectField
          label="Role"
          value={roleId}
          onChange={setRoleId}
          options={[
            { value: '', label: 'All roles' },
            ...tenantRoles.map((role) => ({ value: role.id, label: role.name })),
          ]}
        />
      </div>
      <QueryResult error={error} data={data} loadingLabel="Loading users" onRetry={() => void refetch()}>
        {() => (
          <>
            <DataTable
              caption="Users"
              columns={columns}
              rows={members}
              rowKey={(member) => member.id}
              empty={<p>No one matches these filters.</p>}
            />
            <LoadMore
              pageInfo={pageInfo}
              loading={loading}
              onLoadMore={() =>
                void fetchMore({
                  variables: { after: pageInfo?.endCursor },
                  updateQuery: appendPage('members'),
                })
              }
            />
          </>
        )}
      </QueryResult>

      {action?.kind === 'invite' && <InviteDialog onClose={close} onInvited={(text) => toast({ text })} />}
      {action?.kind === 'role' && (
        <ChangeRoleDialog
          name={memberName(action.member)}
          currentRole={action.member.role}
          onSave={(newRoleId) =>
            updateMember({ variables: { input: { userId: action.member.id, roleId: newRoleId } } })
          }
          onClose={close}
        />
      )}
      {action?.kind === 'groups' && action.member.user && (
        <GroupMembershipDialog
          principalId={action.member.user.id}
          principalName={memberName(action.member)}
          currentGroupIds={action.member.groups.map((group) => group.id)}
          onClose={close}
        />
      )}
      {action?.kind === 'deactivate' && (
        <ConfirmDialog
          title={`Deactivate ${memberName(action.member)}?`}
          confirmLabel="Deactivate"
          onClose={close}
          onConfirm={async () => {
            const { member } = action;
            await setMemberStatus(member, 'INACTIVE');
            close();
            toast({
              text: `${memberName(member)} is deactivated.`,
              undo: () => void run(() => setMemberStatus(member, 'ACTIVE'), `${memberName(member)} is active again.`),
            });
          }}
        >
          <p>
            They can no longer sign in to {viewer.organization.name}, and their sessions and API keys in it stop working
            at once. You can reactivate them later.
          </p>
        </ConfirmDialog>
      )}
      {action?.kind === 'remove' && (
        <ConfirmDialog
          title={`Remove ${memberName(action.member)}?`}
          confirmLabel="Remove from organization"
          onClose={close}
          onConfirm={async () => {
            await removeMember({ variables: { userId: action.member.id } });
            close();
          }}
        >
          <p>
            They leave {viewer.organization.name} with their API keys, groups and workspace roles in it. Their account
            and other organizations are not affected.
          </p>
        </ConfirmDialog>
      )}
      {action?.kind === 'cancel' && (
        <ConfirmDialog
          title={`Cancel the invitation to ${action.member.email}?`}
          confirmLabel="Cancel invitation"
          cancelLabel="Keep invitation"
          onClose={close}
          onConfirm={async () => {
            await cancelInvitation({ variables: { id: action.member.id } });
            close();
          }}
        >
          <p>The link in the email stops working. You can invite them again later.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}
