import { useEffect, useState, type FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import QRCode from 'qrcode';
import {
  ConfirmTwoFactorEnrollmentDocument,
  DisableTwoFactorDocument,
  MySecurityLogDocument,
  StartTwoFactorEnrollmentDocument,
  ViewerDocument,
} from '@gatehouse/shared/generated';
import { useViewer } from '../../../app/viewer';
import { Alert } from '../../../ui/Alert';
import { Badge } from '../../../ui/Badge';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { formErrors } from '../../../ui/formErrors';
import { Section } from '../../../ui/Section';
import { Spinner } from '../../../ui/Spinner';
import { useForm } from '../../../ui/useForm';

const refetchQueries = [ViewerDocument, MySecurityLogDocument];

export function TwoFactorSection() {
  const { user } = useViewer();
  const [dialog, setDialog] = useState<'enroll' | 'disable' | null>(null);
  const close = () => setDialog(null);
  return (
    <Section
      title="Two-factor authentication"
      description="Ask for a code from an authenticator app, as well as your password, whenever you sign in."
    >
      <div className="form">
        <p className="cell-with-badge">
          Status:
          {user.twoFactorEnabled ? <Badge tone="success">On</Badge> : <Badge tone="neutral">Off</Badge>}
        </p>
        <div className="form-actions form-actions-start">
          {user.twoFactorEnabled ? (
            <Button variant="danger" onClick={() => setDialog('disable')}>
              Turn off two-factor authentication
            </Button>
          ) : (
            <Button variant="primary" onClick={() => setDialog('enroll')}>
              Set up two-factor authentication
            </Button>
          )}
        </div>
      </div>
      {dialog === 'enroll' && <EnrollDialog onClose={close} />}
      {dialog === 'disable' && <DisableDialog onClose={close} />}
    </Section>
  );
}

function EnrollDialog({ onClose }: { onClose: () => void }) {
  const [start, started] = useMutation(StartTwoFactorEnrollmentDocument);
  const client = useApolloClient();
  // The viewer is refreshed only after the codes are saved: where 2FA is required, the refreshed
  // viewer replaces this page (and this dialog) with the settings.
  const [confirm, { loading }] = useMutation(ConfirmTwoFactorEnrollmentDocument);
  const [qr, setQr] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm({ code: '' });
  const enrollment = started.data?.startTwoFactorEnrollment;

  useEffect(() => {
    void start().catch(() => undefined);
  }, [start]);
  useEffect(() => {
    if (enrollment) void QRCode.toDataURL(enrollment.otpauthUrl, { margin: 1, width: 192 }).then(setQr);
  }, [enrollment]);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ code: 'Enter the code from the app.' })) return;
    try {
      const { data } = await confirm({ variables: { code: form.values.code.trim() } });
      if (data) setCodes(data.confirmTwoFactorEnrollment);
    } catch (caught) {
      form.showError(caught);
    }
  }

  if (codes) {
    const text = codes.join('\n');
    return (
      <Dialog
        title="Save your recovery codes"
        description="Each code signs you in once if you lose your phone. They are shown only now."
        onClose={onClose}
        dismissible={false}
        footer={
          <div className="dialog-actions">
            <Button
              variant="primary"
              disabled={!saved}
              onClick={() => {
                onClose();
                void client.refetchQueries({ include: refetchQueries });
              }}
            >
              Done
            </Button>
          </div>
        }
      >
        <ul className="recovery-codes" data-testid="recovery-codes">
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <div className="form-actions form-actions-start">
          <Button onClick={() => void navigator.clipboard.writeText(text)}>Copy</Button>
          <a
            className="button button-secondary"
            download="gatehouse-recovery-codes.txt"
            href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          >
            Download
          </a>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={saved} onChange={(event) => setSaved(event.target.checked)} />I have saved
          these codes
        </label>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="Set up two-factor authentication"
      description="Scan the QR code with an authenticator app (1Password, Google Authenticator, Authy…), then enter the code it shows."
      onClose={onClose}
    >
      {started.error ? (
        <Alert tone="error">{formErrors(started.error, []).form}</Alert>
      ) : !enrollment ? (
        <Spinner label="Preparing" />
      ) : (
        <form className="form" onSubmit={handleSubmit} noValidate>
          {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
          <div className="totp-setup">
            {qr && <img src={qr} width={192} height={192} alt="QR code for your authenticator app" />}
            <div>
              <p className="field-hint">Or type this key into the app:</p>
              <code className="totp-secret" data-testid="totp-secret">
                {enrollment.secret}
              </code>
            </div>
          </div>
          <Field
            label="Code from the app"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            autoFocus
            {...form.bind('code')}
          />
          <div className="dialog-actions">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" busy={loading}>
              Turn on
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function DisableDialog({ onClose }: { onClose: () => void }) {
  const [disable, { loading }] = useMutation(DisableTwoFactorDocument, { refetchQueries, awaitRefetchQueries: true });
  const form = useForm({ password: '', code: '' });

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (
      !form.checkRequired({ password: 'Enter your password.', code: 'Enter a code from the app or a recovery code.' })
    ) {
      return;
    }
    try {
      await disable({ variables: { password: form.values.password, code: form.values.code.trim() } });
      onClose();
    } catch (caught) {
      form.showError(caught);
    }
  }

  return (
    <Dialog
      title="Turn off two-factor authentication?"
      description="Signing in will ask only for your password. Your other sessions are signed out."
      onClose={onClose}
    >
      <form className="form" onSubmit={handleSubmit} noValidate>
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        <Field label="Password" type="password" autoComplete="current-password" {...form.bind('password')} />
        <Field label="Code from the app, or a recovery code" autoComplete="one-time-code" {...form.bind('code')} />
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" busy={loading}>
            Turn off
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
