import type { EntityManager } from 'typeorm';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import type { UserEntity } from '../user/user.entity';

/** Whether an organization the user is an active member of requires two-factor authentication. */
async function requiredByAnOrganization(db: EntityManager, userId: string): Promise<boolean> {
  const rows: unknown[] = await db.query(
    `SELECT 1 FROM memberships m JOIN organizations o ON o.id = m.organization_id
      WHERE m.user_id = $1 AND m.status = 'ACTIVE' AND o.require_two_factor LIMIT 1`,
    [userId],
  );
  return rows.length > 0;
}

/**
 * Whether a right password still needs a second factor: with an authenticator app turned on,
 * always; with only passkeys, when an organization requires 2FA (they are what satisfies it).
 * Otherwise a passkey is an alternative way in, and the password alone still works.
 */
export async function secondFactorRequired(db: EntityManager, user: UserEntity): Promise<boolean> {
  if (user.totpEnabledAt) return true;
  return user.passkeyCount > 0 && (await requiredByAnOrganization(db, user.id));
}

/**
 * Refuses to remove the user's last second factor (the authenticator app or a passkey) while an
 * organization requires 2FA. Runs in the removing transaction and locks the user row, so two
 * parallel removals cannot each leave the other one as the last.
 */
export async function assertSecondFactorRemains(
  tx: Transaction,
  userId: string,
  removing: 'authenticatorApp' | 'passkey',
): Promise<void> {
  const [row]: { totp: boolean; passkey_count: number }[] = await tx.query(
    'SELECT totp_enabled_at IS NOT NULL AS totp, passkey_count FROM users WHERE id = $1 FOR UPDATE',
    [userId],
  );
  const left =
    (row.totp && removing !== 'authenticatorApp' ? 1 : 0) + row.passkey_count - (removing === 'passkey' ? 1 : 0);
  if (left < 1 && (await requiredByAnOrganization(tx, userId))) {
    throw AppError.conflict(
      'Your organization requires two-factor authentication: add another passkey or an authenticator app first.',
    );
  }
}
