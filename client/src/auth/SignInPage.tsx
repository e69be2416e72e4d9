import type { FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { Link } from 'react-router-dom';
import { LIMITS } from '@gatehouse/shared';
import { SignInDocument } from '@gatehouse/shared/generated';
import { storeViewer } from '../app/viewer';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { useForm } from '../ui/useForm';
import { AuthLayout } from './AuthLayout';

export function SignInPage() {
  const client = useApolloClient();
  const [signIn, { loading }] = useMutation(SignInDocument);
  const form = useForm({ email: '', password: '' });

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ email: 'Enter your email address.', password: 'Enter your password.' })) return;
    const { email, password } = form.values;
    try {
      const { data } = await signIn({ variables: { input: { email: email.trim(), password } } });
      // Storing the viewer is enough: the sign-in route then sends the person on.
      if (data) storeViewer(client, data.signIn);
    } catch (caught) {
      form.showError(caught);
    }
  }

  return (
    <AuthLayout
      title="Sign in to Gatehouse"
      subtitle="Welcome back. Sign in to manage your account and organization."
      footer={
        <>
          New to Gatehouse? <Link to="/signup">Create an account</Link>
        </>
      }
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
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          maxLength={LIMITS.passwordMaxLength}
          status={
            <Link to="/forgot-password" className="field-link">
              Forgot password?
            </Link>
          }
          {...form.bind('password')}
        />
        <Button variant="primary" type="submit" busy={loading} className="button-block">
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}
