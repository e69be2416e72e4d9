import { WebAuthnError } from '@simplewebauthn/browser';
import { formErrors } from '../ui/formErrors';

/** What to tell the person when the browser's passkey prompt or the server refused. */
export function passkeyErrorMessage(error: unknown): string {
  if (error instanceof WebAuthnError || error instanceof DOMException) {
    if (error.name === 'NotAllowedError' || error.name === 'AbortError') {
      return 'The passkey prompt was closed or timed out. Try again.';
    }
    if (error.name === 'InvalidStateError') return 'This device already has a passkey for your account.';
    return 'This browser could not use a passkey here.';
  }
  return formErrors(error, []).form ?? 'The passkey did not work. Try again.';
}
