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

// A rough shape check that names the typo at once; the server's validation has the last word.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const notAnEmail = (emails: readonly string[]) =>
  emails.length === 1
    ? `“${emails[0]}” is not an email address.`
    : `These are not email addresses: ${emails.map((email) => `“${email}”`).join(', ')}.`;

/** The addresses the server refused by position (`invitations.<n>.email`), if that is what it said. */
function refusedEmails(caught: unknown, list: readonly string[]): string[] {
  const problems = (caught as { errors?: { extensions?: { problems?: unknown } }[] }).errors?.flatMap((error) =>
    Array.isArray(error.extensions?.problems) ? (error.extensions.problems as { field?: unknown }[]) : [],
  );
  const indexes = (problems ?? []).map((problem) => /^invitations\.(\d+)\.email$/.exec(String(problem.field))?.[1]);
  return [...new Set(indexes.filter((index) => index !== undefined).map((index) => list[Number(index)]))].filter(
    Boolean,
  );
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
    const emailsInput = (event.currentTarget as HTMLFormElement).elements.namedItem('emails') as HTMLInputElement;
    // The message sits at the field, and focus goes there, to fix it.
    const refuse = (message: string) => {
      setEmailsError(message);
      emailsInput.focus();
    };
    const list = parseEmails(emails);
    if (list.length === 0) return refuse('Enter at least one email address.');
    if (list.length > INVITATIONS_PER_REQUEST_MAX) {
      return refuse(`Invite at most ${INVITATIONS_PER_REQUEST_MAX} people at once.`);
    }
    const malformed = list.filter((email) => !EMAIL_SHAPE.test(email));
    if (malformed.length > 0) return refuse(notAnEmail(malformed));
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
      const refused = refusedEmails(caught, list);
      if (refused.length > 0) refuse(notAnEmail(refused));
      else setError(formErrors(caught, []).form);
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
            name="emails"
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
