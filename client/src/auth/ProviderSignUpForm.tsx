import type { FormEvent } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router-dom';
import { PendingProviderSignUpDocument, SignUpWithProviderDocument } from '@gatehouse/shared/generated';
import { storeViewer } from '../app/viewer';
import { Alert } from '../ui/Alert';
import { Spinner } from '../ui/Spinner';
import { useForm } from '../ui/useForm';
import { AuthLayout } from './AuthLayout';
import { SignUpFrame } from './SignUpFrame';

/** After a first sign-in with Google, Microsoft or GitHub: names, and the new organization's name; no password. */
export function ProviderSignUpForm({ signUpToken }: { signUpToken: string }) {
  const { data, loading: loadingPending } = useQuery(PendingProviderSignUpDocument, { variables: { signUpToken } });
  const pending = data?.pendingProviderSignUp;
  if (loadingPending) return <Spinner label="Loading" />;
  if (!pending) {
    return (
      <AuthLayout
        title="This sign-up has expired"
        subtitle="The link from your sign-in provider is no longer valid."
        footer={<Link to="/signup">Start again</Link>}
      >
        <Alert tone="error">Please sign in with your provider again.</Alert>
      </AuthLayout>
    );
  }
  return <ProviderSignUpFields signUpToken={signUpToken} pending={pending} />;
}

function ProviderSignUpFields({
  signUpToken,
  pending,
}: {
  signUpToken: string;
  pending: { providerName: string; email: string; firstName: string; lastName: string };
}) {
  const client = useApolloClient();
  const [signUp, { loading }] = useMutation(SignUpWithProviderDocument);
  const form = useForm({ firstName: pending.firstName, lastName: pending.lastName, organizationName: '' });

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const filled = form.checkRequired({
      firstName: 'Enter your first name.',
      lastName: 'Enter your last name.',
      organizationName: 'Name your organization.',
    });
    if (!filled) return;
    try {
      const { data } = await signUp({ variables: { input: { signUpToken, ...form.values } } });
      if (data) storeViewer(client, data.signUpWithProvider);
    } catch (caught) {
      form.showError(caught);
    }
  }

  return (
    <SignUpFrame
      subtitle={`You signed in with ${pending.providerName} as ${pending.email}, and will sign in with ${pending.providerName}: no password needed.`}
      onSubmit={handleSubmit}
      formError={form.errors.form}
      firstName={form.bind('firstName')}
      lastName={form.bind('lastName')}
      organizationName={form.bind('organizationName')}
      busy={loading}
    />
  );
}
