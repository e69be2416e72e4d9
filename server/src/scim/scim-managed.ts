import type { RequestContext } from '../kernel/context';
import { requestLoader } from '../kernel/loaders';
import { requireAuth } from '../auth/policies';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';

/**
 * What SCIM provisioning owns. Member and group management call these before changing what the
 * identity provider would overwrite at its next sync (a member's status, membership itself; a
 * group's name, its members, the group itself), and refuse with CONFLICT; role assignment stays
 * with the organization.
 */
export const MANAGED_BY_IDENTITY_PROVIDER = 'MANAGED_BY_IDENTITY_PROVIDER';

export async function refuseIfManagedMember(
  tx: Transaction,
  membership: { organizationId: string; userId: string },
): Promise<void> {
  if (await isProvisionedMember(tx, membership.organizationId, membership.userId)) {
    throw new AppError(
      'CONFLICT',
      'This member is managed by your identity provider: activate, deactivate or remove them there.',
      undefined,
      { reason: MANAGED_BY_IDENTITY_PROVIDER },
    );
  }
}

export async function refuseIfManagedGroup(tx: Transaction, groupId: string): Promise<void> {
  const rows = await tx.query('SELECT 1 FROM scim_groups WHERE group_id = $1', [groupId]);
  if (rows.length) {
    throw new AppError(
      'CONFLICT',
      'This group is managed by your identity provider: change its name and members there. Its workspace roles are yours to set here.',
      undefined,
      { reason: MANAGED_BY_IDENTITY_PROVIDER },
    );
  }
}

/** Whether the organization's identity provider provisioned this user there (so SSO may sign them in). */
export async function isProvisionedMember(tx: Transaction, organizationId: string, userId: string): Promise<boolean> {
  const rows = await tx.query('SELECT 1 FROM scim_members WHERE organization_id = $1 AND user_id = $2', [
    organizationId,
    userId,
  ]);
  return rows.length > 0;
}

/** Whether SCIM manages this member of the caller's organization, batched per request. */
export function memberManagedByIdentityProvider(ctx: RequestContext, userId: string): Promise<boolean> {
  return requestLoader<boolean>(
    ctx,
    'memberManagedByIdentityProvider',
    async (userIds) => {
      const rows: { user_id: string }[] = await ctx.db.query(
        'SELECT user_id FROM scim_members WHERE organization_id = $1 AND user_id = ANY($2::uuid[])',
        [requireAuth(ctx).organizationId, userIds],
      );
      return new Map(rows.map((row) => [row.user_id, true]));
    },
    () => false,
  ).load(userId);
}

/** Whether SCIM manages this group, batched per request. */
export function groupManagedByIdentityProvider(ctx: RequestContext, groupId: string): Promise<boolean> {
  return requestLoader<boolean>(
    ctx,
    'groupManagedByIdentityProvider',
    async (groupIds) => {
      const rows: { group_id: string }[] = await ctx.db.query(
        'SELECT group_id FROM scim_groups WHERE organization_id = $1 AND group_id = ANY($2::uuid[])',
        [requireAuth(ctx).organizationId, groupIds],
      );
      return new Map(rows.map((row) => [row.group_id, true]));
    },
    () => false,
  ).load(groupId);
}
