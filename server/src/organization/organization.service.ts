import type { RequestContext } from '../kernel/context';
import { AppError } from '../errors/app-error';
import { record } from '../audit-log/audit-log.service';
import { loadActiveMembership, sessionAuthState } from '../auth/membership-loader';
import { requireId, requireInteractiveSession } from '../auth/policies';
import { switchSessionOrganization } from '../auth/session.service';
import { createMembership } from './membership.service';
import { OrganizationEntity } from './organization.entity';
import type { CreateOrganizationInput } from './organization.inputs';
import { getViewer } from '../auth/viewer.service';
import type { Viewer } from '../auth/viewer.types';

export async function createOrganization(ctx: RequestContext, input: CreateOrganizationInput): Promise<Viewer> {
  const auth = requireInteractiveSession(ctx);
  await ctx.db.transaction(async (tx) => {
    const organization = await tx.save(tx.create(OrganizationEntity, { name: input.name.trim() }));
    const { membership } = await createMembership(ctx, tx, {
      organizationId: organization.id,
      userId: auth.user.id,
      roleId: 'admin',
    });
    await switchSessionOrganization(tx, auth.sessionId, organization.id);
    ctx.auth = sessionAuthState(membership, auth.sessionId);
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'organization.created',
      target: { type: 'organization', id: organization.id, name: organization.name },
      changes: { name: { before: null, after: organization.name } },
    });
  });
  return (await getViewer(ctx))!;
}

export async function switchOrganization(ctx: RequestContext, organizationId: string): Promise<Viewer> {
  const auth = requireInteractiveSession(ctx);
  const membership = await loadActiveMembership(ctx.db, auth.user.id, requireId(organizationId, 'Organization'));
  if (!membership) throw AppError.notFound('Organization');
  await ctx.db.transaction(async (tx) => {
    await switchSessionOrganization(tx, auth.sessionId, organizationId);
    await tx.query('UPDATE memberships SET last_active_at = now() WHERE id = $1', [membership.id]);
    ctx.auth = sessionAuthState(membership, auth.sessionId);
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'organization.switched',
      target: { type: 'organization', id: organizationId },
    });
  });
  return (await getViewer(ctx))!;
}
