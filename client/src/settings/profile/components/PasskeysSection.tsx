import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { LIMITS } from '@gatehouse/shared';
import {
  DeletePasskeyDocument,
  FinishPasskeyRegistrationDocument,
  MySecurityLogDocument,
  MySessionsDocument,
  PasskeysDocument,
  RenamePasskeyDocument,
  StartPasskeyRegistrationDocument,
  ViewerDocument,
  type PasskeysQuery,
} from '@gatehouse/shared/generated';
import { passkeyErrorMessage } from '../../../auth/passkeys';
import { Alert } from '../../../ui/Alert';
import { Badge } from '../../../ui/Badge';
import { Button } from '../../../ui/Button';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { DataTable } from '../../../ui/DataTable';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { useFormatDateTime } from '../../../ui/dates';
import { formErrors } from '../../../ui/formErrors';
import { Section } from '../../../ui/Section';
import { Spinner } from '../../../ui/Spinner';
import { useForm } from '../../../ui/useForm';

type Passkey = PasskeysQuery['passkeys'][number];

// The viewer too: where the organization requires 2FA, a first passkey satisfies it.
const refetchQueries = [PasskeysDocument, MySecurityLogDocument, ViewerDocument];

export function PasskeysSection() {
  const formatDateTime = useFormatDateTime();
  const { data, error } = useQuery(PasskeysDocument, { fetchPolicy: 'cache-and-network' });
  const [deletePasskey] = useMutation(DeletePasskeyDocument, {
    refetchQueries: [...refetchQueries, MySessionsDocument],
    awaitRefetchQueries: true,
  });
  const [dialog, setDialog] = useState<{ add: true } | { rename: Passkey } | { remove: Passkey } | null>(null);
  const close = () => setDialog(null);

  return (
    <Section
      wide
      title="Passkeys"
      description="Sign in with your fingerprint, face or device PIN instead of a password. A passkey also confirms a password sign-in in place of an authenticator code."
      actions={
        <Button variant="primary" onClick={() => setDialog({ add: true })}>
          Add a passkey
        </Button>
      }
    >
      {error ? (
        <Alert tone="error">{formErrors(error, []).form}</Alert>
      ) : !data ? (
        <Spinner label="Loading passkeys" />
      ) : (
        <DataTable
          caption="Passkeys"
          rows={data.passkeys}
          rowKey={(passkey) => passkey.id}
          empty={<p>No passkeys yet.</p>}
          columns={[
            {
              key: 'name',
              header: 'Name',
              cell: (passkey) => (
                <span className="cell-with-badge">
                  {passkey.name}
                  {passkey.backedUp && <Badge tone="neutral">Synced</Badge>}
                </span>
              ),
            },
            { key: 'created', header: 'Added', className: 'cell-nowrap', cell: (p) => formatDateTime(p.createdAt) },
            {
              key: 'used',
              header: 'Last used',
              className: 'cell-nowrap',
              cell: (p) => (p.lastUsedAt ? formatDateTime(p.lastUsedAt) : 'Never'),
            },
            {
              key: 'actions',
              header: 'Actions',
              hideHeader: true,
              className: 'cell-actions',
              cell: (passkey) => (
                <span className="form-actions">
                  <Button
                    size="sm"
                    aria-label={`Rename ${passkey.name}`}
                    onClick={() => setDialog({ rename: passkey })}
                  >
                    Rename
                  </Button>
                  <Button
                    size="sm"
                    variant="danger"
                    aria-label={`Remove ${passkey.name}`}
                    onClick={() => setDialog({ remove: passkey })}
                  >
                    Remove
                  </Button>
                </span>
              ),
            },
          ]}
        />
      )}
      {dialog && 'add' in dialog && <PasskeyNameDialog onClose={close} />}
      {dialog && 'rename' in dialog && <PasskeyNameDialog passkey={dialog.rename} onClose={close} />}
      {dialog && 'remove' in dialog && (
        <ConfirmDialog
          title={`Remove ${dialog.remove.name}?`}
          confirmLabel="Remove passkey"
          onClose={close}
          onConfirm={async () => {
            await deletePasskey({ variables: { id: dialog.remove.id } });
            close();
          }}
        >
          <p>It will no longer sign you in, and your other sessions are signed out.</p>
        </ConfirmDialog>
      )}
    </Section>
  );
}

/** Names a new passkey (then asks the browser to create it) or renames one. */
function PasskeyNameDialog({ passkey, onClose }: { passkey?: Passkey; onClose: () => void }) {
  const form = useForm({ name: passkey?.name ?? '' });
  const [busy, setBusy] = useState(false);
  const [start] = useMutation(StartPasskeyRegistrationDocument);
  const [finish] = useMutation(FinishPasskeyRegistrationDocument, { refetchQueries, awaitRefetchQueries: true });
  const [rename] = useMutation(RenamePasskeyDocument, { refetchQueries, awaitRefetchQueries: true });

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ name: 'Give the passkey a name.' })) return;
    const name = form.values.name.trim();
    setBusy(true);
    try {
      if (passkey) {
        await rename({ variables: { input: { id: passkey.id, name } } });
      } else {
        const { data } = await start();
        const optionsJSON = data!.startPasskeyRegistration as PublicKeyCredentialCreationOptionsJSON;
        const response = await startRegistration({ optionsJSON });
        await finish({ variables: { input: { name, response } } });
      }
      onClose();
    } catch (caught) {
      form.setFieldError('name', formErrors(caught, ['name']).fields.name ?? passkeyErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={passkey ? 'Rename passkey' : 'Add a passkey'}
      description={passkey ? undefined : 'Name it after the device or password manager that keeps it.'}
      onClose={onClose}
    >
      <form className="form" onSubmit={handleSubmit} noValidate>
        <Field
          label="Passkey name"
          maxLength={LIMITS.nameMaxLength}
          autoComplete="off"
          autoFocus
          {...form.bind('name')}
        />
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" busy={busy}>
            {passkey ? 'Save' : 'Continue'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
