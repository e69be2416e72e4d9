import type { RequestContext } from '../kernel/context';
import type { Transaction } from '../db/data-source';
import { issueDefaultKey } from '../api-key/api-key.service';
import { MEMBERSHIP_ROLES, MembershipEntity } from './membership.entity';

/**
 * Every way into an organization (sign-up, new organization, invitation, service account) goes
 * through here, so every member gets its default API key with the membership.
 */
export async function createMembership(
  ctx: RequestContext,
  tx: Transaction,
  values: { organizationId: string; userId: string; roleId: string },
): Promise<{ membership: MembershipEntity }> {
  const { id } = await tx.save(tx.create(MembershipEntity, { ...values, status: 'ACTIVE', lastActiveAt: new Date() }));
  const membership = await tx.findOneOrFail(MembershipEntity, {
    where: { id },
    relations: { user: true, ...MEMBERSHIP_ROLES },
  });
  await issueDefaultKey(ctx, tx, membership);
  return { membership };
}

/** The organization a user lands in at sign-in: the one they used last. */
export async function mostRecentMembership(tx: Transaction, userId: string): Promise<MembershipEntity | null> {
  return tx
    .getRepository(MembershipEntity)
    .createQueryBuilder('m')
    .innerJoinAndSelect('m.user', 'user')
    .innerJoinAndSelect('m.role', 'role')
    .leftJoinAndSelect('m.baseRole', 'baseRole')
    .where('m.user_id = :userId AND m.status = :status', { userId, status: 'ACTIVE' })
    .orderBy('m.last_active_at', 'DESC', 'NULLS LAST')
    .addOrderBy('m.created_at', 'ASC')
    .getOne();
}
