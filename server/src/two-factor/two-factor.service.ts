import { createHash, randomBytes } from 'node:crypto';
import { LIMITS } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import { verifyPassword } from '../auth/password-hashing';
import { requireInteractiveSession } from '../auth/policies';
import { secretBoxFor as secretBox } from '../auth/secret-box';
import { checkSecretThrottled } from '../auth/sign-in-throttle';
import { endSessions } from '../auth/session.service';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { UserEntity } from '../user/user.entity';
import { usePasskeyAsSecondFactor } from '../passkey/passkey-assertion';
import { assertSecondFactorRemains } from './second-factors';
import { base32Encode, matchTotpStep, newTotpSecret, otpauthUrl } from './totp';
import type { TwoFactorEnrollment } from './two-factor.types';

const RECOVERY_CODES = 10;
const MAX_CODE_LENGTH = 32;

const hashCode = (code: string) => createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest();

function newRecoveryCode(): string {
  const text = base32Encode(randomBytes(5)).slice(0, 8);
  return `${text.slice(0, 4)}-${text.slice(4)}`.toLowerCase();
}

async function passwordUser(ctx: RequestContext, tx: Transaction): Promise<UserEntity> {
  const auth = requireInteractiveSession(ctx);
  const user = await tx.findOneOrFail(UserEntity, { where: { id: auth.user.id }, lock: { mode: 'pessimistic_write' } });
  if (!user.passwordHash) {
    throw AppError.forbidden(
      'Your account signs in through your identity provider, which handles two-factor authentication.',
    );
  }
  return user;
}

const auditTarget = (user: UserEntity) => ({ type: 'user', id: user.id, name: user.displayName });

/** Starts (or restarts) enrollment with a new secret, kept sealed until a code confirms it. */
export async function startTwoFactorEnrollment(ctx: RequestContext): Promise<TwoFactorEnrollment> {
  return ctx.db.transaction(async (tx) => {
    const user = await passwordUser(ctx, tx);
    if (user.totpEnabledAt) throw AppError.conflict('Two-factor authentication is already on.');
    const secret = newTotpSecret();
    await tx.update(UserEntity, { id: user.id }, { totpPendingSecret: secretBox(ctx.config).seal(secret) });
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.twoFactorEnrollmentStarted',
      target: auditTarget(user),
    });
    return { secret, otpauthUrl: otpauthUrl(secret, user.email ?? user.id) };
  });
}

/**
 * Turns two-factor authentication on with the first code from the app, and answers the ten
 * recovery codes, shown this once (only their hashes are kept). Other sessions end.
 */
export async function confirmTwoFactorEnrollment(ctx: RequestContext, code: string): Promise<string[]> {
  if (code.length > MAX_CODE_LENGTH) throw AppError.badInput('code', 'That code is too long.');
  return ctx.db.transaction(async (tx) => {
    const user = await passwordUser(ctx, tx);
    if (user.totpEnabledAt) throw AppError.conflict('Two-factor authentication is already on.');
    if (!user.totpPendingSecret) throw AppError.conflict('Start setting up two-factor authentication first.');
    const secret = secretBox(ctx.config).open(user.totpPendingSecret);
    const step = matchTotpStep(secret, code.trim());
    if (step === null) throw AppError.badInput('code', 'That code is not right. Enter the current code from the app.');
    await tx.update(
      UserEntity,
      { id: user.id },
      { totpSecret: user.totpPendingSecret, totpPendingSecret: null, totpEnabledAt: new Date(), totpLastStep: step },
    );
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await tx.query('DELETE FROM recovery_codes WHERE user_id = $1', [user.id]);
    for (const recoveryCode of codes) {
      await tx.query('INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)', [
        user.id,
        hashCode(recoveryCode),
      ]);
    }
    await endSessions(tx, { userId: user.id, exceptSessionId: ctx.auth!.sessionId });
    await record(ctx, tx, { category: 'USER_ACTIONS', action: 'user.twoFactorEnabled', target: auditTarget(user) });
    return codes;
  });
}

/**
 * Uses a second factor at sign-in: a passkey's answer to the challenge issued for this user, a
 * code from the app whose time step is newer than the last one used (so a code works once), or
 * an unused recovery code. Both checks are single atomic
 * updates, so parallel attempts with the same code cannot both pass.
 */
export async function useSecondFactor(
  ctx: RequestContext,
  user: UserEntity,
  factor: { totpCode?: string | null; recoveryCode?: string | null; passkeyResponse?: unknown },
): Promise<boolean> {
  if (factor.passkeyResponse) return usePasskeyAsSecondFactor(ctx, user, factor.passkeyResponse);
  if (factor.recoveryCode) {
    const [used]: [unknown[], number] = await ctx.db.query(
      `UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
      [user.id, hashCode(factor.recoveryCode)],
    );
    return used.length === 1;
  }
  if (!factor.totpCode || !user.totpSecret) return false;
  const step = matchTotpStep(secretBox(ctx.config).open(user.totpSecret), factor.totpCode.trim());
  if (step === null) return false;
  const [advanced]: [unknown[], number] = await ctx.db.query(
    'UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2 RETURNING id',
    [user.id, step],
  );
  return advanced.length === 1;
}

/** Turns two-factor authentication off with the password and a current code (or a recovery code). */
export async function disableTwoFactor(ctx: RequestContext, password: string, code: string): Promise<boolean> {
  const auth = requireInteractiveSession(ctx);
  if (code.length > MAX_CODE_LENGTH) throw AppError.badInput('code', 'That code is too long.');
  if (password.length > LIMITS.passwordMaxLength) throw AppError.badInput('password', 'The password is incorrect.');
  const user = await ctx.db.getRepository(UserEntity).findOneByOrFail({ id: auth.user.id });
  if (!user.totpEnabledAt) throw AppError.conflict('Two-factor authentication is not on.');
  let wrong = 'password';
  const check = await checkSecretThrottled(ctx, { account: user.email ?? user.id }, async () => {
    if (!(await verifyPassword(password, user.passwordHash, ctx.config.bcryptCost))) return 'failed';
    wrong = 'code';
    const recovery = code.trim().includes('-');
    return (await useSecondFactor(ctx, user, recovery ? { recoveryCode: code } : { totpCode: code }))
      ? 'passed'
      : 'failed';
  });
  if (check === 'failed') {
    throw wrong === 'password'
      ? AppError.badInput('password', 'The password is incorrect.')
      : AppError.badInput('code', 'That code is not right, or was already used.');
  }
  await ctx.db.transaction(async (tx) => {
    await assertSecondFactorRemains(tx, user.id, 'authenticatorApp');
    await tx.update(
      UserEntity,
      { id: user.id },
      { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: 0 },
    );
    await tx.query('DELETE FROM recovery_codes WHERE user_id = $1', [user.id]);
    await endSessions(tx, { userId: user.id, exceptSessionId: auth.sessionId });
    await record(ctx, tx, { category: 'USER_ACTIONS', action: 'user.twoFactorDisabled', target: auditTarget(user) });
  });
  return true;
}
