import type { FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { Link } from 'react-router-dom';
import { evaluatePassword, LIMITS } from '@gatehouse/shared';
import { SignUpDocument } from '@gatehouse/shared/generated';
import { storeViewer } from '../app/viewer';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { NewPasswordField, passwordAcceptable } from '../ui/NewPasswordField';
import { useForm } from '../ui/useForm';
import { AuthLayout } from './AuthLayout';
import { PersonNameFields } from './PersonNameFields';

export function SignUpPage() {
  const client = useApolloClient();
  const [signUp, { loading }] = useMutation(SignUpDocument);
  const form = useForm({ firstName: '', lastName: '', email: '', password: '', organizationName: '' });
  const rules = evaluatePassword(form.values.password, { email: form.values.email });

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const filled = form.checkRequired({
      firstName: 'Enter your first name.',
      lastName: 'Enter your last name.',
      email: 'Enter your email address.',
      password: 'Choose a password.',
      organizationName: 'Name your organization.',
    });
    if (form.values.password && !passwordAcceptable(rules)) {
      form.setFieldError('password', 'Choose a password that meets every requirement.');
      return;
    }
    if (!filled) return;
    try {
      const { data } = await signUp({ variables: { input: { ...form.values, email: form.values.email.trim() } } });
      if (data) storeViewer(client, data.signUp);
    } catch (caught) {
      form.showError(caught);
    }
  }

  return (
    <AuthLayout
      title="Create your account"
      subtitle="Set up Gatehouse for your team. You'll be the admin of your new organization."
      footer={
        <>
          Already have an account? <Link to="/signin">Sign in</Link>
        </>
      }
    >
      <form className="form" onSubmit={handleSubmit} noValidate>
        {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
        <PersonNameFields firstName={form.bind('firstName')} lastName={form.bind('lastName')} />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          maxLength={LIMITS.emailMaxLength}
          {...form.bind('email')}
        />
        <NewPasswordField
          label="Password"
          maxLength={LIMITS.passwordMaxLength}
          rules={rules}
          {...form.bind('password')}
        />
        <Field
          label="Organization name"
          autoComplete="organization"
          maxLength={LIMITS.organizationNameMaxLength}
          hint="Usually your company or team. You can create more organizations later."
          {...form.bind('organizationName')}
        />
        <Button variant="primary" type="submit" busy={loading} className="button-block">
          Create account
        </Button>
      </form>
    </AuthLayout>
  );
}
