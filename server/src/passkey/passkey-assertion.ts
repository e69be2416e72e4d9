import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { RequestContext } from '../kernel/context';
import { record, userActor } from '../audit-log/audit-log.service';
import { mostRecentMembership } from '../organization/membership.service';
import { UserEntity } from '../user/user.entity';
import { PasskeyEntity } from './passkey.entity';
import {
  CHALLENGE_TTL_SECONDS,
  consumeChallenge,
  relyingParty,
  storeChallenge,
  type ChallengePurpose,
} from './webauthn';

/** Options for the browser to sign a fresh challenge, with any of `allowCredentials` or (empty) a discoverable one. */
export async function assertionOptions(
  ctx: RequestContext,
  purpose: Exclude<ChallengePurpose, 'REGISTRATION'>,
  user: UserEntity | null,
  allowCredentials: PasskeyEntity[] = [],
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(ctx.config).id,
    userVerification: 'required',
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    allowCredentials: allowCredentials.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
  });
  await storeChallenge(ctx.db, options.challenge, purpose, user?.id ?? null);
  return options;
}

/** Issued once the password was right: a challenge only this user's passkeys can answer. */
export async function passkeySecondFactorOptions(
  ctx: RequestContext,
  user: UserEntity,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await ctx.db.getRepository(PasskeyEntity).findBy({ userId: user.id });
  return assertionOptions(ctx, 'SECOND_FACTOR', user, passkeys);
}

export type AssertionResult =
  { passkey: PasskeyEntity; user: UserEntity } | { refused: string; user: UserEntity | null };

/** The credential id a response names; verified against the stored key before anything trusts it. */
function credentialIdOf(response: unknown): string | null {
  const id = (response as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 1024 ? id : null;
}

/** Looks up the passkey a response names (of `userId` only, when given), with its owner. */
export async function passkeyOfResponse(
  ctx: RequestContext,
  response: unknown,
  userId: string | null,
): Promise<{ passkey: PasskeyEntity; user: UserEntity } | null> {
  const credentialId = credentialIdOf(response);
  if (!credentialId) return null;
  const passkey = await ctx.db
    .getRepository(PasskeyEntity)
    .findOneBy(userId ? { credentialId, userId } : { credentialId });
  if (!passkey) return null;
  const user = await ctx.db.getRepository(UserEntity).findOneByOrFail({ id: passkey.userId });
  return { passkey, user };
}

/**
 * Verifies a passkey's signature over a challenge this server issued for that purpose (taking
 * the challenge, so it works once), with user verification, from this installation's origin and
 * RP id. The signature counter must move forward: a counter that goes back (or stays, once the
 * authenticator counts) means a cloned authenticator, which is refused and recorded. The counter
 * is advanced with a compare-and-set, so two parallel uses of one reading cannot both pass.
 */
export async function verifyPasskeyAssertion(
  ctx: RequestContext,
  response: unknown,
  challengeFor: { purpose: 'SIGN_IN' } | { purpose: 'SECOND_FACTOR'; user: UserEntity },
  found: { passkey: PasskeyEntity; user: UserEntity } | null,
): Promise<AssertionResult> {
  let challenge: string;
  const userId = challengeFor.purpose === 'SECOND_FACTOR' ? challengeFor.user.id : null;
  try {
    challenge = await consumeChallenge(ctx.db, response, challengeFor.purpose, userId);
  } catch {
    return { refused: 'passkey_challenge_invalid', user: found?.user ?? null };
  }
  if (!found) return { refused: 'unknown_passkey', user: null };
  const { passkey, user } = found;
  const rp = relyingParty(ctx.config);
  let newCounter: number;
  let backedUp: boolean;
  try {
    const verification = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      // The counter is checked below, where a regression can be told apart and recorded.
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: 0 },
    });
    if (!verification.verified) return { refused: 'invalid_passkey_response', user };
    ({ newCounter, credentialBackedUp: backedUp } = verification.authenticationInfo);
  } catch {
    return { refused: 'invalid_passkey_response', user };
  }
  const [advanced]: [unknown[], number] = await ctx.db.query(
    `UPDATE passkeys SET sign_count = $2, backed_up = $3, last_used_at = now()
      WHERE id = $1 AND (sign_count < $2 OR ($2 = 0 AND sign_count = 0)) RETURNING id`,
    [passkey.id, newCounter, backedUp],
  );
  if (advanced.length === 1) return { passkey, user };
  const membership = await mostRecentMembership(ctx.db.manager, user.id);
  await ctx.db.transaction((tx) =>
    record(ctx, tx, {
      organizationId: membership?.organizationId ?? null,
      category: 'USER_ACTIONS',
      action: 'user.passkeyCounterRegressed',
      outcome: 'FAILURE',
      failureReason: `signature counter ${newCounter} is not above ${passkey.signCount}: the passkey may be cloned`,
      actor: userActor(user),
      target: { type: 'passkey', id: passkey.id, name: passkey.name },
    }),
  );
  return { refused: 'passkey_counter_regressed', user };
}

/** A passkey of this user, verified, in place of a code from the authenticator app. */
export async function usePasskeyAsSecondFactor(
  ctx: RequestContext,
  user: UserEntity,
  response: unknown,
): Promise<boolean> {
  const found = await passkeyOfResponse(ctx, response, user.id);
  const result = await verifyPasskeyAssertion(ctx, response, { purpose: 'SECOND_FACTOR', user }, found);
  return 'passkey' in result;
}
