import { isProvisionedMember } from '../scim/scim-managed';
import {
  Issuer,
  custom,
  errors as oidcErrors,
  generators,
  type BaseClient,
  type IdTokenClaims,
  type IssuerMetadata,
} from 'openid-client';
import { LIMITS, SSO_FAILURES, type SsoFailureReason } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { record, userActor } from '../audit-log/audit-log.service';
import { sessionAuthState } from '../auth/membership-loader';
import { requireAuthorizedEmailDomain, requireId } from '../auth/policies';
import { secretBoxFor } from '../auth/secret-box';
import { startSession } from '../auth/session.service';
import { normalizeEmail } from '../auth/auth.service';
import { withConstraints } from '../db/constraints';
import { emailDomain } from '../domain/domain-name';
import { OrganizationDomainEntity } from '../domain/domain.entity';
import { isVerifiedEmailDomain } from '../domain/domain.service';
import { isUniqueViolation, type Transaction } from '../db/data-source';
import { AppError, type ErrorCode } from '../errors/app-error';
import { addUserToGroups } from '../access/grants';
import { MembershipEntity } from '../organization/membership.entity';
import { createMembership } from '../organization/membership.service';
import { OrganizationEntity } from '../organization/organization.entity';
import { OutboundError, fetchJson, outboundHttpOptions, outboundPolicy } from '../outbound/outbound';
import { UserEntity } from '../user/user.entity';
import { sealLink, type PendingLink } from '../social/social-identity';
import {
  IdentityProviderDomainEntity,
  IdentityProviderEntity,
  IdentityProviderMappingEntity,
} from './identity-provider.entity';
import { mappedRoleId, ssoRedirectUri } from './identity-provider.service';

/** How long a started sign-in may take at the provider before it has to start again. */
export const SSO_ATTEMPT_LIFETIME_MS = 10 * 60_000;
const DISCOVERY_CACHE_MS = 5 * 60_000;

const FAILURE_CODES: Record<SsoFailureReason, ErrorCode> = {
  no_provider: 'NOT_FOUND',
  provider_unavailable: 'NOT_FOUND',
  expired: 'BAD_USER_INPUT',
  denied: 'UNAUTHENTICATED',
  rejected: 'UNAUTHENTICATED',
  unreachable: 'INTERNAL_SERVER_ERROR',
  email_missing: 'UNAUTHENTICATED',
  account_exists: 'CONFLICT',
  no_access: 'FORBIDDEN',
  inactive: 'FORBIDDEN',
  unauthorized_domain: 'FORBIDDEN',
  unverified_domain: 'FORBIDDEN',
  last_admin: 'CONFLICT',
  not_enabled: 'NOT_FOUND',
  sso_required: 'FORBIDDEN',
  no_organization: 'FORBIDDEN',
  identity_in_use: 'CONFLICT',
  already_connected: 'CONFLICT',
  error: 'INTERNAL_SERVER_ERROR',
};

/**
 * The one error type, with the reason the sign-in page shows and `detail` for the audit log
 * only. Details are our own words: what the provider said is never recorded (see providerFailure).
 */
export class SsoFailure extends AppError {
  constructor(
    readonly reason: SsoFailureReason,
    readonly detail: string = reason,
  ) {
    super(FAILURE_CODES[reason], SSO_FAILURES[reason]);
  }
}

/** What the browser keeps, sealed, between leaving for the provider and coming back. */
export interface PendingSsoSignIn {
  providerId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  startedAt: number;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** openid-client's own checks, by the fixed start of their message (the rest may quote the provider). */
const CLIENT_CHECKS = [
  'state mismatch',
  'nonce mismatch',
  'iss mismatch',
  'aud mismatch',
  'azp mismatch',
  'userinfo sub mismatch',
  'JWT expired',
  'JWT issued too far in the past',
  'failed to validate JWT signature',
  'unexpected JWT alg received',
  'unexpected iss value',
];
/** Error codes of OAuth 2.0 (RFC 6749) and OpenID Connect Core: a fixed vocabulary, unlike the provider's description. */
const OAUTH_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'unsupported_response_type',
  'invalid_scope',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
  'interaction_required',
  'login_required',
  'account_selection_required',
  'consent_required',
  'invalid_token',
]);

export const oauthError = (code: unknown) => (typeof code === 'string' && OAUTH_ERRORS.has(code) ? code : 'other');

