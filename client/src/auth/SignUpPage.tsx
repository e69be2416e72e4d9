import type { FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useSearchParams } from 'react-router-dom';
import { evaluatePassword, LIMITS } from '@gatehouse/shared';
import { SignUpDocument } from '@gatehouse/shared/generated';
import { storeViewer } from '../app/viewer';
import { Field } from '../ui/Field';
import { NewPasswordField, passwordAcceptable } from '../ui/NewPasswordField';
import { useForm } from '../ui/useForm';
import { ProviderSignUpForm } from './ProviderSignUpForm';
import { SignUpFrame } from './SignUpFrame';
import { SocialSignInButtons } from './SocialSignInButtons';

export function SignUpPage() {
  const signUpToken = useSearchParams()[0].get('provider_signup');
  return signUpToken ? <ProviderSignUpForm signUpToken={signUpToken} /> : <PasswordSignUpForm />;
}

function PasswordSignUpForm() {
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
    <SignUpFrame
      subtitle="Set up Gatehouse for your team. You'll be the admin of your new organization."
      onSubmit={handleSubmit}
      formError={form.errors.form}
      firstName={form.bind('firstName')}
      lastName={form.bind('lastName')}
      organizationName={form.bind('organizationName')}
      busy={loading}
      after={<SocialSignInButtons divider />}
    >
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
    </SignUpFrame>
  );
}
