import type { RequestContext } from '../kernel/context';
import { addJob, type JobDefinition } from '../kernel/jobs';
import { record } from '../audit-log/audit-log.service';
import type { Transaction } from '../db/data-source';

/*
 * Time-bound grants lapse by themselves: permission checks read the `current_*` views and
 * memberships revert on load, so nobody keeps an expired role for a moment. This job writes the
 * reversion back and records an `access.expired` event for each grant. Rows are taken with
 * FOR UPDATE SKIP LOCKED, so instances running it at once share the work and each grant is
 * expired (and recorded) by exactly one of them.
 */

export const EXPIRE_GRANTS_JOB = 'access.expireGrants';
const BATCH = 500;
const SYSTEM = { type: 'SYSTEM', id: null, name: 'Gatehouse' } as const;
/** A person's name as the audit log shows it (users.displayName). */
const USER_NAME = `coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.username, u.email, u.id::text)`;

interface Expired {
  organization_id: string;
  user_id: string | null;
  group_id: string | null;
  workspace_id: string | null;
  name: string;
  role_id: string | null;
  base_role_id: string | null;
  expires_at: Date;
}

/** Asks for the job at the moment a grant ends (a minutely run catches anything missed). */
export async function scheduleExpiry(tx: Transaction, expiresAt: Date | null | undefined): Promise<void> {
  if (!expiresAt) return;
  await addJob(
    tx,
    EXPIRE_GRANTS_JOB,
    {},
    { runAt: expiresAt, jobKey: `${EXPIRE_GRANTS_JOB}:${expiresAt.toISOString()}` },
  );
}

/** Reverts every expired grant; returns how many. */
export async function expireGrants(ctx: RequestContext): Promise<number> {
  let total = 0;
  for (;;) {
    const count = await ctx.db.transaction((tx) => expireBatch(ctx, tx));
    total += count;
    if (count < BATCH) return total;
  }
}

async function expireBatch(ctx: RequestContext, tx: Transaction): Promise<number> {
  const roles: Expired[] = await tx.query(
    `WITH due AS (
       SELECT id FROM memberships WHERE role_expires_at <= now() ORDER BY role_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
     ), old AS (
       SELECT m.id, m.organization_id, m.user_id, m.role_id, m.base_role_id, m.role_expires_at FROM memberships m JOIN due USING (id)
     ), reverted AS (
       UPDATE memberships m SET role_id = old.base_role_id, base_role_id = NULL, role_expires_at = NULL
       FROM old WHERE m.id = old.id RETURNING m.id
     )
     SELECT old.organization_id, old.user_id, NULL::uuid AS group_id, NULL::uuid AS workspace_id,
            ${USER_NAME} AS name, old.role_id, old.base_role_id, old.role_expires_at AS expires_at
     FROM old JOIN reverted USING (id) JOIN users u ON u.id = old.user_id`,
    [BATCH],
  );
  const workspaceRoles: Expired[] = await tx.query(
    `WITH due AS (
       SELECT * FROM workspace_members WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
     ), reverted AS (
       UPDATE workspace_members wm SET role_id = due.base_role_id, base_role_id = NULL, expires_at = NULL
       FROM due WHERE wm.id = due.id AND due.base_role_id IS NOT NULL RETURNING wm.id
     ), removed AS (
       DELETE FROM workspace_members wm USING due WHERE wm.id = due.id AND due.base_role_id IS NULL RETURNING wm.id
     )
     SELECT due.organization_id, due.user_id, due.group_id, due.workspace_id,
            coalesce(g.name, ${USER_NAME}) AS name, due.role_id, due.base_role_id, due.expires_at
     FROM due LEFT JOIN users u ON u.id = due.user_id LEFT JOIN groups g ON g.id = due.group_id
     WHERE due.id IN (SELECT id FROM reverted UNION ALL SELECT id FROM removed)`,
    [BATCH],
  );
  const groupMemberships: Expired[] = await tx.query(
    `WITH due AS (
       SELECT group_id, user_id FROM group_members WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
     ), removed AS (
       DELETE FROM group_members gm USING due WHERE gm.group_id = due.group_id AND gm.user_id = due.user_id
       RETURNING gm.organization_id, gm.user_id, gm.group_id, gm.expires_at
     )
     SELECT removed.organization_id, removed.user_id, removed.group_id, NULL::uuid AS workspace_id,
            ${USER_NAME} || ' in ' || g.name AS name, NULL AS role_id, NULL AS base_role_id, removed.expires_at
     FROM removed JOIN users u ON u.id = removed.user_id JOIN groups g ON g.id = removed.group_id`,
    [BATCH],
  );
  for (const grant of roles) await recordExpiry(ctx, tx, grant, 'tenantRole');
  for (const grant of workspaceRoles) await recordExpiry(ctx, tx, grant, 'workspaceRole');
  for (const grant of groupMemberships) await recordExpiry(ctx, tx, grant, 'groupMembership');
  return Math.max(roles.length, workspaceRoles.length, groupMemberships.length);
}

async function recordExpiry(ctx: RequestContext, tx: Transaction, grant: Expired, kind: string): Promise<void> {
  await record(ctx, tx, {
    organizationId: grant.organization_id,
    actor: SYSTEM,
    category: 'SYSTEM_CONFIGURATION',
    action: 'access.expired',
    target:
      grant.group_id && !grant.workspace_id
        ? { type: 'groupMembership', id: `${grant.group_id}:${grant.user_id}`, name: grant.name }
        : { type: grant.user_id ? 'user' : 'group', id: (grant.user_id ?? grant.group_id)!, name: grant.name },
    workspaceId: grant.workspace_id,
    changes: {
      grant: { before: kind, after: null },
      ...(grant.role_id ? { role: { before: grant.role_id, after: grant.base_role_id } } : {}),
      expiresAt: { before: grant.expires_at.toISOString(), after: null },
    },
  });
}

export const EXPIRE_GRANTS: JobDefinition = {
  name: EXPIRE_GRANTS_JOB,
  cron: '* * * * *',
  handler: async (_payload, ctx) => {
    await expireGrants(ctx);
  },
};
