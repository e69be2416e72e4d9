import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  AccessOptionsDocument,
  AddGroupMembersDocument,
  GroupsDocument,
  MembersDocument,
  RemoveGroupMembersDocument,
  ServiceAccountsDocument,
} from '@gatehouse/shared/generated';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { CheckboxList } from '../../ui/CheckboxList';
import { Dialog } from '../../ui/Dialog';
import { formErrors } from '../../ui/formErrors';
import { Spinner } from '../../ui/Spinner';

/** Edits which groups one user or service account is in, from their row. */
export function GroupMembershipDialog({
  principalId,
  principalName,
  currentGroupIds,
  onClose,
}: {
  principalId: string;
  principalName: string;
  currentGroupIds: readonly string[];
  onClose: () => void;
}) {
  const options = useQuery(AccessOptionsDocument);
  const refetchQueries = [MembersDocument, ServiceAccountsDocument, GroupsDocument];
  const [addGroupMembers] = useMutation(AddGroupMembersDocument, { refetchQueries });
  const [removeGroupMembers] = useMutation(RemoveGroupMembersDocument, { refetchQueries });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set(currentGroupIds));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    setBusy(true);
    setError(null);
    const principalIds = [principalId];
    try {
      for (const groupId of selected) {
        if (!currentGroupIds.includes(groupId)) await addGroupMembers({ variables: { groupId, principalIds } });
      }
      for (const groupId of currentGroupIds) {
        if (!selected.has(groupId)) await removeGroupMembers({ variables: { groupId, principalIds } });
      }
      onClose();
    } catch (caught) {
      setError(formErrors(caught, []).form);
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={`Groups of ${principalName}`}
      description="Members inherit the roles their groups hold in workspaces."
      onClose={onClose}
      dismissible={!busy}
      footer={
        <div className="dialog-actions">
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" busy={busy} disabled={!options.data} onClick={() => void save()}>
            Save groups
          </Button>
        </div>
      }
    >
      {error && <Alert tone="error">{error}</Alert>}
      {options.error ? (
        <Alert tone="error">{formErrors(options.error, []).form}</Alert>
      ) : options.data ? (
        <div className="scope-picker">
          <CheckboxList
            legend="Groups"
            options={options.data.groups.map((group) => ({ value: group.id, label: group.name }))}
            selected={selected}
            onChange={setSelected}
            empty="No groups yet: create one in the Groups tab."
          />
        </div>
      ) : (
        <Spinner label="Loading groups" />
      )}
    </Dialog>
  );
}
