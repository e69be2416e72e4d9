import { useEffect, useState } from 'react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useApolloClient, useMutation } from '@apollo/client/react';
import {
  WebAuthnAbortService,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { FinishPasskeySignInDocument, PasskeySignInOptionsDocument } from '@gatehouse/shared/generated';
import { storeViewer } from '../app/viewer';
import { Button } from '../ui/Button';
import { passkeyErrorMessage } from './passkeys';

/**
 * "Sign in with a passkey", and the same offered as autofill in the email field (conditional
 * UI: that field needs autocomplete="username webauthn"). Each attempt asks for a fresh,
 * single-use challenge. Signing in stores the viewer, which takes the person on.
 */
export function PasskeySignInButton({ onError }: { onError: (message: string) => void }) {
  const client = useApolloClient();
  const [finish] = useMutation(FinishPasskeySignInDocument);
  const [busy, setBusy] = useState(false);

  async function signInWithPasskey(useBrowserAutofill: boolean) {
    const { data } = await client.query({ query: PasskeySignInOptionsDocument, fetchPolicy: 'no-cache' });
    const optionsJSON = data!.passkeySignInOptions as PublicKeyCredentialRequestOptionsJSON;
    const response = await startAuthentication({ optionsJSON, useBrowserAutofill });
    const result = await finish({ variables: { input: { response } } });
    if (result.data) storeViewer(client, result.data.finishPasskeySignIn);
  }

  useEffect(() => {
    let active = true;
    void browserSupportsWebAuthnAutofill().then((supported) => {
      if (!supported || !active) return;
      // Only the server refusing a chosen passkey is worth showing: the browser's own failures
      // (prompt replaced by the button, no usable passkey) leave the password form as it was.
      signInWithPasskey(true).catch((caught: unknown) => {
        if (active && CombinedGraphQLErrors.is(caught)) onError(passkeyErrorMessage(caught));
      });
    });
    return () => {
      active = false;
      WebAuthnAbortService.cancelCeremony();
    };
    // Once per visit of the page: each run starts a browser ceremony.
  }, []);

  if (!browserSupportsWebAuthn()) return null;
  return (
    <Button
      className="button-block"
      busy={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await signInWithPasskey(false);
        } catch (caught) {
          onError(passkeyErrorMessage(caught));
        } finally {
          setBusy(false);
        }
      }}
    >
      Sign in with a passkey
    </Button>
  );
}

/** The second step's "Use a passkey": signs the challenge that came with TWO_FACTOR_REQUIRED. */
export function UsePasskeyButton({
  optionsJSON,
  busy,
  onResponse,
  onError,
}: {
  optionsJSON: PublicKeyCredentialRequestOptionsJSON;
  busy: boolean;
  onResponse: (response: AuthenticationResponseJSON) => Promise<void>;
  onError: (message: string) => void;
}) {
  return (
    <Button
      className="button-block"
      busy={busy}
      onClick={async () => {
        try {
          await onResponse(await startAuthentication({ optionsJSON }));
        } catch (caught) {
          onError(passkeyErrorMessage(caught));
        }
      }}
    >
      Use a passkey
    </Button>
  );
}
