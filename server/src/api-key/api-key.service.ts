import {
  ALL_SCOPES,
  API_KEY_GRACE_PERIODS_SECONDS,
  LIMITS,
  isPermissionName,
  isWorkspacePermission,
} from '@gatehouse/shared';
import type { RequestContext } from '../app/context';
import { record, userActor } from '../audit-log/audit-log.service';
import { notifyAccessChanged } from '../auth/access-events';
import type { AuthState } from '../auth/auth-state';
import { requireAuth, requireId, requirePermission } from '../auth/policies';
import type { Transaction } from '../db/data-source';
import { withConstraints } from '../db/constraints';
import { AppError } from '../errors/app-error';
import { MembershipEntity } from '../organization/membership.entity';
import { permissionsOfRole } from '../role/role-permissions';
import { OrganizationEntity } from '../organization/organization.entity';
import { apiKeyLifetimePolicy, resolveExpiry } from './api-key-lifetime';
import { generateApiKeySecret, hashApiKeySecret, maskApiKey } from './api-key-secret';
import { ApiKeyEntity } from './api-key.entity';
import type { CreateApiKeyInput, UpdateApiKeyInput } from './api-key.inputs';
import { ApiKey, CreatedApiKey } from './api-key.types';

function newSecretColumns() {
  const secret = generateApiKeySecret();
  return { secret, columns: { secretHash: hashApiKeySecret(secret), ...maskApiKey(secret) } };
}

function created(key: ApiKeyEntity, secret: string): CreatedApiKey {
  return Object.assign(new CreatedApiKey(), { apiKey: ApiKey.from(key), secret });
}

function auditTarget(key: ApiKeyEntity) {
  return { type: 'apiKey', id: key.id, name: key.name };
}

/**
 * The database's rules on keys, each turned into the error a person understands. Any other
 * violation is a bug (validation runs first) and stays an internal error.
 */
const KEY_CONSTRAINTS = {
  memberships_api_key_limit: () =>
    new AppError(
      'LIMIT_EXCEEDED',
      `This owner already has ${LIMITS.apiKeysPerOwner} API keys, the most allowed. Delete one first.`,
    ),
  api_keys_owner_name_key: () => AppError.conflict('A key with this name already exists.', 'name'),
};

function insertKey(tx: Transaction, values: Partial<ApiKeyEntity>): Promise<ApiKeyEntity> {
  return withConstraints(() => tx.save(tx.create(ApiKeyEntity, values)), KEY_CONSTRAINTS);
}

/** Called for every new membership: the member's default key, whose secret only rotation reveals. */
export async function issueDefaultKey(
  ctx: RequestContext,
  tx: Transaction,
  membership: MembershipEntity,
): Promise<CreatedApiKey> {
  const { secret, columns } = newSecretColumns();
  const key = await insertKey(tx, {
    organizationId: membership.organizationId,
    membershipId: membership.id,
    ownerId: membership.userId,
    name: 'Default key',
    isDefault: true,
    scopes: [ALL_SCOPES],
    expiresAt: null,
    ...columns,
  });
  await record(ctx, tx, {
    organizationId: membership.organizationId,
    category: 'USER_ACTIONS',
    action: 'apiKey.created',
    // A new member (signing up, accepting an invitation) has no caller identity yet: they act.
    actor: ctx.auth ? undefined : userActor(membership.user),
    target: auditTarget(key),
    changes: { name: { before: null, after: key.name }, isDefault: { before: null, after: true } },
  });
  return created(key, secret);
}

/**
 * The membership whose keys the caller may manage: their own, or (with serviceAccounts:manage)
 * a service account's in the same organization. Anything else does not exist for them.
 */
async function keyOwnerMembership(
  ctx: RequestContext,
  tx: Transaction,
  auth: AuthState,
  ownerId: string | undefined | null,
): Promise<MembershipEntity> {
  if (!ownerId || ownerId === auth.user.id) return auth.membership;
  requireId(ownerId, 'Owner');
  const membership = await tx.findOne(MembershipEntity, {
    where: { userId: ownerId, organizationId: auth.organizationId },
    relations: { user: true, role: true },
  });
  if (!membership || membership.user.kind !== 'SERVICE_ACCOUNT') throw AppError.notFound('Owner');
  requirePermission(ctx, 'serviceAccounts:manage');
  return membership;
}

