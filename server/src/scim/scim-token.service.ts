import { IsNull } from 'typeorm';
import { LIMITS } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import { generateSecret, hashSecret, maskSecret } from '../api-key/api-key-secret';
import { requireAuth, requireId } from '../auth/policies';
import { AppError } from '../errors/app-error';
import { ScimTokenEntity } from './scim.entity';
import { SCIM_TOKEN_PREFIX } from './scim-token-authenticator';
import { CreatedScimToken, ScimProvisioning, ScimToken } from './scim.types';

const auditTarget = (token: ScimTokenEntity) => ({ type: 'scimToken', id: token.id, name: token.name });

/** The organization's tokens that still work, newest first. */
export async function listScimTokens(ctx: RequestContext): Promise<ScimToken[]> {
  const tokens = await ctx.db.getRepository(ScimTokenEntity).find({
    where: { organizationId: requireAuth(ctx).organizationId, revokedAt: IsNull() },
    order: { createdAt: 'DESC' },
  });
  return tokens.map(ScimToken.from);
}

export async function createScimToken(ctx: RequestContext, name: string): Promise<CreatedScimToken> {
  const auth = requireAuth(ctx);
  const trimmed = name.trim();
  if (!trimmed) throw AppError.badInput('name', 'Give the token a name, such as the identity provider it is for.');
  if (trimmed.length > LIMITS.nameMaxLength)
    throw AppError.badInput('name', `The name can be at most ${LIMITS.nameMaxLength} characters.`);
  const secret = generateSecret(SCIM_TOKEN_PREFIX);
  return ctx.db.transaction(async (tx) => {
    const token = await tx.save(
      tx.create(ScimTokenEntity, {
        organizationId: auth.organizationId,
        name: trimmed,
        ...maskSecret(secret, SCIM_TOKEN_PREFIX),
        secretHash: hashSecret(secret),
      }),
    );
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.tokenCreated',
      target: auditTarget(token),
      changes: { name: { before: null, after: token.name } },
    });
    return Object.assign(new CreatedScimToken(), { secret, scimToken: ScimToken.from(token) });
  });
}

/** Stops the token at once on every instance: each request reads it from the database. */
export async function revokeScimToken(ctx: RequestContext, id: string): Promise<string> {
  const auth = requireAuth(ctx);
  return ctx.db.transaction(async (tx) => {
    const token = await tx.findOne(ScimTokenEntity, {
      where: { id: requireId(id, 'SCIM token'), organizationId: auth.organizationId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!token || token.revokedAt) throw AppError.notFound('SCIM token');
    await tx.update(ScimTokenEntity, { id: token.id }, { revokedAt: new Date() });
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.tokenRevoked',
      target: auditTarget(token),
    });
    return token.id;
  });
}

export async function scimProvisioning(ctx: RequestContext): Promise<ScimProvisioning> {
  const [last]: { occurred_at: Date; action: string }[] = await ctx.db.query(
    `SELECT occurred_at, action FROM audit_events
     WHERE organization_id = $1 AND actor_type = 'SCIM_TOKEN' ORDER BY occurred_at DESC, sequence DESC LIMIT 1`,
    [requireAuth(ctx).organizationId],
  );
  return Object.assign(new ScimProvisioning(), {
    baseUrl: `${ctx.config.publicUrl}/scim/v2`,
    lastSyncAt: last?.occurred_at ?? null,
    lastSyncAction: last?.action ?? null,
  });
}
