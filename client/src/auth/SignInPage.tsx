import { useState, type FormEvent } from 'react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router-dom';
import { LIMITS, SSO_FAILURES, isSsoFailureReason } from '@gatehouse/shared';
import { SignInDocument } from '@gatehouse/shared/generated';
import { storeViewer } from '../app/viewer';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Field } from '../ui/Field';
import { useForm } from '../ui/useForm';
import { AuthLayout } from './AuthLayout';
import { SocialSignInButtons } from './SocialSignInButtons';

export function SignInPage() {
  const client = useApolloClient();
  const [signIn, { loading }] = useMutation(SignInDocument);
  const [params] = useSearchParams();
  // A provider's account whose email has an account here: the password proves it before they are linked.
  const linkToken = params.get('link');
  const form = useForm({ email: params.get('email') ?? '', password: '', code: '' });
  // After a right password for an account with 2FA: the code step, with the app's code or a recovery code.
  const [secondStep, setSecondStep] = useState<'app' | 'recovery' | null>(null);
  const [singleSignOn, setSingleSignOn] = useState(false);
  // Single sign-on comes back here with a reason when it did not sign the person in.
  const ssoError = params.get('sso_error');
  const ssoMessage = isSsoFailureReason(ssoError) ? SSO_FAILURES[ssoError] : null;

  function startSingleSignOn(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ email: 'Enter your work email address.' })) return;
    window.location.assign(`/api/sso/start?email=${encodeURIComponent(form.values.email.trim())}`);
  }

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form.checkRequired({ email: 'Enter your email address.', password: 'Enter your password.' })) return;
    if (secondStep && !form.checkRequired({ code: 'Enter the code.' })) return;
    const { email, password, code } = form.values;
    const factor = secondStep === 'app' ? { totpCode: code.trim() } : secondStep ? { recoveryCode: code.trim() } : {};
    try {
      const input = { email: email.trim(), password, ...factor, ...(linkToken ? { linkToken } : {}) };
      const { data } = await signIn({ variables: { input } });
      // Storing the viewer is enough: the sign-in route then sends the person on.
      if (data) storeViewer(client, data.signIn);
    } catch (caught) {
      if (CombinedGraphQLErrors.is(caught) && caught.errors[0]?.extensions?.code === 'TWO_FACTOR_REQUIRED') {
        setSecondStep('app');
        return;
      }
      form.showError(caught);
    }
  }

  if (secondStep) {
    const app = secondStep === 'app';
    return (
      <AuthLayout
        title="Two-factor authentication"
        subtitle={
          app
            ? 'Enter the 6-digit code from your authenticator app.'
            : 'Enter one of the recovery codes you saved when you turned on two-factor authentication. Each works once.'
        }
        footer={
          <button type="button" className="link-button" onClick={() => setSecondStep(null)}>
            Back to sign in
          </button>
        }
      >
        <form className="form" onSubmit={handleSubmit} noValidate>
          {form.errors.form && <Alert tone="error">{form.errors.form}</Alert>}
          <Field
            key={secondStep}
            label={app ? 'Authentication code' : 'Recovery code'}
            autoComplete="one-time-code"
            inputMode={app ? 'numeric' : 'text'}
            maxLength={app ? 6 : 16}
            autoFocus
            {...form.bind('code')}
          />
          <Button variant="primary" type="submit" busy={loading} className="button-block">
            Verify
          </Button>
          <button type="button" className="link-button" onClick={() => setSecondStep(app ? 'recovery' : 'app')}>
            {app ? 'Use a recovery code instead' : 'Use the code from the app instead'}
          </button>
        </form>
      </AuthLayout>
    );
  }

  if (singleSignOn) {
    return (
      <AuthLayout
        title="Sign in with SSO"
        subtitle="Enter your work email and we will take you to your organization's identity provider."
        footer={
          <button type="button" className="link-button" onClick={() => setSingleSignOn(false)}>
            Sign in with a password instead
          </button>
        }
      >
        <form className="form" onSubmit={startSingleSignOn} noValidate>
          <Field
            label="Work email"
            type="email"
            autoComplete="email"
            maxLength={LIMITS.emailMaxLength}
            autoFocus
            {...form.bind('email')}
          />
          <Button variant="primary" type="submit" className="button-block">
            Continue
          </Button>
        </form>
      </AuthLayout>
    );
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
        {(form.errors.form ?? ssoMessage) && <Alert tone="error">{form.errors.form ?? ssoMessage}</Alert>}
        {linkToken && (
          <p className="field-hint" role="status">
            An account with this email already exists. Sign in with its password to connect your new sign-in method to
            it.
          </p>
        )}
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
        <div className="auth-divider">or</div>
        <Button className="button-block" onClick={() => setSingleSignOn(true)}>
          Sign in with SSO
        </Button>
        {!linkToken && <SocialSignInButtons />}
      </form>
    </AuthLayout>
  );
}
