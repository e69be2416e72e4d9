import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { INVITATIONS_PER_REQUEST_MAX, INVITATION_LIFETIME_DAYS } from '@gatehouse/shared';
import { AccessOptionsDocument, InviteMembersDocument, MembersDocument } from '@gatehouse/shared/generated';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { formErrors } from '../../../ui/formErrors';
import { Spinner } from '../../../ui/Spinner';
import {
  AssignmentFields,
  assignmentsInput,
  initialAssignments,
  type Assignments,
} from '../../access/AssignmentFields';

function parseEmails(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

export function InviteDialog({ onClose, onInvited }: { onClose: () => void; onInvited: (message: string) => void }) {
  const options = useQuery(AccessOptionsDocument);
  const [inviteMembers, { loading }] = useMutation(InviteMembersDocument, { refetchQueries: [MembersDocument] });
  const [emails, setEmails] = useState('');
  const [emailsError, setEmailsError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [assignments, setAssignments] = useState<Assignments | null>(null);
  const current = assignments ?? (options.data ? initialAssignments(options.data) : null);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const list = parseEmails(emails);
    if (list.length === 0) return setEmailsError('Enter at least one email address.');
    if (list.length > INVITATIONS_PER_REQUEST_MAX) {
      return setEmailsError(`Invite at most ${INVITATIONS_PER_REQUEST_MAX} people at once.`);
    }
    if (!current) return;
    setError(null);
    try {
      const input = assignmentsInput(current);
      await inviteMembers({ variables: { input: { invitations: list.map((email) => ({ email, ...input })) } } });
      onInvited(
        list.length === 1 ? `An invitation was sent to ${list[0]}.` : `Invitations were sent to ${list.length} people.`,
      );
      onClose();
    } catch (caught) {
      setError(formErrors(caught, []).form);
    }
  }

  return (
    <Dialog
      title="Invite users"
      description={`Each person gets an email with a link that works for ${INVITATION_LIFETIME_DAYS} days. Everything chosen here is in place when they accept.`}
      onClose={onClose}
      size="lg"
    >
      {options.error ? (
        <Alert tone="error">{formErrors(options.error, []).form}</Alert>
      ) : !options.data || !current ? (
        <Spinner label="Loading" />
      ) : (
        <form className="form" onSubmit={handleSubmit} noValidate>
          {error && <Alert tone="error">{error}</Alert>}
          <Field
            label="Email addresses"
            hint="Separate several addresses with commas or spaces."
            autoComplete="off"
            autoFocus
            value={emails}
            error={emailsError}
            onChange={(event) => {
              setEmails(event.target.value);
              setEmailsError(null);
            }}
          />
          <AssignmentFields options={options.data} value={current} onChange={setAssignments} />
          <div className="dialog-actions">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" busy={loading}>
              Send invitations
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
