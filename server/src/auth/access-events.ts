import type { Transaction } from '../db/data-source';

export const ACCESS_CHANGED_CHANNEL = 'gatehouse_access_changed';

/** Whose access changed: one member, every member of an organization, or one API key. */
export type AccessChange =
  { organizationId: string; userId: string } | { organizationId: string; allMembers: true } | { apiKeyId: string };

/**
 * Tells every server instance, when (and only if) the transaction commits, that cached
 * credentials for these principals must be re-checked. Call it in the transaction of any
 * change to a member's role, status, membership, groups or workspace roles, a role's
 * permissions, or an API key.
 */
export async function notifyAccessChanged(tx: Transaction, change: AccessChange): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [ACCESS_CHANGED_CHANNEL, JSON.stringify(change)]);
}
