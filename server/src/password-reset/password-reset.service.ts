import { LIMITS, PASSWORD_RESET_COOLDOWN_SECONDS, PASSWORD_RESET_LIFETIME_MINUTES } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import { normalizeEmail } from '../auth/auth.service';
import { hashPassword } from '../auth/password-hashing';
import { assertAcceptablePassword } from '../auth/password-rules';
import { endSessions } from '../auth/session.service';
import { newToken, sha256 } from '../auth/tokens';
import { AppError } from '../errors/app-error';
import { queueEmail } from '../mail/mail.service';
import { mostRecentMembership } from '../organization/membership.service';
import { UserEntity } from '../user/user.entity';
import type { ResetPasswordInput } from './password-reset.inputs';

/** Both answers take at least this long, so timing does not tell whether an account exists. */
const MINIMUM_ANSWER_MS = 300;

async function answerNoSoonerThan<T>(started: number, result: T): Promise<T> {
  const wait = started + MINIMUM_ANSWER_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return result;
}

/**
 * Emails a one-hour, single-use link to a password account with this email; says the same
 * thing, in about the same time, whether or not there is one. A new link voids the older ones;
 * within the cooldown nothing more is sent, so the address cannot be flooded.
 */
export async function requestPasswordReset(ctx: RequestContext, rawEmail: string): Promise<boolean> {
  const started = Date.now();
  const email = normalizeEmail(rawEmail);
  if (!email.includes('@') || email.length > LIMITS.emailMaxLength) {
    throw AppError.badInput('email', 'Enter a valid email address.');
  }
  await ctx.db.transaction(async (tx) => {
    const user = await tx.findOne(UserEntity, { where: { email, kind: 'HUMAN' }, lock: { mode: 'pessimistic_write' } });
    if (!user?.passwordHash) return;
    const [recent] = await tx.query(
      `SELECT 1 FROM password_reset_tokens WHERE user_id = $1 AND created_at > now() - make_interval(secs => $2)`,
      [user.id, PASSWORD_RESET_COOLDOWN_SECONDS],
    );
    if (recent) return;
    await tx.query('UPDATE password_reset_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [
      user.id,
    ]);
    const token = newToken();
    await tx.query(
      `INSERT INTO password_reset_tokens (user_id, token_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(mins => $3))`,
      [user.id, sha256(token), PASSWORD_RESET_LIFETIME_MINUTES],
    );
    const link = `${ctx.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await queueEmail(tx, {
      to: user.email!,
      subject: 'Reset your Gatehouse password',
      text: [
        `Someone asked to reset the password of the Gatehouse account ${user.email}.`,
        '',
        `Choose a new password: ${link}`,
        '',
        `The link works once, for ${PASSWORD_RESET_LIFETIME_MINUTES} minutes. If you did not ask for it, ignore this email: your password stays as it is.`,
      ].join('\n'),
    });
    const membership = await mostRecentMembership(tx, user.id);
    await record(ctx, tx, {
      organizationId: membership?.organizationId ?? null,
      category: 'USER_ACTIONS',
      action: 'user.passwordResetRequested',
      actor: { type: 'ANONYMOUS', id: null, name: null },
      target: { type: 'user', id: user.id, name: user.displayName },
    });
  });
  return answerNoSoonerThan(started, true);
}

const LINK_UNUSABLE = 'This link has expired or was already used. Ask for a new one.';

/**
 * Sets a new password from a valid link, uses the link up and ends every session of the user.
 * It does not sign in: the next sign-in asks for the password (and a second factor) as usual.
 */
export async function resetPassword(ctx: RequestContext, input: ResetPasswordInput): Promise<boolean> {
  const [candidate] = await ctx.db.query(
    `SELECT t.user_id, u.email, u.username,
            (SELECT coalesce(max(o.min_password_length), 0) FROM memberships m JOIN organizations o ON o.id = m.organization_id
              WHERE m.user_id = t.user_id AND m.status = 'ACTIVE') AS min_length
       FROM password_reset_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now()`,
    [sha256(input.token)],
  );
  if (!candidate) throw AppError.badInput('token', LINK_UNUSABLE);
  assertAcceptablePassword('newPassword', input.newPassword, {
    email: candidate.email,
    username: candidate.username,
    minLength: candidate.min_length,
  });
  const passwordHash = await hashPassword(input.newPassword, ctx.config.bcryptCost);
  await ctx.db.transaction(async (tx) => {
    // TypeORM answers an UPDATE with [rows, count].
    const [used]: [unknown[], number] = await tx.query(
      `UPDATE password_reset_tokens SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
      [sha256(input.token)],
    );
    if (used.length === 0) throw AppError.badInput('token', LINK_UNUSABLE);
    const user = await tx.findOneByOrFail(UserEntity, { id: candidate.user_id });
    await tx.update(UserEntity, { id: user.id }, { passwordHash, passwordChangedAt: new Date() });
    await endSessions(tx, { userId: user.id });
    const membership = await mostRecentMembership(tx, user.id);
    await record(ctx, tx, {
      organizationId: membership?.organizationId ?? null,
      category: 'USER_ACTIONS',
      action: 'user.passwordReset',
      actor: { type: 'USER', id: user.id, name: user.displayName },
      target: { type: 'user', id: user.id, name: user.displayName },
    });
  });
  return true;
}
