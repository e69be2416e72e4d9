import { ALL_SCOPES, API_KEY_GRACE_PERIODS_SECONDS, LIMITS, isPermissionName } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { record, userActor } from '../audit-log/audit-log.service';
import type { AuthState } from '../auth/auth-state';
import { assertMayObtainKey } from '../auth/effective-permissions';
import { requireAuth, requireId, requirePermission } from '../auth/policies';
import type { Transaction } from '../db/data-source';
import { withConstraints } from '../db/constraints';
import { AppError } from '../errors/app-error';
import { MEMBERSHIP_ROLES, MembershipEntity } from '../organization/membership.entity';
import { OrganizationEntity } from '../organization/organization.entity';
import { apiKeyLifetimePolicy, resolveExpiry } from './api-key-lifetime';
import { generateApiKeySecret, hashApiKeySecret, maskApiKey } from './api-key-secret';
import { normalizeAllowedIps } from './ip-allowlist';
import { ApiKeyEntity } from './api-key.entity';
import type { CreateApiKeyInput, UpdateApiKeyInput } from './api-key.inputs';
import { ApiKey, CreatedApiKey, RateLimit } from './api-key.types';

function newSecretColumns() {
  const secret = generateApiKeySecret();
  return { secret, columns: { secretHash: hashApiKeySecret(secret), ...maskApiKey(secret) } };
}

/**
 * The only way a usable secret leaves the server (a new key, a rotation, a new service
 * account's first secret): whoever receives it can do whatever the key can, so the caller must
 * hold all of that themselves (assertMayObtainKey), whichever path asks.
 */
async function issueSecret(ctx: RequestContext, tx: Transaction, owner: MembershipEntity, scopes: readonly string[]) {
  await assertMayObtainKey(ctx, tx, owner, scopes);
  return newSecretColumns();
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

/**
 * Called for every new membership: the member's default key. Its first secret is thrown away
 * unseen; only rotation (issueSecret) reveals one.
 */
export async function issueDefaultKey(
  ctx: RequestContext,
  tx: Transaction,
  membership: MembershipEntity,
): Promise<ApiKeyEntity> {
  const { columns } = newSecretColumns();
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
    // One provisioned over SCIM was brought in by the SCIM token, which is the caller.
    actor: ctx.auth || ctx.scim ? undefined : userActor(membership.user),
    target: auditTarget(key),
    changes: { name: { before: null, after: key.name }, isDefault: { before: null, after: true } },
  });
  return key;
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
    relations: { user: true, ...MEMBERSHIP_ROLES },
  });
  if (!membership || membership.user.kind !== 'SERVICE_ACCOUNT') throw AppError.notFound('Owner');
  requirePermission(ctx, 'serviceAccounts:manage');
  return membership;
}

/** A key the caller may change, locked for the rest of the transaction, with its owner. */
async function keyForChange(
  ctx: RequestContext,
  tx: Transaction,
  id: string,
): Promise<{ key: ApiKeyEntity; owner: MembershipEntity }> {
  const auth = requireAuth(ctx);
  const key = await tx.findOne(ApiKeyEntity, {
    where: { id: requireId(id, 'API key'), organizationId: auth.organizationId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!key) throw AppError.notFound('API key');
  const owner = await keyOwnerMembership(ctx, tx, auth, key.ownerId).catch((error: AppError) => {
    throw error.code === 'FORBIDDEN' ? error : AppError.notFound('API key');
  });
  return { key, owner };
}

/** Scopes are "*" alone or catalogue permissions; whether the caller may hand them out is issueSecret's rule. */
/** The guardrail columns an input sets; an omitted field sets nothing. */
function guardrailColumns(input: CreateApiKeyInput | UpdateApiKeyInput): Partial<ApiKeyEntity> {
  const columns: Partial<ApiKeyEntity> = {};
  if (input.allowedIps) columns.allowedIps = normalizeAllowedIps(input.allowedIps);
  if (input.rateLimit !== undefined) {
    columns.rateLimitRequests = input.rateLimit?.requests ?? null;
    columns.rateLimitWindowSeconds = input.rateLimit?.windowSeconds ?? null;
  }
  return columns;
}

function validatedScopes(requested: string[] | undefined): string[] {
  const scopes = [...new Set(requested ?? [ALL_SCOPES])];
  if (scopes.includes(ALL_SCOPES) && scopes.length > 1) {
    throw AppError.badInput('scopes', 'Use "*" on its own, or list permissions.');
  }
  const unknown = scopes.find((scope) => scope !== ALL_SCOPES && !isPermissionName(scope));
  if (unknown) throw AppError.badInput('scopes', `"${unknown}" is not a permission.`);
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
    const scopes = validatedScopes(input.scopes);
    const organization = await tx.findOneByOrFail(OrganizationEntity, { id: auth.organizationId });
    const expiresAt = resolveExpiry(input, apiKeyLifetimePolicy(organization));
    const { secret, columns } = await issueSecret(ctx, tx, owner, scopes);
    const key = await insertKey(tx, {
      organizationId: auth.organizationId,
      membershipId: owner.id,
      ownerId: owner.userId,
      name: input.name.trim(),
      description: input.description?.trim() ?? '',
      scopes,
      expiresAt,
      ...guardrailColumns(input),
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
        allowedIps: { before: null, after: key.allowedIps },
        rateLimit: { before: null, after: RateLimit.of(key.rateLimitRequests, key.rateLimitWindowSeconds) },
      },
    });
    return created(key, secret);
  });
}

