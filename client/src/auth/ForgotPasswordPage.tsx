import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { Link } from 'react-router-dom';
import { LIMITS, PASSWORD_RESET_LIFETIME_MINUTES } from '@gatehouse/shared';
import { RequestPasswordResetDocument } from '@gatehouse/shared/generated';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { useForm } from '../ui/useForm';
import { AuthLayout } from './AuthLayout';

const backToSignIn = (
  <>
    Remembered it? <Link to="/signin">Sign in</Link>
  </>
);

export function ForgotPasswordPage() {
  const [requestPasswordReset, { loading }] = useMutation(RequestPasswordResetDocument);
  const form = useForm({ email: '' });
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [sentAgain, setSentAgain] = useState(false);

  async function send(email: string) {
    try {
      await requestPasswordReset({ variables: { email } });
      return true;
    } catch (caught) {
      form.showError(caught);
      return false;
    }
  }

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ email: 'Enter your email address.' })) return;
    const email = form.values.email.trim();
    if (await send(email)) setSentTo(email);
  }

  if (sentTo) {
    return (
      <AuthLayout
        title="Check your email"
        subtitle={`If an account exists for ${sentTo}, we sent it a link to choose a new password. The link works once, for ${PASSWORD_RESET_LIFETIME_MINUTES} minutes.`}
        footer={backToSignIn}
      >
        {sentAgain && <Alert tone="success">A new link is on its way; earlier links no longer work.</Alert>}
        <Button className="button-block" busy={loading} onClick={async () => setSentAgain(await send(sentTo))}>
          Send again
        </Button>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Reset your password"
      subtitle="Enter the email you sign in with and we will send you a link to choose a new password."
      footer={backToSignIn}
    >
      <form className="form" onSubmit={handleSubmit} noValidate>
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          maxLength={LIMITS.emailMaxLength}
          autoFocus
          {...form.bind('email')}
        />
        <Button variant="primary" type="submit" busy={loading} className="button-block">
          Send reset link
        </Button>
      </form>
    </AuthLayout>
  );
}
