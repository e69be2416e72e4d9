import type { RequestContext } from '../kernel/context';
import { type AuditChanges, diff, record } from '../audit-log/audit-log.service';
import { requireAuth, requireId } from '../auth/policies';
import { secretBoxFor } from '../auth/secret-box';
import { withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { assertGroupsGrantable } from '../access/grants';
import { assertVerifiedDomains } from '../domain/domain.service';
import { Group } from '../group/group.types';
import { OutboundError, assertAllowedTarget, outboundPolicy } from '../outbound/outbound';
import { requireGrantableTenantRole } from '../role/role.service';
import { Role } from '../role/role.types';
import type { RoleEntity } from '../role/role.entity';
import {
  IdentityProviderDomainEntity,
  IdentityProviderEntity,
  IdentityProviderMappingEntity,
  UserIdentityEntity,
} from './identity-provider.entity';
import type { IdentityProviderInput } from './identity-provider.inputs';
import { IdentityProvider, IdentityProviderGroupMapping } from './identity-provider.types';

const CONSTRAINTS = {
  identity_providers_organization_name_key: () =>
    AppError.conflict('Another identity provider already has this name.', 'name'),
  identity_provider_domains_organization_domain_key: () =>
    AppError.conflict('One of these email domains already signs in through another identity provider.', 'emailDomains'),
};

/**
 * The issuer must be a public HTTPS server: its discovery document and endpoints are fetched by
 * this server, on behalf of anyone who opens the sign-in link. ALLOW_PRIVATE_NETWORK admits an
 * on-premises provider (private addresses, plain HTTP). Checked before the transaction: it resolves the name.
 */
async function assertAllowedIssuer(ctx: RequestContext, issuer: string): Promise<void> {
  try {
    await assertAllowedTarget(issuer.trim(), outboundPolicy(ctx.config));
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    throw AppError.badInput(
      'issuer',
      ctx.config.allowPrivateNetwork
        ? 'The issuer must use https://, or http:// on the private network, and may not be a link-local or metadata address.'
        : 'The issuer must be a public https:// address; this server does not connect to private networks.',
    );
  }
}

export function ssoRedirectUri(ctx: RequestContext): string {
  return `${ctx.config.publicUrl}/api/sso/callback`;
}

export function ssoSignInUrl(ctx: RequestContext, providerId: string): string {
  return `${ctx.config.publicUrl}/api/sso/start?provider=${providerId}`;
}

interface MappingRow {
  identity_provider_id: string;
  idp_group: string;
  role: RoleEntity;
  group: { id: string; name: string; description: string; createdAt: Date } | null;
}

/** Providers with their domains and mappings in three statements, however many there are. */
async function describeProviders(
  ctx: RequestContext,
  tx: Transaction,
  providers: IdentityProviderEntity[],
): Promise<IdentityProvider[]> {
  const ids = providers.map((provider) => provider.id);
  if (!ids.length) return [];
  const domains: IdentityProviderDomainEntity[] = await tx.find(IdentityProviderDomainEntity, {
    where: ids.map((identityProviderId) => ({ identityProviderId })),
    order: { domain: 'ASC' },
  });
  const mappings: MappingRow[] = await tx.query(
    `SELECT m.identity_provider_id, m.idp_group,
            json_build_object('id', r.id, 'name', r.name, 'description', r.description, 'scope', r.scope,
                              'permissions', r.permissions, 'builtIn', r.built_in) AS role,
            CASE WHEN g.id IS NULL THEN NULL ELSE json_build_object('id', g.id, 'name', g.name,
                 'description', g.description, 'createdAt', g.created_at) END AS "group"
       FROM identity_provider_mappings m
       JOIN roles r ON r.id = m.role_id LEFT JOIN groups g ON g.id = m.group_id
      WHERE m.identity_provider_id = ANY($1) ORDER BY m.identity_provider_id, m.position`,
    [ids],
  );
  return providers.map((provider) =>
    Object.assign(new IdentityProvider(), {
      id: provider.id,
      name: provider.name,
      issuer: provider.issuer,
      clientId: provider.clientId,
      groupsClaim: provider.groupsClaim,
      enabled: provider.enabled,
      emailDomains: domains.filter((d) => d.identityProviderId === provider.id).map((d) => d.domain),
      groupMappings: mappings
        .filter((m) => m.identity_provider_id === provider.id)
        .map((m) =>
          Object.assign(new IdentityProviderGroupMapping(), {
            idpGroup: m.idp_group,
            role: Role.from(m.role),
            group: m.group ? Group.from({ ...m.group, createdAt: new Date(m.group.createdAt) }) : null,
          }),
        ),
      redirectUri: ssoRedirectUri(ctx),
      signInUrl: ssoSignInUrl(ctx, provider.id),
      createdAt: provider.createdAt,
      updatedAt: provider.updatedAt,
    }),
  );
}

export async function listIdentityProviders(ctx: RequestContext): Promise<IdentityProvider[]> {
  const providers = await ctx.db.manager.find(IdentityProviderEntity, {
    where: { organizationId: requireAuth(ctx).organizationId },
    order: { createdAt: 'ASC' },
  });
  return describeProviders(ctx, ctx.db.manager, providers);
}

/** The role a set of provider groups leads to: the first mapping that matches, top to bottom. */
export function mappedRoleId(mappings: readonly { idpGroup: string; roleId: string }[], groups: readonly string[]) {
  return mappings.find((mapping) => groups.includes(mapping.idpGroup))?.roleId ?? null;
}

interface CheckedInput {
  columns: Pick<IdentityProviderEntity, 'name' | 'issuer' | 'clientId' | 'groupsClaim' | 'enabled'>;
  emailDomains: string[];
  mappings: { idpGroup: string; roleId: string; groupId: string | null }[];
}

/**
 * The object-level rules of a configuration: roles the caller may give (so only an Admin can map
 * to Admin), groups of this organization, and at least one way to become Admin through it.
 */
async function checkInput(ctx: RequestContext, tx: Transaction, input: IdentityProviderInput): Promise<CheckedInput> {
  const mappings = input.groupMappings.map((mapping) => ({
    idpGroup: mapping.idpGroup.trim(),
    roleId: mapping.roleId,
    groupId: mapping.groupId ? mapping.groupId.toLowerCase() : null,
  }));
  for (const roleId of new Set(mappings.map((m) => m.roleId))) await requireGrantableTenantRole(ctx, tx, roleId);
  await assertGroupsGrantable(
    ctx,
    tx,
    mappings.flatMap((m) => (m.groupId ? [m.groupId] : [])),
  );
  const emailDomains = [...new Set(input.emailDomains.map((domain) => domain.trim().toLowerCase()))].sort();
  await assertVerifiedDomains(tx, requireAuth(ctx).organizationId, emailDomains, 'emailDomains');
  if (!mappings.some((m) => m.roleId === 'admin')) {
    throw AppError.badInput(
      'groupMappings',
      'At least one group mapping must give the Admin role, so the organization can always be administered through this provider.',
    );
  }
  return {
    columns: {
      name: input.name.trim(),
      issuer: input.issuer.trim(),
      clientId: input.clientId.trim(),
      groupsClaim: input.groupsClaim.trim(),
      enabled: input.enabled,
    },
    emailDomains,
    mappings,
  };
}

async function writeDomainsAndMappings(
  tx: Transaction,
  provider: Pick<IdentityProviderEntity, 'id' | 'organizationId'>,
  checked: CheckedInput,
): Promise<void> {
  const providerId = provider.id;
  await tx.delete(IdentityProviderDomainEntity, { identityProviderId: providerId });
  await tx.delete(IdentityProviderMappingEntity, { identityProviderId: providerId });
  if (checked.emailDomains.length) {
    await withConstraints(
      () =>
        tx.insert(
          IdentityProviderDomainEntity,
          checked.emailDomains.map((domain) => ({
            domain,
            identityProviderId: providerId,
            organizationId: provider.organizationId,
          })),
        ),
      CONSTRAINTS,
    );
  }
  await tx.insert(
    IdentityProviderMappingEntity,
    checked.mappings.map((mapping, position) => ({ ...mapping, identityProviderId: providerId, position })),
  );
}

/**
 * What the audit event shows of a configuration: everything but the secret, which only says it
 * changed. A missing provider (before creation, after deletion) is every field null.
 */
function auditedSettings(provider: IdentityProvider | null): Record<string, unknown> {
  return {
    name: provider?.name ?? null,
    issuer: provider?.issuer ?? null,
    clientId: provider?.clientId ?? null,
    groupsClaim: provider?.groupsClaim ?? null,
    enabled: provider?.enabled ?? null,
    emailDomains: provider?.emailDomains.join(', ') ?? null,
    groupMappings:
      provider?.groupMappings
        .map((m) => `${m.idpGroup} → ${m.role.name}${m.group ? ` + ${m.group.name}` : ''}`)
        .join('; ') ?? null,
  };
}

function settingChanges(
  before: IdentityProvider | null,
  after: IdentityProvider | null,
  secretChanged: boolean,
): AuditChanges {
  const changes = diff(auditedSettings(before), auditedSettings(after)) ?? {};
  if (secretChanged) changes.clientSecret = { before: before ? 'set' : null, after: after ? 'replaced' : null };
  return changes;
}

async function providerForChange(ctx: RequestContext, tx: Transaction, id: string): Promise<IdentityProviderEntity> {
  const provider = await tx.findOne(IdentityProviderEntity, {
    where: { id: requireId(id, 'Identity provider'), organizationId: requireAuth(ctx).organizationId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!provider) throw AppError.notFound('Identity provider');
  return provider;
}

/**
 * An Admin who signs in through this provider must still be Admin through it afterwards (the
 * groups it gave at their last sign-in must lead to Admin), or the change would lock them out.
 */
async function assertCallerKeepsAdmin(
  ctx: RequestContext,
  tx: Transaction,
  providerId: string,
  after: CheckedInput | null,
): Promise<void> {
  const identity = await tx.findOneBy(UserIdentityEntity, {
    identityProviderId: providerId,
    userId: requireAuth(ctx).user.id,
  });
  if (!identity) return;
  if (!after) throw AppError.conflict('You sign in through this identity provider: deleting it would lock you out.');
  if (!after.columns.enabled) {
    throw AppError.conflict(
      'You sign in through this identity provider: turning it off would lock you out.',
      'enabled',
    );
  }
  if (mappedRoleId(after.mappings, identity.groups) !== 'admin') {
    const groups = identity.groups.length ? identity.groups.join(', ') : 'none';
    throw AppError.conflict(
      `You sign in through this identity provider and these mappings would no longer make you Admin (your groups: ${groups}).`,
      'groupMappings',
    );
  }
}

export async function createIdentityProvider(
  ctx: RequestContext,
  input: IdentityProviderInput,
): Promise<IdentityProvider> {
  const auth = requireAuth(ctx);
  if (!input.clientSecret) throw AppError.badInput('clientSecret', 'The client secret is required.');
  const clientSecretSealed = secretBoxFor(ctx.config).seal(input.clientSecret);
  await assertAllowedIssuer(ctx, input.issuer);
  return ctx.db.transaction(async (tx) => {
    const checked = await checkInput(ctx, tx, input);
    const saved = await withConstraints(
      () =>
        tx.save(
          tx.create(IdentityProviderEntity, {
            ...checked.columns,
            organizationId: auth.organizationId,
            clientSecretSealed,
          }),
        ),
      CONSTRAINTS,
    );
    await writeDomainsAndMappings(tx, saved, checked);
    const [provider] = await describeProviders(ctx, tx, [saved]);
    await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'identityProvider.created',
      target: { type: 'identityProvider', id: provider.id, name: provider.name },
      changes: settingChanges(null, provider, true),
    });
    return provider;
  });
}

export async function updateIdentityProvider(
  ctx: RequestContext,
  id: string,
  input: IdentityProviderInput,
): Promise<IdentityProvider> {
  const clientSecretSealed = input.clientSecret ? secretBoxFor(ctx.config).seal(input.clientSecret) : undefined;
  await assertAllowedIssuer(ctx, input.issuer);
  return ctx.db.transaction(async (tx) => {
    const existing = await providerForChange(ctx, tx, id);
    const checked = await checkInput(ctx, tx, input);
    await assertCallerKeepsAdmin(ctx, tx, existing.id, checked);
    const [before] = await describeProviders(ctx, tx, [existing]);
    await withConstraints(
      () =>
        tx.update(
          IdentityProviderEntity,
          { id: existing.id },
          { ...checked.columns, ...(clientSecretSealed ? { clientSecretSealed } : {}) },
        ),
      CONSTRAINTS,
    );
    await writeDomainsAndMappings(tx, existing, checked);
    const [after] = await describeProviders(ctx, tx, [
      await tx.findOneByOrFail(IdentityProviderEntity, { id: existing.id }),
    ]);
    const changes = settingChanges(before, after, Boolean(clientSecretSealed));
    if (Object.keys(changes).length) {
      await record(ctx, tx, {
        category: 'SETTING_UPDATES',
        action: 'identityProvider.updated',
        target: { type: 'identityProvider', id: after.id, name: after.name },
        changes,
      });
    }
    return after;
  });
}

/** Deletes a provider; the people who signed in only through it keep their accounts but can no longer sign in. */
export async function deleteIdentityProvider(ctx: RequestContext, id: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const existing = await providerForChange(ctx, tx, id);
    await assertCallerKeepsAdmin(ctx, tx, existing.id, null);
    const [before] = await describeProviders(ctx, tx, [existing]);
    await tx.delete(IdentityProviderEntity, { id: existing.id });
    await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'identityProvider.deleted',
      target: { type: 'identityProvider', id: existing.id, name: existing.name },
      changes: settingChanges(before, null, false),
    });
    return existing.id;
  });
}
