import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { RequestContext } from '../kernel/context';
import { completeSignIn, signInFailureRecorder } from '../auth/auth.service';
import { checkSecretThrottled } from '../auth/sign-in-throttle';
import type { Viewer } from '../auth/viewer.types';
import { AppError } from '../errors/app-error';
import { mostRecentMembership } from '../organization/membership.service';
import { assertionOptions, passkeyOfResponse, verifyPasskeyAssertion } from './passkey-assertion';

/** A challenge for any discoverable passkey of this site: the browser offers them, also as email autofill. */
export function startPasskeySignIn(ctx: RequestContext): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return assertionOptions(ctx, 'SIGN_IN', null);
}

/**
 * Signs in with a passkey alone: a user-verifying passkey is two factors in itself (the device
 * and its PIN or biometric), so no code is asked for. Attempts are throttled like passwords, per
 * account (or per unknown credential) and per client address.
 */
export async function finishPasskeySignIn(ctx: RequestContext, response: unknown): Promise<Viewer> {
  const found = await passkeyOfResponse(ctx, response, null);
  const user = found?.user.kind === 'HUMAN' ? found.user : null;
  const account = user?.email ?? `passkey:${String((response as { id?: unknown } | null)?.id).slice(0, 200)}`;
  const membership = user ? await mostRecentMembership(ctx.db.manager, user.id) : null;
  const recordFailure = signInFailureRecorder(ctx, user, membership, 'unknown passkey');
  let refused = 'unknown_passkey';
  const check = await checkSecretThrottled(
    ctx,
    { account, onRateLimited: () => recordFailure('rate_limited') },
    async () => {
      const result = await verifyPasskeyAssertion(ctx, response, { purpose: 'SIGN_IN' }, user ? found : null);
      if ('passkey' in result) return 'passed';
      refused = result.refused;
      return 'failed';
    },
  );
  if (check !== 'passed' || !user) {
    await recordFailure(refused);
    throw AppError.unauthenticated('That passkey could not sign you in. Try again, or sign in with your password.');
  }
  return completeSignIn(ctx, user, membership, recordFailure);
}
