import type { FormEvent } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { evaluatePassword, LIMITS } from '@gatehouse/shared';
import {
  AcceptInvitationDocument,
  InvitationPreviewDocument,
  type InvitationPreviewQuery,
} from '@gatehouse/shared/generated';
import { storeViewer, type Viewer } from '../app/viewer';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { useFormatDateTime } from '../ui/dates';
import { Field } from '../ui/Field';
import { formErrors } from '../ui/formErrors';
import { NewPasswordField, passwordAcceptable } from '../ui/NewPasswordField';
import { Spinner } from '../ui/Spinner';
import { useForm } from '../ui/useForm';
import { AuthLayout } from './AuthLayout';
import { PersonNameFields } from './PersonNameFields';

type Preview = NonNullable<InvitationPreviewQuery['invitationPreview']>;

const CLOSED: Record<Exclude<Preview['status'], 'PENDING'>, { title: string; text: string }> = {
  ACCEPTED: { title: 'Invitation already used', text: 'This invitation was accepted already. Sign in to continue.' },
  CANCELLED: {
    title: 'Invitation cancelled',
    text: 'This invitation was cancelled. Ask the person who invited you for a new one.',
  },
  EXPIRED: {
    title: 'Invitation expired',
    text: 'This invitation has expired. Ask the person who invited you to resend it.',
  },
};

const signInFooter = (
  <>
    Already a member? <Link to="/signin">Sign in</Link>
  </>
);

/** The page behind the link in an invitation email; it works signed in or out. */
export function AcceptInvitationPage({ viewer }: { viewer: Viewer | null }) {
  const token = useSearchParams()[0].get('token') ?? '';
  const { data, error, loading } = useQuery(InvitationPreviewDocument, { variables: { token }, skip: !token });
  const preview = data?.invitationPreview;

  if (loading) {
    return (
      <div className="page-center">
        <Spinner label="Loading the invitation" />
      </div>
    );
  }
  if (error) {
    return (
      <AuthLayout title="Invitation" subtitle="" footer={signInFooter}>
        <Alert tone="error">{formErrors(error, []).form}</Alert>
      </AuthLayout>
    );
  }
  if (!preview) {
    return (
      <AuthLayout
        title="Invitation not found"
        subtitle="This invitation link is not valid. Check that you opened the whole link from the email."
        footer={signInFooter}
      >
        {null}
      </AuthLayout>
    );
  }
  if (preview.status !== 'PENDING') {
    const closed = CLOSED[preview.status];
    return (
      <AuthLayout title={closed.title} subtitle={closed.text} footer={signInFooter}>
        {null}
      </AuthLayout>
    );
  }
  return <PendingInvitation token={token} preview={preview} viewer={viewer} />;
}

function PendingInvitation({ token, preview, viewer }: { token: string; preview: Preview; viewer: Viewer | null }) {
  const client = useApolloClient();
  const navigate = useNavigate();
  const location = useLocation();
  const formatDateTime = useFormatDateTime();
  const [acceptInvitation, { loading }] = useMutation(AcceptInvitationDocument);
  const form = useForm({ firstName: '', lastName: '', password: '' });
  const rules = evaluatePassword(form.values.password, {
    email: preview.email,
    minLength: preview.minPasswordLength,
  });
  const signedInAsInvitee = viewer?.user.email?.toLowerCase() === preview.email.toLowerCase();
  const subtitle = `${preview.invitedByName ?? 'Someone'} invited ${preview.email} to join ${preview.organizationName} on Gatehouse. The invitation is valid until ${formatDateTime(preview.expiresAt)}.`;

  async function accept(fields: { firstName?: string; lastName?: string; password?: string }) {
    try {
      const { data } = await acceptInvitation({ variables: { input: { token, ...fields } } });
      if (data) {
        storeViewer(client, data.acceptInvitation);
        navigate('/settings', { replace: true });
      }
    } catch (caught) {
      form.showError(caught);
    }
  }

  async function handleNewAccount(event: FormEvent) {
    event.preventDefault();
    const filled = form.checkRequired({
      firstName: 'Enter your first name.',
      lastName: 'Enter your last name.',
      password: 'Choose a password.',
    });
    if (form.values.password && !passwordAcceptable(rules)) {
      form.setFieldError('password', 'Choose a password that meets every requirement.');
      return;
    }
    if (filled) await accept(form.values);
  }

  const title = `Join ${preview.organizationName}`;
  if (viewer && !signedInAsInvitee) {
    return (
      <AuthLayout title={title} subtitle={subtitle} footer={signInFooter}>
        <Alert tone="error">
          You are signed in as {viewer.user.email}. Sign out, then open the link again to accept it as {preview.email}.
        </Alert>
      </AuthLayout>
    );
  }
  if (preview.accountExists) {
    return (
      <AuthLayout title={title} subtitle={subtitle} footer={signInFooter}>
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        {signedInAsInvitee ? (
          <Button variant="primary" className="button-block" busy={loading} onClick={() => void accept({})}>
            Join {preview.organizationName}
          </Button>
        ) : (
          <Link className="button button-primary button-block" to="/signin" state={{ from: location }}>
            Sign in as {preview.email} to join
          </Link>
        )}
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={title} subtitle={subtitle} footer={signInFooter}>
      <form className="form" onSubmit={handleNewAccount} noValidate>
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        <Field label="Email" value={preview.email} readOnly />
        <PersonNameFields firstName={form.bind('firstName')} lastName={form.bind('lastName')} />
        <NewPasswordField
          label="Password"
          maxLength={LIMITS.passwordMaxLength}
          rules={rules}
          {...form.bind('password')}
        />
        <Button variant="primary" type="submit" busy={loading} className="button-block">
          Create account and join
        </Button>
      </form>
    </AuthLayout>
  );
}
