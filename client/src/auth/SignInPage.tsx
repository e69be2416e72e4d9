import { useState, type FormEvent } from 'react';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
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
import { PasskeySignInButton, UsePasskeyButton } from './PasskeySignIn';
import { SocialSignInButtons } from './SocialSignInButtons';

export function SignInPage() {
  const client = useApolloClient();
  const [signIn, { loading }] = useMutation(SignInDocument);
  const [params] = useSearchParams();
  // A provider's account whose email has an account here: the password proves it before they are linked.
  const linkToken = params.get('link');
  const form = useForm({ email: params.get('email') ?? '', password: '', code: '' });
  // After a right password for an account with 2FA: the code step, with the app's code or a recovery code.
  const [secondStep, setSecondStep] = useState<'app' | 'recovery' | 'passkey' | null>(null);
  // Sent with TWO_FACTOR_REQUIRED when the account has passkeys: a challenge only they can sign.
  const [passkeyOptions, setPasskeyOptions] = useState<PublicKeyCredentialRequestOptionsJSON | null>(null);
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
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
    const { code } = form.values;
    await submit(
      secondStep === 'app' ? { totpCode: code.trim() } : secondStep === 'recovery' ? { recoveryCode: code.trim() } : {},
    );
  }

  /** Answers whether the person is signed in. */
  async function submit(factor: { totpCode?: string; recoveryCode?: string; passkeyResponse?: unknown }) {
    const { email, password } = form.values;
    setPasskeyError(null);
    try {
      const input = { email: email.trim(), password, ...factor, ...(linkToken ? { linkToken } : {}) };
      const { data } = await signIn({ variables: { input } });
      // Storing the viewer is enough: the sign-in route then sends the person on.
      if (data) storeViewer(client, data.signIn);
      return true;
    } catch (caught) {
      const first = CombinedGraphQLErrors.is(caught) ? caught.errors[0] : undefined;
      if (first?.extensions?.code === 'TWO_FACTOR_REQUIRED') {
        setPasskeyOptions((first.extensions.passkeyOptions as PublicKeyCredentialRequestOptionsJSON | null) ?? null);
        // People whose only second factor is a passkey have no code to enter.
        setSecondStep((step) => step ?? (first.extensions?.authenticatorApp === false ? 'passkey' : 'app'));
      } else {
        form.showError(caught);
      }
      return false;
    }
  }

  /** A passkey's challenge works once: after a refused one, the password fetches a new challenge. */
  async function submitPasskey(passkeyResponse: AuthenticationResponseJSON) {
    if (!(await submit({ passkeyResponse }))) await submit({});
  }

  if (secondStep) {
    const app = secondStep === 'app';
    return (
      <AuthLayout
        title="Two-factor authentication"
        subtitle={
          secondStep === 'passkey'
            ? 'Confirm it is you with one of your passkeys.'
            : app
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
          {(form.errors.form ?? passkeyError) && <Alert tone="error">{form.errors.form ?? passkeyError}</Alert>}
          {secondStep !== 'passkey' && (
            <>
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
            </>
          )}
          {passkeyOptions && (
            <UsePasskeyButton
              optionsJSON={passkeyOptions}
              busy={loading}
              onResponse={submitPasskey}
              onError={setPasskeyError}
            />
          )}
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
        {(form.errors.form ?? passkeyError ?? ssoMessage) && (
          <Alert tone="error">{form.errors.form ?? passkeyError ?? ssoMessage}</Alert>
        )}
        {linkToken && (
          <p className="field-hint" role="status">
            An account with this email already exists. Sign in with its password to connect your new sign-in method to
            it.
          </p>
        )}
        <Field
          label="Email"
          type="email"
          autoComplete="username webauthn"
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
        {!linkToken && <PasskeySignInButton onError={setPasskeyError} />}
        {!linkToken && <SocialSignInButtons />}
      </form>
    </AuthLayout>
  );
}