/** A key the caller may change, locked for the rest of the transaction. */
async function keyForChange(ctx: RequestContext, tx: Transaction, id: string): Promise<ApiKeyEntity> {
  const auth = requireAuth(ctx);
  const key = await tx.findOne(ApiKeyEntity, {
    where: { id: requireId(id, 'API key'), organizationId: auth.organizationId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!key) throw AppError.notFound('API key');
  await keyOwnerMembership(ctx, tx, auth, key.ownerId).catch((error: AppError) => {
    throw error.code === 'FORBIDDEN' ? error : AppError.notFound('API key');
  });
  return key;
}

/**
 * Scopes are "*" alone or catalogue permissions, and never more than the caller holds: a key
 * must not hand out power its creator does not have (the owner's current permissions are
 * intersected again at every use).
 */
function validatedScopes(ctx: RequestContext, requested: string[] | undefined, owner: MembershipEntity): string[] {
  const scopes = [...new Set(requested ?? [ALL_SCOPES])];
  if (scopes.includes(ALL_SCOPES) && scopes.length > 1) {
    throw AppError.badInput('scopes', 'Use "*" on its own, or list permissions.');
  }
  const unknown = scopes.find((scope) => scope !== ALL_SCOPES && !isPermissionName(scope));
  if (unknown) throw AppError.badInput('scopes', `"${unknown}" is not a permission.`);
  const granted = scopes.includes(ALL_SCOPES) ? permissionsOfRole(owner.role) : scopes;
  // Workspace permissions are checked in each workspace at every use, so as scopes they only narrow.
  const held = requireAuth(ctx).permissions;
  if (granted.some((permission) => !isWorkspacePermission(permission) && !held.has(permission))) {
    throw AppError.forbidden('A key cannot have permissions that you do not hold yourself.');
  }
  return scopes;
}

export async function listApiKeys(ctx: RequestContext, ownerId?: string | null): Promise<ApiKey[]> {
  const auth = requireAuth(ctx);
  const owner = await keyOwnerMembership(ctx, ctx.db.manager, auth, ownerId);
  const keys = await ctx.db.getRepository(ApiKeyEntity).find({
    where: { membershipId: owner.id },
    order: { isDefault: 'DESC', createdAt: 'ASC' },
  });
  return keys.map(ApiKey.from);
}

export async function createApiKey(ctx: RequestContext, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const auth = requireAuth(ctx);
  return ctx.db.transaction(async (tx) => {
    const owner = await keyOwnerMembership(ctx, tx, auth, input.ownerId);
    const scopes = validatedScopes(ctx, input.scopes, owner);
    const organization = await tx.findOneByOrFail(OrganizationEntity, { id: auth.organizationId });
    const expiresAt = resolveExpiry(input, apiKeyLifetimePolicy(organization));
    const { secret, columns } = newSecretColumns();
    const key = await insertKey(tx, {
      organizationId: auth.organizationId,
      membershipId: owner.id,
      ownerId: owner.userId,
      name: input.name.trim(),
      description: input.description?.trim() ?? '',
      scopes,
      expiresAt,
      ...columns,
    });
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'apiKey.created',
      target: auditTarget(key),
      changes: {
        name: { before: null, after: key.name },
        scopes: { before: null, after: scopes },
        expiresAt: { before: null, after: expiresAt?.toISOString() ?? null },
      },
    });
    return created(key, secret);
  });
}

export async function updateApiKey(ctx: RequestContext, id: string, input: UpdateApiKeyInput): Promise<ApiKey> {
  return ctx.db.transaction(async (tx) => {
    const key = await keyForChange(ctx, tx, id);
    const next = { name: input.name?.trim() ?? key.name, description: input.description?.trim() ?? key.description };
    const changes = Object.fromEntries(
      (['name', 'description'] as const)
        .filter((field) => next[field] !== key[field])
        .map((field) => [field, { before: key[field], after: next[field] }]),
    );
    if (!Object.keys(changes).length) return ApiKey.from(key);
    Object.assign(key, next);
    await withConstraints(() => tx.save(key), KEY_CONSTRAINTS);
    await record(ctx, tx, { category: 'USER_ACTIONS', action: 'apiKey.updated', target: auditTarget(key), changes });
    return ApiKey.from(key);
  });
}

export async function rotateApiKey(
  ctx: RequestContext,
  id: string,
  gracePeriodSeconds: number | null | undefined,
): Promise<CreatedApiKey> {
  const grace = gracePeriodSeconds ?? 0;
  if (!(API_KEY_GRACE_PERIODS_SECONDS as readonly number[]).includes(grace)) {
    throw AppError.badInput('gracePeriodSeconds', 'The grace period must be 0, 1 hour, 24 hours or 7 days.');
  }
  return ctx.db.transaction(async (tx) => {
    const key = await keyForChange(ctx, tx, id);
    if (!key.isDefault) throw AppError.conflict('Only the default key can be rotated; create a new key instead.');
    const { secret, columns } = newSecretColumns();
    Object.assign(key, {
      previousSecretHash: grace > 0 ? key.secretHash : null,
      previousSecretExpiresAt: grace > 0 ? new Date(Date.now() + grace * 1000) : null,
      ...columns,
    });
    await tx.save(key);
    await notifyAccessChanged(tx, { apiKeyId: key.id });
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'apiKey.rotated',
      target: auditTarget(key),
      changes: { gracePeriodSeconds: { before: null, after: grace } },
    });
    return created(key, secret);
  });
}

export async function revokeApiKey(ctx: RequestContext, id: string): Promise<ApiKey> {
  return ctx.db.transaction(async (tx) => {
    const key = await keyForChange(ctx, tx, id);
    if (key.isDefault) throw AppError.conflict('The default key cannot be revoked; rotate it instead.');
    if (key.revokedAt) return ApiKey.from(key);
    key.revokedAt = new Date();
    await tx.save(key);
    await notifyAccessChanged(tx, { apiKeyId: key.id });
    await record(ctx, tx, { category: 'USER_ACTIONS', action: 'apiKey.revoked', target: auditTarget(key) });
    return ApiKey.from(key);
  });
}

export async function deleteApiKey(ctx: RequestContext, id: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const key = await keyForChange(ctx, tx, id);
    if (key.isDefault) throw AppError.conflict('The default key cannot be deleted; rotate it instead.');
    await tx.delete(ApiKeyEntity, { id: key.id });
    await notifyAccessChanged(tx, { apiKeyId: key.id });
    await record(ctx, tx, { category: 'USER_ACTIONS', action: 'apiKey.deleted', target: auditTarget(key) });
    return key.id;
  });
}

export async function apiKeyInUse(ctx: RequestContext): Promise<ApiKey | null> {
  const apiKeyId = ctx.auth?.apiKeyId;
  if (!apiKeyId) return null;
  const key = await ctx.db.getRepository(ApiKeyEntity).findOneBy({ id: apiKeyId });
  return key ? ApiKey.from(key) : null;
}
