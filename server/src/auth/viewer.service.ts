import type { RequestContext } from '../kernel/context';
import { MembershipEntity } from '../organization/membership.entity';
import { Organization } from '../organization/organization.types';
import { Role } from '../role/role.types';
import { User } from '../user/user.types';
import { twoFactorSetupRequired } from './membership-loader';
import { Viewer } from './viewer.types';
import { apiKeyInUse } from '../api-key/api-key.service';

/** The viewer of the current request, or null for an anonymous caller. */
export async function getViewer(ctx: RequestContext): Promise<Viewer | null> {
  if (!ctx.auth) return null;
  const { user, membership, permissions } = ctx.auth;
  const memberships = await ctx.db.getRepository(MembershipEntity).find({
    where: { userId: user.id, status: 'ACTIVE' },
    relations: { organization: true },
    order: { createdAt: 'ASC' },
  });
  const organizations = memberships.map((m) => Organization.from(m.organization));
  const active = memberships.find((m) => m.organizationId === membership.organizationId);
  return Object.assign(new Viewer(), {
    user: User.from(user),
    organization: organizations.find((o) => o.id === membership.organizationId)!,
    role: Role.from(membership.role),
    permissions: [...permissions].sort(),
    organizations,
    twoFactorSetupRequired: Boolean(ctx.auth.sessionId && active && twoFactorSetupRequired({ ...active, user })),
    apiKey: await apiKeyInUse(ctx),
  });
}