/** A failed exchange with the provider, told in fixed words only: the provider's text is untrusted. */
export function providerFailure(error: unknown): SsoFailure {
  if (error instanceof SsoFailure) return error;
  if (error instanceof OutboundError) return new SsoFailure('unreachable', `unreachable: ${error.reason}`);
  if (error instanceof oidcErrors.OPError)
    return new SsoFailure('rejected', `rejected: provider error ${oauthError(error.error)}`);
  if (error instanceof oidcErrors.RPError) {
    if (error.message.startsWith('outgoing request timed out'))
      return new SsoFailure('unreachable', 'unreachable: TIMEOUT');
    const check = CLIENT_CHECKS.find((prefix) => error.message.startsWith(prefix));
    return new SsoFailure('rejected', `rejected: ${check ?? 'BAD_RESPONSE'}`);
  }
  return new SsoFailure('unreachable', 'unreachable: UNREACHABLE');
}

/** What a discovery document leaves out means these (OpenID Connect Discovery 1.0, section 3), as Issuer.discover assumes. */
const DISCOVERY_DEFAULTS: Partial<IssuerMetadata> = {
  claim_types_supported: ['normal'],
  claims_parameter_supported: false,
  grant_types_supported: ['authorization_code', 'implicit'],
  request_parameter_supported: false,
  request_uri_parameter_supported: true,
  require_request_uri_registration: false,
  response_modes_supported: ['query', 'fragment'],
  token_endpoint_auth_methods_supported: ['client_secret_basic'],
};

const discovered = new Map<string, { issuer: Issuer<BaseClient>; until: number }>();

/**
 * Whether a discovery document's issuer is the expected one. A multi-tenant template
 * (Microsoft's `…/{tenantid}/v2.0`) also admits one tenant's issuer, as a tenant's own
 * authority names it; each token is then checked against its own tenant's issuer.
 */
function namesIssuer(named: string, expected: string): boolean {
  const [before, after] = trimSlash(expected).split(TENANT_PLACEHOLDER);
  if (after === undefined) return trimSlash(named) === before;
  if (trimSlash(named) === trimSlash(expected)) return true;
  const tenant = trimSlash(named).slice(before.length, trimSlash(named).length - after.length);
  return trimSlash(named).startsWith(before) && trimSlash(named).endsWith(after) && /^[\w.-]+$/.test(tenant);
}

export const TENANT_PLACEHOLDER = '{tenantid}';

/**
 * The provider's metadata from its discovery document, which must name the configured issuer
 * exactly (OpenID Connect Discovery 1.0, section 4.3): otherwise tokens from another issuer
 * could be accepted. The document and every endpoint it names are fetched through the
 * outbound client, so none of them can point into the private network.
 */
export async function discover(
  ctx: RequestContext,
  configuredIssuer: string,
  expectedIssuer = configuredIssuer,
): Promise<Issuer<BaseClient>> {
  const policy = outboundPolicy(ctx.config);
  // The policy is part of the key: an issuer discovered under one policy keeps its hooks.
  const key = `${policy.allowPrivateNetwork} ${configuredIssuer} ${expectedIssuer}`;
  const cached = discovered.get(key);
  if (cached && cached.until > Date.now()) return cached.issuer;
  let issuer: Issuer<BaseClient>;
  try {
    const metadata = await fetchJson(`${trimSlash(configuredIssuer)}/.well-known/openid-configuration`, policy);
    issuer = new Issuer({ ...DISCOVERY_DEFAULTS, ...(metadata as IssuerMetadata) });
  } catch (error) {
    throw providerFailure(error);
  }
  if (!namesIssuer(String(issuer.metadata.issuer), expectedIssuer)) {
    throw new SsoFailure('rejected', 'rejected: the discovery document names another issuer');
  }
  issuer[custom.http_options] = outboundHttpOptions(policy);
  discovered.set(key, { issuer, until: Date.now() + DISCOVERY_CACHE_MS });
  return issuer;
}

async function oidcClient(ctx: RequestContext, provider: IdentityProviderEntity): Promise<BaseClient> {
  const issuer = await discover(ctx, provider.issuer);
  const client = new issuer.Client({
    client_id: provider.clientId,
    client_secret: secretBoxFor(ctx.config).open(provider.clientSecretSealed),
    redirect_uris: [ssoRedirectUri(ctx)],
    response_types: ['code'],
  });
  client[custom.http_options] = issuer[custom.http_options];
  return client;
}

