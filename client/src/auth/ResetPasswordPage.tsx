import { useState, type FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router-dom';
import { evaluatePassword, LIMITS } from '@gatehouse/shared';
import { ResetPasswordDocument, ViewerDocument } from '@gatehouse/shared/generated';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { NewPasswordField, passwordAcceptable } from '../ui/NewPasswordField';
import { useForm } from '../ui/useForm';
import { AuthLayout } from './AuthLayout';

/** The page behind the link in a password reset email. */
export function ResetPasswordPage() {
  const client = useApolloClient();
  const token = useSearchParams()[0].get('token') ?? '';
  const [resetPassword, { loading }] = useMutation(ResetPasswordDocument);
  const form = useForm({ token: '', newPassword: '' });
  const rules = evaluatePassword(form.values.newPassword);
  const [done, setDone] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ newPassword: 'Choose a new password.' })) return;
    if (!passwordAcceptable(rules)) {
      form.setFieldError('newPassword', 'Choose a password that meets every requirement.');
      return;
    }
    try {
      await resetPassword({ variables: { input: { token, newPassword: form.values.newPassword } } });
      // Every session ended, this browser's included: forget the signed-in viewer, if any.
      client.writeQuery({ query: ViewerDocument, data: { viewer: null } });
      setDone(true);
    } catch (caught) {
      form.showError(caught);
    }
  }

  const linkProblem = form.errors.fields.token;
  if (done || linkProblem || !token) {
    return (
      <AuthLayout
        title={done ? 'Password changed' : 'This link cannot be used'}
        subtitle={
          done
            ? 'Your new password is set, and every session was signed out. Sign in with the new password.'
            : (linkProblem ?? 'The link is incomplete. Open the whole link from the email.')
        }
        footer={
          done ? (
            <Link to="/signin">Sign in</Link>
          ) : (
            <>
              <Link to="/forgot-password">Ask for a new link</Link>
            </>
          )
        }
      >
        {null}
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Choose a new password"
      subtitle="Setting it signs you out everywhere."
      footer={<Link to="/signin">Back to sign in</Link>}
    >
      <form className="form" onSubmit={handleSubmit} noValidate>
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        <NewPasswordField
          label="New password"
          maxLength={LIMITS.passwordMaxLength}
          rules={rules}
          autoFocus
          {...form.bind('newPassword')}
        />
        <Button variant="primary" type="submit" busy={loading} className="button-block">
          Set new password
        </Button>
      </form>
    </AuthLayout>
  );
}
