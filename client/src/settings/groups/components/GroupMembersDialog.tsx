import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import {
  AddGroupMembersDocument,
  GroupsDocument,
  MembersDocument,
  RemoveGroupMembersDocument,
  ServiceAccountsDocument,
  type GroupFieldsFragment,
  type PrincipalFieldsFragment,
} from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable } from '../../../ui/DataTable';
import { Dialog } from '../../../ui/Dialog';
import { formErrors } from '../../../ui/formErrors';
import { PrincipalPicker } from '../../access/PrincipalPicker';

const MEMBER_KINDS = ['USER', 'SERVICE_ACCOUNT'] as const;

export function GroupMembersDialog({
  group,
  canManage,
  onClose,
}: {
  group: GroupFieldsFragment;
  canManage: boolean;
  onClose: () => void;
}) {
  const refetchQueries = [GroupsDocument, MembersDocument, ServiceAccountsDocument];
  const [addGroupMembers, { loading }] = useMutation(AddGroupMembersDocument, { refetchQueries });
  const [removeGroupMembers] = useMutation(RemoveGroupMembersDocument, { refetchQueries });
  const [principalId, setPrincipalId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<PrincipalFieldsFragment | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!principalId) return;
    setError(null);
    try {
      await addGroupMembers({ variables: { groupId: group.id, principalIds: [principalId] } });
      setPrincipalId('');
    } catch (caught) {
      setError(formErrors(caught, []).form);
    }
  }

  if (removing) {
    return (
      <ConfirmDialog
        title={`Remove ${removing.name} from ${group.name}?`}
        confirmLabel="Remove from group"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          await removeGroupMembers({ variables: { groupId: group.id, principalIds: [removing.id] } });
          setRemoving(null);
        }}
      >
        <p>They lose the workspace roles they had through this group.</p>
      </ConfirmDialog>
    );
  }

  return (
    <Dialog title={`Members of ${group.name}`} onClose={onClose} size="lg">
      {error && <Alert tone="error">{error}</Alert>}
      {canManage && (
        <form className="form-row form-row-compact form-row-end" onSubmit={add} noValidate>
          <PrincipalPicker
            kinds={MEMBER_KINDS}
            exclude={new Set(group.members.map((member) => member.id))}
            value={principalId}
            onChange={setPrincipalId}
          />
          <Button type="submit" variant="primary" busy={loading} disabled={!principalId}>
            Add to group
          </Button>
        </form>
      )}
      <DataTable
        caption={`Members of ${group.name}`}
        rows={group.members}
        rowKey={(member) => member.id}
        empty={<p>No members yet.</p>}
        columns={[
          {
            key: 'name',
            header: 'Name',
            cell: (member) => (
              <span className="cell-stack">
                {member.name}
                <span className="cell-sub">{member.email ?? 'Service account'}</span>
              </span>
            ),
          },
          ...(canManage
            ? [
                {
                  key: 'actions',
                  header: 'Actions',
                  hideHeader: true,
                  className: 'cell-actions',
                  cell: (member: PrincipalFieldsFragment) => (
                    <Button size="sm" onClick={() => setRemoving(member)}>
                      Remove
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Dialog>
  );
}