/** A refused sign-in, recorded in the provider's organization in a transaction of its own. */
async function recordFailedSignIn(
  ctx: RequestContext,
  provider: IdentityProviderEntity,
  error: unknown,
  user: UserEntity | null,
): Promise<void> {
  const detail = error instanceof SsoFailure ? error.detail : 'unexpected error';
  await ctx.db.transaction((tx) =>
    record(ctx, tx, {
      organizationId: provider.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.signInFailed',
      outcome: 'FAILURE',
      failureReason: `sso: ${detail}`.slice(0, 500),
      actor: user ? userActor(user) : { type: 'ANONYMOUS', id: null, name: provider.name },
      target: user ? { type: 'user', id: user.id, name: user.displayName } : undefined,
    }),
  );
}

async function enabledProvider(ctx: RequestContext, where: { id: string } | { email: string }) {
  if ('email' in where) {
    // Only the organization that verified the domain routes it (one at most: see organization_domains).
    const [provider] = await ctx.db.manager
      .createQueryBuilder(IdentityProviderEntity, 'p')
      .innerJoin(IdentityProviderDomainEntity, 'd', 'd.identity_provider_id = p.id AND d.domain = :domain', {
        domain: emailDomain(where.email),
      })
      .innerJoin(
        OrganizationDomainEntity,
        'od',
        "od.organization_id = p.organization_id AND od.domain = d.domain AND od.status = 'VERIFIED'",
      )
      .getMany();
    if (!provider?.enabled) throw new SsoFailure('no_provider');
    return provider;
  }
  let id: string;
  try {
    id = requireId(where.id, 'Identity provider');
  } catch {
    throw new SsoFailure('provider_unavailable');
  }
  // Only the id's shape is caught above: a database failure is not a missing provider.
  const provider = await ctx.db.manager.findOneBy(IdentityProviderEntity, { id });
  if (!provider?.enabled) throw new SsoFailure('provider_unavailable');
  return provider;
}

/**
 * Starts the authorization-code flow with PKCE (S256), a state and a nonce, all random per
 * attempt. They travel sealed in the browser's cookie, so any instance can finish the flow.
 */
export async function beginSsoSignIn(
  ctx: RequestContext,
  where: { id: string } | { email: string },
): Promise<{ authorizationUrl: string; pending: PendingSsoSignIn }> {
  const provider = await enabledProvider(ctx, where);
  let client: BaseClient;
  try {
    client = await oidcClient(ctx, provider);
  } catch (error) {
    // Anyone can start a sign-in: the organization's Admins learn why their provider fails.
    await recordFailedSignIn(ctx, provider, error, null);
    throw error;
  }
  const pending: PendingSsoSignIn = {
    providerId: provider.id,
    state: generators.state(),
    nonce: generators.nonce(),
    codeVerifier: generators.codeVerifier(),
    startedAt: Date.now(),
  };
  const authorizationUrl = client.authorizationUrl({
    scope: 'openid email profile',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: generators.codeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
    ...('email' in where ? { login_hint: where.email } : {}),
  });
  return { authorizationUrl, pending };
}

function claimedGroups(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return [...new Set(list.filter((item): item is string => typeof item === 'string'))];
}

/** The verified claims of the provider's answer: state, nonce, issuer, audience, signature, expiry and PKCE. */
async function verifiedClaims(
  ctx: RequestContext,
  provider: IdentityProviderEntity,
  pending: PendingSsoSignIn,
  callbackUrl: string,
): Promise<IdTokenClaims & Record<string, unknown>> {
  const client = await oidcClient(ctx, provider);
  const params = client.callbackParams(callbackUrl);
  if (params.error) throw new SsoFailure('denied', `provider answered ${oauthError(params.error)}`);
  try {
    const tokens = await client.callback(ssoRedirectUri(ctx), params, {
      state: pending.state,
      nonce: pending.nonce,
      code_verifier: pending.codeVerifier,
      response_type: 'code',
    });
    const claims = tokens.claims();
    if (claims[provider.groupsClaim] === undefined && client.issuer.metadata.userinfo_endpoint) {
      return { ...(await client.userinfo(tokens)), ...claims };
    }
    return claims;
  } catch (error) {
    throw providerFailure(error);
  }
}