export async function updateApiKey(ctx: RequestContext, id: string, input: UpdateApiKeyInput): Promise<ApiKey> {
  return ctx.db.transaction(async (tx) => {
    const { key } = await keyForChange(ctx, tx, id);
    const next: Partial<ApiKeyEntity> = {
      name: input.name?.trim() ?? key.name,
      description: input.description?.trim() ?? key.description,
      ...guardrailColumns(input),
    };
    const fields = Object.keys(next) as (keyof ApiKeyEntity)[];
    const changes = Object.fromEntries(
      fields
        .filter((field) => JSON.stringify(next[field]) !== JSON.stringify(key[field]))
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
    const { key, owner } = await keyForChange(ctx, tx, id);
    if (!key.isDefault) throw AppError.conflict('Only the default key can be rotated; create a new key instead.');
    const rotated = await replaceSecret(ctx, tx, key, owner, grace);
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'apiKey.rotated',
      target: auditTarget(key),
      changes: { gracePeriodSeconds: { before: null, after: grace } },
    });
    return rotated;
  });
}

/**
 * Ends a rotation's grace period early. The database triggers on api_keys announce the change,
 * so every instance's key cache drops the old secret as this commits.
 */
export async function endPreviousSecret(ctx: RequestContext, id: string): Promise<ApiKey> {
  return ctx.db.transaction(async (tx) => {
    const { key } = await keyForChange(ctx, tx, id);
    const endedAt = new Date();
    const validUntil = key.previousSecretExpiresAt;
    if (!key.previousSecretHash || !validUntil || validUntil <= endedAt) {
      throw AppError.conflict('This key has no previous secret that still works.');
    }
    Object.assign(key, { previousSecretHash: null, previousSecretExpiresAt: null });
    await tx.save(key);
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'apiKey.previousSecretEnded',
      target: auditTarget(key),
      changes: { previousSecretExpiresAt: { before: validUntil.toISOString(), after: endedAt.toISOString() } },
    });
    return ApiKey.from(key);
  });
}

/**
 * A new secret for a key that keeps its scopes. A caller narrower than the key is refused
 * rather than handed a narrowed key: as with Stripe's and GitHub's keys, rotating is expected
 * to keep what the key may do, and quietly narrowing the owner's default key would break every
 * integration that uses it.
 */
async function replaceSecret(
  ctx: RequestContext,
  tx: Transaction,
  key: ApiKeyEntity,
  owner: MembershipEntity,
  graceSeconds: number,
): Promise<CreatedApiKey> {
  const { secret, columns } = await issueSecret(ctx, tx, owner, key.scopes);
  Object.assign(key, {
    previousSecretHash: graceSeconds > 0 ? key.secretHash : null,
    previousSecretExpiresAt: graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null,
    ...columns,
  });
  await tx.save(key);
  return created(key, secret);
}

/** The first secret of a new service account's default key, once its roles and groups are in place. */
export async function revealDefaultKey(
  ctx: RequestContext,
  tx: Transaction,
  owner: MembershipEntity,
): Promise<CreatedApiKey> {
  const key = await tx.findOneOrFail(ApiKeyEntity, {
    where: { membershipId: owner.id, isDefault: true },
    lock: { mode: 'pessimistic_write' },
  });
  return replaceSecret(ctx, tx, key, owner, 0);
}

export async function revokeApiKey(ctx: RequestContext, id: string): Promise<ApiKey> {
  return ctx.db.transaction(async (tx) => {
    const { key } = await keyForChange(ctx, tx, id);
    if (key.isDefault) throw AppError.conflict('The default key cannot be revoked; rotate it instead.');
    if (key.revokedAt) return ApiKey.from(key);
    key.revokedAt = new Date();
    await tx.save(key);
    await record(ctx, tx, { category: 'USER_ACTIONS', action: 'apiKey.revoked', target: auditTarget(key) });
    return ApiKey.from(key);
  });
}

export async function deleteApiKey(ctx: RequestContext, id: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const { key } = await keyForChange(ctx, tx, id);
    if (key.isDefault) throw AppError.conflict('The default key cannot be deleted; rotate it instead.');
    await tx.delete(ApiKeyEntity, { id: key.id });
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
