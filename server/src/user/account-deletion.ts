import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import { requireInteractiveSession } from '../auth/policies';
import { endSessions } from '../auth/session.service';
import { LAST_ADMIN, LAST_WORKSPACE_OWNER, withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { UserEntity } from './user.entity';

export const ACCOUNT_DELETION_PHRASE = 'delete my account';

interface MembershipRow {
  organization_id: string;
  organization_name: string;
  role_id: string;
  other_members: number;
  other_admins: number;
}

/**
 * Why the account cannot go yet: it is the last Admin of an organization that has other
 * members, or the last Owner of a workspace there. Rows are locked so the answer holds until commit.
 */
async function blockers(tx: Transaction, userId: string): Promise<MembershipRow[]> {
  const rows: MembershipRow[] = await tx.query(
    `SELECT m.organization_id, o.name AS organization_name, m.role_id,
            (SELECT count(*)::int FROM memberships x WHERE x.organization_id = m.organization_id AND x.user_id <> $1)
              AS other_members,
            (SELECT count(*)::int FROM memberships x WHERE x.organization_id = m.organization_id AND x.user_id <> $1
                AND x.role_id = 'admin' AND x.status = 'ACTIVE') AS other_admins
       FROM memberships m JOIN organizations o ON o.id = m.organization_id
      WHERE m.user_id = $1
      ORDER BY o.name
        FOR UPDATE OF o`,
    [userId],
  );
  return rows;
}

/**
 * Deletes the caller's account: organizations where they are the only member go with it; in
 * the others they leave (their keys, groups and workspace roles too). The user row stays,
 * stripped of personal data, so audit events keep pointing at a now pseudonymous actor.
 */
export async function deleteAccount(ctx: RequestContext, confirmation: string): Promise<boolean> {
  const auth = requireInteractiveSession(ctx);
  if (confirmation.trim().toLowerCase() !== ACCOUNT_DELETION_PHRASE) {
    throw AppError.badInput('confirmation', `Type "${ACCOUNT_DELETION_PHRASE}" to confirm.`);
  }
  await ctx.db.transaction(async (tx) => {
    const user = await tx.findOneOrFail(UserEntity, {
      where: { id: auth.user.id },
      lock: { mode: 'pessimistic_write' },
    });
    const memberships = await blockers(tx, user.id);
    const stuck = memberships.find((m) => m.other_members > 0 && m.role_id === 'admin' && m.other_admins === 0);
    if (stuck) {
      throw AppError.conflict(
        `You are the last Admin of ${stuck.organization_name}, which has other members. Make one of them an Admin there (or remove them) first.`,
      );
    }
    const actor = { type: 'USER' as const, id: user.id, name: user.displayName };
    const target = { type: 'user', id: user.id, name: user.displayName };
    for (const membership of memberships) {
      if (membership.other_members === 0) {
        await tx.query('DELETE FROM organizations WHERE id = $1', [membership.organization_id]);
        continue;
      }
      await record(ctx, tx, {
        organizationId: membership.organization_id,
        category: 'USER_ACTIONS',
        action: 'user.deleted',
        actor,
        target,
      });
    }
    await endSessions(tx, { userId: user.id });
    await withConstraints(
      async () => {
        await tx.query('DELETE FROM workspace_members WHERE user_id = $1', [user.id]);
        await tx.query('DELETE FROM group_members WHERE user_id = $1', [user.id]);
        await tx.query('DELETE FROM memberships WHERE user_id = $1', [user.id]);
      },
      { ...LAST_ADMIN, ...LAST_WORKSPACE_OWNER },
    );
    await tx.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
    await tx.query('DELETE FROM recovery_codes WHERE user_id = $1', [user.id]);
    await tx.query('DELETE FROM password_reset_tokens WHERE user_id = $1', [user.id]);
    await tx.query('DELETE FROM user_identities WHERE user_id = $1', [user.id]);
    await tx.query('DELETE FROM passkeys WHERE user_id = $1', [user.id]);
    await tx.update(
      UserEntity,
      { id: user.id },
      {
        email: `deleted-${user.id}@deleted.invalid`,
        username: null,
        firstName: 'Deleted',
        lastName: 'user',
        passwordHash: null,
        totpSecret: null,
        totpPendingSecret: null,
        totpEnabledAt: null,
      },
    );
  });
  ctx.sessionCookie.clear();
  return true;
}