/** The Gatehouse user of this subject; the first sign-in creates one without a password. */
async function userForSubject(
  tx: Transaction,
  provider: IdentityProviderEntity,
  claims: Record<string, unknown>,
  email: string,
  groups: string[],
): Promise<{ user: UserEntity; created: boolean } | { link: PendingLink }> {
  const [linked] = await tx.query(
    `UPDATE user_identities SET groups = $3, last_sign_in_at = now()
      WHERE identity_provider_id = $1 AND subject = $2 RETURNING user_id`,
    [provider.id, claims.sub, groups],
  );
  if (linked?.length) {
    return { user: await tx.findOneByOrFail(UserEntity, { id: linked[0].user_id }), created: false };
  }
  // An account that already exists is never taken over by an email claim: any organization's
  // Admin can configure a provider that says any email. Its owner may link it by signing in
  // with its password (and second factor) in this flow; an account without one is refused.
  const existing = await tx.findOneBy(UserEntity, { email });
  if (existing?.passwordHash) {
    return { link: { provider: 'sso', identityProviderId: provider.id, subject: String(claims.sub), email } };
  }
  if (existing && (await isProvisionedMember(tx, provider.organizationId, existing.id))) {
    // Provisioned over SCIM by this organization, for an address in its verified domains: its own
    // SSO signs them in, linking its first account for them (a second one is refused below).
    const linked = await tx.query(
      `INSERT INTO user_identities (identity_provider_id, subject, user_id, groups) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [provider.id, claims.sub, existing.id, groups],
    );
    if (linked.length) return { user: existing, created: false };
  }
  if (existing) throw new SsoFailure('account_exists');
  const text = (name: string) =>
    typeof claims[name] === 'string' ? (claims[name] as string).trim().slice(0, LIMITS.nameMaxLength) : '';
  try {
    const user = await tx.save(
      tx.create(UserEntity, {
        email,
        firstName: text('given_name') || text('name'),
        lastName: text('family_name'),
        passwordHash: null,
      }),
    );
    await tx.query(
      'INSERT INTO user_identities (identity_provider_id, subject, user_id, groups) VALUES ($1, $2, $3, $4)',
      [provider.id, claims.sub, user.id, groups],
    );
    return { user, created: true };
  } catch (error) {
    if (isUniqueViolation(error)) throw new SsoFailure('account_exists', 'a parallel sign-in created the account');
    throw error;
  }
}

/**
 * Brings the member's tenant role and mapped groups in line with what the provider says now.
 * Groups no mapping mentions are the organization's own business and stay as they are.
 */
async function applyMappings(
  ctx: RequestContext,
  tx: Transaction,
  provider: IdentityProviderEntity,
  user: UserEntity,
  groups: string[],
): Promise<MembershipEntity> {
  const mappings = await tx.find(IdentityProviderMappingEntity, {
    where: { identityProviderId: provider.id },
    order: { position: 'ASC' },
  });
  const roleId = mappedRoleId(mappings, groups);
  if (!roleId) throw new SsoFailure('no_access', `groups: ${groups.join(', ') || 'none'}`);
  const organization = await tx.findOneByOrFail(OrganizationEntity, { id: provider.organizationId });
  try {
    requireAuthorizedEmailDomain(organization, user.email ?? '', roleId, 'email');
  } catch {
    throw new SsoFailure('unauthorized_domain');
  }
  const actor = userActor(user);
  const target = { type: 'user', id: user.id, name: user.displayName };
  const existing = await tx.findOne(MembershipEntity, {
    where: { userId: user.id, organizationId: organization.id },
    lock: { mode: 'pessimistic_write' },
  });
  if (existing?.status === 'INACTIVE') throw new SsoFailure('inactive');
  if (!existing) {
    await createMembership(ctx, tx, { organizationId: organization.id, userId: user.id, roleId });
    await record(ctx, tx, {
      organizationId: organization.id,
      category: 'SYSTEM_CONFIGURATION',
      action: 'member.joinedThroughSso',
      actor,
      target,
      changes: { roleId: { before: null, after: roleId } },
    });
  } else if (existing.roleId !== roleId) {
    await withConstraints(() => tx.update(MembershipEntity, { id: existing.id }, { roleId }), {
      memberships_keep_admin: () => new SsoFailure('last_admin'),
    });
    await record(ctx, tx, {
      organizationId: organization.id,
      category: 'SYSTEM_CONFIGURATION',
      action: 'member.updated',
      actor,
      target,
      changes: { roleId: { before: existing.roleId, after: roleId } },
    });
  }
  await syncMappedGroups(ctx, tx, organization.id, user.id, mappings, groups);
  return tx.findOneOrFail(MembershipEntity, {
    where: { userId: user.id, organizationId: organization.id },
    relations: { user: true, role: true, organization: true },
  });
}

async function syncMappedGroups(
  ctx: RequestContext,
  tx: Transaction,
  organizationId: string,
  userId: string,
  mappings: IdentityProviderMappingEntity[],
  groups: string[],
): Promise<void> {
  const managed = [...new Set(mappings.flatMap((m) => (m.groupId ? [m.groupId] : [])))];
  const wanted = new Set(mappings.filter((m) => m.groupId && groups.includes(m.idpGroup)).map((m) => m.groupId!));
  const [before]: { group_ids: string[] }[] = await tx.query(
    `SELECT coalesce(array_agg(group_id ORDER BY group_id), '{}') AS group_ids
       FROM group_members WHERE user_id = $1 AND group_id = ANY($2::uuid[])`,
    [userId, managed],
  );
  const leaving = before.group_ids.filter((id) => !wanted.has(id));
  const joining = [...wanted].filter((id) => !before.group_ids.includes(id));
  if (!leaving.length && !joining.length) return;
  await tx.query('DELETE FROM group_members WHERE user_id = $1 AND group_id = ANY($2::uuid[])', [userId, leaving]);
  await addUserToGroups(ctx, tx, userId, joining);
  await record(ctx, tx, {
    organizationId,
    category: 'SYSTEM_CONFIGURATION',
    action: 'member.groupsSyncedThroughSso',
    actor: { type: 'SYSTEM', id: null, name: 'Single sign-on' },
    target: { type: 'user', id: userId },
    changes: { groupIds: { before: before.group_ids, after: [...wanted].sort() } },
  });
}

/**
 * Finishes the flow: verifies the provider's answer, finds or creates the user, applies the
 * group mappings and starts a session, all in one transaction with its audit events, and
 * answers where the browser goes next: signed in ("/"), or to the sign-in page to prove an
 * existing account before the identity is linked. Refusals are recorded as failed sign-ins of
 * the provider's organization.
 */
export async function completeSsoSignIn(
  ctx: RequestContext,
  pending: PendingSsoSignIn,
  callbackUrl: string,
): Promise<string> {
  const provider = await ctx.db.manager.findOneBy(IdentityProviderEntity, { id: pending.providerId });
  if (!provider?.enabled) throw new SsoFailure('provider_unavailable');
  let user: UserEntity | null = null;
  try {
    if (Date.now() - pending.startedAt > SSO_ATTEMPT_LIFETIME_MS) throw new SsoFailure('expired');
    const claims = await verifiedClaims(ctx, provider, pending, callbackUrl);
    const email = typeof claims.email === 'string' ? normalizeEmail(claims.email) : '';
    if (!email.includes('@') || claims.email_verified === false) throw new SsoFailure('email_missing');
    const groups = claimedGroups(claims, provider.groupsClaim);
    return await ctx.db.transaction(async (tx) => {
      // Shares the row with other sign-ins but waits for a configuration change to commit.
      const current = await tx.findOne(IdentityProviderEntity, {
        where: { id: provider.id },
        lock: { mode: 'pessimistic_read' },
      });
      if (!current?.enabled) throw new SsoFailure('provider_unavailable');
      // Any Admin can configure a provider that claims any email: only the organization's proven domains count.
      if (!(await isVerifiedEmailDomain(tx, current.organizationId, emailDomain(email)))) {
        throw new SsoFailure(
          'unverified_domain',
          `${email.slice(email.lastIndexOf('@') + 1)} is not a verified domain`,
        );
      }
      const found = await userForSubject(tx, current, claims, email, groups);
      if ('link' in found) {
        // The email is a claim, not proof: the account's owner signs in with its password to link it.
        return `/signin?${new URLSearchParams({ link: sealLink(ctx, found.link), email })}`;
      }
      user = found.user;
      const membership = await applyMappings(ctx, tx, current, found.user, groups);
      const session = await startSession(ctx, tx, found.user.id, current.organizationId);
      ctx.auth = sessionAuthState(membership, session.id);
      if (found.created) {
        await record(ctx, tx, {
          category: 'USER_ACTIONS',
          action: 'user.signedUp',
          target: { type: 'user', id: found.user.id, name: found.user.displayName },
        });
      }
      await record(ctx, tx, {
        category: 'USER_ACTIONS',
        action: 'user.signedInWithSso',
        target: { type: 'user', id: found.user.id, name: found.user.displayName },
        changes: { identityProvider: { before: null, after: current.name } },
      });
      return '/';
    });
  } catch (error) {
    await recordFailedSignIn(ctx, provider, error, user);
    throw error;
  }
}
