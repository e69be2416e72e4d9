import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { RequestContext } from '../kernel/context';
import { diff, record } from '../audit-log/audit-log.service';
import { requireId, requireInteractiveSession } from '../auth/policies';
import { endSessions } from '../auth/session.service';
import { isUniqueViolation, type Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { assertSecondFactorRemains } from '../two-factor/second-factors';
import { UserEntity } from '../user/user.entity';
import { PasskeyEntity } from './passkey.entity';
import type { FinishPasskeyRegistrationInput, RenamePasskeyInput } from './passkey.inputs';
import { Passkey } from './passkey.types';
import { CHALLENGE_TTL_SECONDS, consumeChallenge, relyingParty, storeChallenge } from './webauthn';

const MAX_PASSKEYS = 20;
/** EdDSA, ES256 and RS256: what platform authenticators and security keys use. */
const ALGORITHMS = [-8, -7, -257];

const auditTarget = (passkey: PasskeyEntity) => ({ type: 'passkey', id: passkey.id, name: passkey.name });

/**
 * The signed-in person, locked for the change. People without a password sign in through their
 * identity provider, which decides how they authenticate, so a passkey must not bypass it.
 */
async function passkeyOwner(ctx: RequestContext, tx: Transaction): Promise<UserEntity> {
  const auth = requireInteractiveSession(ctx);
  const user = await tx.findOneOrFail(UserEntity, { where: { id: auth.user.id }, lock: { mode: 'pessimistic_write' } });
  if (!user.passwordHash) {
    throw AppError.forbidden('Your account signs in through your identity provider, which handles passkeys.');
  }
  return user;
}

async function ownPasskey(ctx: RequestContext, tx: Transaction, id: string): Promise<PasskeyEntity> {
  const auth = requireInteractiveSession(ctx);
  const passkey = await tx.findOne(PasskeyEntity, {
    where: { id: requireId(id, 'Passkey'), userId: auth.user.id },
    lock: { mode: 'pessimistic_write' },
  });
  if (!passkey) throw AppError.notFound('Passkey');
  return passkey;
}

export async function listPasskeys(ctx: RequestContext): Promise<Passkey[]> {
  const auth = requireInteractiveSession(ctx);
  const passkeys = await ctx.db.getRepository(PasskeyEntity).find({
    where: { userId: auth.user.id },
    order: { createdAt: 'ASC' },
  });
  return passkeys.map(Passkey.from);
}

/**
 * Options for the browser to create a discoverable, user-verifying passkey for this account
 * (none it already has), over a challenge kept for the finishing step.
 */
export async function startPasskeyRegistration(ctx: RequestContext): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return ctx.db.transaction(async (tx) => {
    const user = await passkeyOwner(ctx, tx);
    const existing = await tx.findBy(PasskeyEntity, { userId: user.id });
    if (existing.length >= MAX_PASSKEYS) {
      throw new AppError('LIMIT_EXCEEDED', `You can have at most ${MAX_PASSKEYS} passkeys. Remove one first.`);
    }
    const rp = relyingParty(ctx.config);
    const options = await generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.id,
      userName: user.email ?? user.id,
      userDisplayName: user.displayName,
      // The user handle is the user id, so a discoverable passkey names its account.
      userID: new TextEncoder().encode(user.id),
      timeout: CHALLENGE_TTL_SECONDS * 1000,
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    await storeChallenge(tx, options.challenge, 'REGISTRATION', user.id);
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.passkeyRegistrationStarted',
      target: { type: 'user', id: user.id, name: user.displayName },
    });
    return options;
  });
}

/** Verifies the browser's new credential against the stored challenge and keeps it under the given name. */
export async function finishPasskeyRegistration(
  ctx: RequestContext,
  input: FinishPasskeyRegistrationInput,
): Promise<Passkey> {
  const auth = requireInteractiveSession(ctx);
  // Taken outside the transaction below: a response that fails verification still used it up.
  const challenge = await consumeChallenge(ctx.db, input.response, 'REGISTRATION', auth.user.id);
  const rp = relyingParty(ctx.config);
  const verification = await verifyRegistrationResponse({
    response: input.response as RegistrationResponseJSON,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
    supportedAlgorithmIDs: ALGORITHMS,
  }).catch(() => null);
  if (!verification?.verified) {
    throw AppError.badInput('response', 'The passkey could not be verified. Try again.');
  }
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  return ctx.db.transaction(async (tx) => {
    const user = await passkeyOwner(ctx, tx);
    if (user.passkeyCount >= MAX_PASSKEYS) {
      throw new AppError('LIMIT_EXCEEDED', `You can have at most ${MAX_PASSKEYS} passkeys. Remove one first.`);
    }
    const passkey = tx.create(PasskeyEntity, {
      userId: user.id,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey),
      signCount: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      name: input.name.trim(),
    });
    try {
      await tx.save(passkey);
    } catch (error) {
      if (isUniqueViolation(error, 'passkeys_credential_id_key')) {
        throw AppError.conflict('This passkey is already registered.');
      }
      throw error;
    }
    await record(ctx, tx, { category: 'USER_ACTIONS', action: 'user.passkeyAdded', target: auditTarget(passkey) });
    return Passkey.from(passkey);
  });
}

export async function renamePasskey(ctx: RequestContext, input: RenamePasskeyInput): Promise<Passkey> {
  return ctx.db.transaction(async (tx) => {
    const passkey = await ownPasskey(ctx, tx, input.id);
    const name = input.name.trim();
    const changes = diff(passkey, { name });
    if (!changes) return Passkey.from(passkey);
    await tx.update(PasskeyEntity, { id: passkey.id }, { name });
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.passkeyRenamed',
      target: auditTarget({ ...passkey, name }),
      changes,
    });
    return Passkey.from({ ...passkey, name });
  });
}

/**
 * Removes a passkey and ends the account's other sessions (it may be on a lost device). The
 * last second factor stays while an organization requires 2FA.
 */
export async function deletePasskey(ctx: RequestContext, id: string): Promise<boolean> {
  const auth = requireInteractiveSession(ctx);
  await ctx.db.transaction(async (tx) => {
    const passkey = await ownPasskey(ctx, tx, id);
    await assertSecondFactorRemains(tx, auth.user.id, 'passkey');
    await tx.delete(PasskeyEntity, { id: passkey.id });
    await endSessions(tx, { userId: auth.user.id, exceptSessionId: auth.sessionId });
    await record(ctx, tx, { category: 'USER_ACTIONS', action: 'user.passkeyRemoved', target: auditTarget(passkey) });
  });
  return true;
}
