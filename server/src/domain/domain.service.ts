import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../kernel/context';
import { type AuditActor, record } from '../audit-log/audit-log.service';
import { requireAuth, requireId } from '../auth/policies';
import { withConstraints } from '../db/constraints';
import { isUniqueViolation, type Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { checkChallenge } from './domain-dns';
import { normalizeDomain } from './domain-name';
import { OrganizationDomainEntity } from './domain.entity';
import type { UpdateDomainInput } from './domain.inputs';
import { Domain } from './domain.types';

const VERIFIED_ELSEWHERE = 'organization_domains_verified_key';

const CONSTRAINTS = {
  organization_domains_organization_domain_key: () =>
    AppError.conflict('This domain has already been added to the organization.', 'domain'),
};

const target = (claim: OrganizationDomainEntity) => ({ type: 'domain', id: claim.id, name: claim.domain });

export async function listDomains(ctx: RequestContext): Promise<Domain[]> {
  const claims = await ctx.db.manager.find(OrganizationDomainEntity, {
    where: { organizationId: requireAuth(ctx).organizationId },
    order: { domain: 'ASC' },
  });
  return claims.map(Domain.from);
}

async function claimOf(ctx: RequestContext, tx: Transaction, id: string, lock = false) {
  const claim = await tx.findOne(OrganizationDomainEntity, {
    where: { id: requireId(id, 'Domain'), organizationId: requireAuth(ctx).organizationId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!claim) throw AppError.notFound('Domain');
  return claim;
}

/** Claims a domain: always possible, since a claim proves nothing until its DNS record is found. */
export async function addDomain(ctx: RequestContext, input: string, includeSubdomains: boolean): Promise<Domain> {
  const auth = requireAuth(ctx);
  const domain = normalizeDomain(input);
  return ctx.db.transaction(async (tx) => {
    const claim = await withConstraints(
      () =>
        tx.save(
          tx.create(OrganizationDomainEntity, {
            organizationId: auth.organizationId,
            domain,
            status: 'PENDING',
            includeSubdomains,
            verificationToken: randomBytes(24).toString('base64url'),
          }),
        ),
      CONSTRAINTS,
    );
    await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'domain.added',
      target: target(claim),
      changes: {
        domain: { before: null, after: domain },
        includeSubdomains: { before: null, after: includeSubdomains },
      },
    });
    return Domain.from(claim);
  });
}

export async function updateDomain(ctx: RequestContext, id: string, input: UpdateDomainInput): Promise<Domain> {
  return ctx.db.transaction(async (tx) => {
    const claim = await claimOf(ctx, tx, id, true);
    if (claim.includeSubdomains === input.includeSubdomains) return Domain.from(claim);
    await tx.update(OrganizationDomainEntity, { id: claim.id }, { includeSubdomains: input.includeSubdomains });
    await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'domain.updated',
      target: target(claim),
      changes: { includeSubdomains: { before: claim.includeSubdomains, after: input.includeSubdomains } },
    });
    return Domain.from({ ...claim, includeSubdomains: input.includeSubdomains });
  });
}

/**
 * Removes a claim. A verified domain an identity provider routes cannot go first: the provider's
 * row lock on the domain (see assertVerifiedDomains) and this one's make the two changes take turns.
 */
export async function deleteDomain(ctx: RequestContext, id: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const claim = await claimOf(ctx, tx, id, true);
    const [routed]: { name: string; domain: string }[] = await tx.query(
      `SELECT p.name, d.domain FROM identity_provider_domains d JOIN identity_providers p ON p.id = d.identity_provider_id
        WHERE d.organization_id = $1 AND (d.domain = $2 OR right(d.domain, length($2) + 1) = '.' || $2)
        ORDER BY p.name LIMIT 1`,
      [claim.organizationId, claim.domain],
    );
    if (claim.status === 'VERIFIED' && routed) {
      throw AppError.conflict(
        `The identity provider ${routed.name} signs in people at ${routed.domain}: remove the domain there first.`,
      );
    }
    await tx.delete(OrganizationDomainEntity, { id: claim.id });
    await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'domain.deleted',
      target: target(claim),
      changes: { domain: { before: claim.domain, after: null }, status: { before: claim.status, after: null } },
    });
    return claim.id;
  });
}

export interface CheckOutcome {
  claim: OrganizationDomainEntity;
  /** Why the domain is still not verified; null once it is. */
  error: string | null;
  /** Another organization holds the domain verified. */
  conflict: boolean;
}

/**
 * Looks the challenge up and stores what it found, for "Verify now" and the background job
 * alike. The lookup runs outside any transaction (it can take seconds); the verification itself
 * is one statement the partial unique index decides, so of two organizations verifying at once
 * exactly one wins. Checks that find nothing are audited when `auditMiss` (an Admin asked).
 */
export async function checkDomain(
  ctx: RequestContext,
  claim: OrganizationDomainEntity,
  actor: AuditActor | undefined,
  auditMiss: boolean,
): Promise<CheckOutcome> {
  let error = await checkChallenge(ctx.config, claim.domain, claim.verificationToken);
  let conflict = false;
  const now = new Date();
  const settle = (work: (tx: Transaction, current: OrganizationDomainEntity) => Promise<void>) =>
    ctx.db.transaction(async (tx) => {
      const current = await tx.findOne(OrganizationDomainEntity, {
        where: { id: claim.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw AppError.notFound('Domain');
      if (current.status === 'VERIFIED') return current;
      await work(tx, current);
      return tx.findOneByOrFail(OrganizationDomainEntity, { id: claim.id });
    });
  if (!error) {
    try {
      const verified = await settle(async (tx, current) => {
        await tx.update(
          OrganizationDomainEntity,
          { id: current.id },
          { status: 'VERIFIED', verifiedAt: now, lastCheckedAt: now, lastCheckError: null },
        );
        await record(ctx, tx, {
          organizationId: current.organizationId,
          category: 'SETTING_UPDATES',
          action: 'domain.verified',
          actor,
          target: target(current),
          changes: { status: { before: current.status, after: 'VERIFIED' } },
        });
      });
      return { claim: verified, error: null, conflict: false };
    } catch (caught) {
      if (!isUniqueViolation(caught, VERIFIED_ELSEWHERE)) throw caught;
      conflict = true;
      error = 'Another organization has already verified this domain.';
    }
  }
  const missed = await settle(async (tx, current) => {
    await tx.update(OrganizationDomainEntity, { id: current.id }, { lastCheckedAt: now, lastCheckError: error });
    if (!auditMiss) return;
    await record(ctx, tx, {
      organizationId: current.organizationId,
      category: 'SETTING_UPDATES',
      action: 'domain.verificationFailed',
      outcome: 'FAILURE',
      failureReason: error!,
      actor,
      target: target(current),
    });
  });
  return { claim: missed, error: missed.status === 'VERIFIED' ? null : error, conflict };
}

/**
 * "Verify now": checks the DNS record at once, also for a domain whose checking period ran out.
 * Another organization's verified claim answers CONFLICT, and only to a caller whose record was
 * found: the existence of that claim is never revealed to someone who has not proven the domain.
 */
export async function verifyDomain(ctx: RequestContext, id: string): Promise<Domain> {
  const claim = await claimOf(ctx, ctx.db.manager, id);
  if (claim.status === 'VERIFIED') return Domain.from(claim);
  const outcome = await checkDomain(ctx, claim, undefined, true);
  if (outcome.conflict) throw AppError.conflict(outcome.error!, 'domain');
  return Domain.from(outcome.claim);
}

/** SQL: whether the verified claim `od` covers `candidate`, itself or (when flagged) as a parent domain. */
const COVERS = (candidate: string) =>
  `(od.domain = ${candidate} OR (od.include_subdomains AND right(${candidate}, length(od.domain) + 1) = '.' || od.domain))`;

/**
 * Domains of an identity provider must be verified domains of its organization (or subdomains of
 * one that covers them). Locks those verified claims until the caller's transaction ends, so they
 * cannot be deleted while a provider starts routing them.
 */
export async function assertVerifiedDomains(
  tx: Transaction,
  organizationId: string,
  domains: string[],
  field: string,
): Promise<void> {
  if (!domains.length) return;
  const covered: { domain: string }[] = await tx.query(
    `SELECT wanted.domain FROM unnest($2::text[]) AS wanted(domain)
       JOIN organization_domains od ON od.organization_id = $1 AND od.status = 'VERIFIED' AND ${COVERS('wanted.domain')}
       FOR SHARE OF od`,
    [organizationId, domains],
  );
  const missing = domains.filter((domain) => !covered.some((row) => row.domain === domain));
  if (missing.length) {
    throw AppError.badInput(
      field,
      `Verify ${missing.join(', ')} under Domains first: single sign-on works only for the organization's verified domains.`,
    );
  }
}

/** Whether a verified domain of the organization covers this email domain (exactly, or as a subdomain when flagged). */
export async function isVerifiedEmailDomain(tx: Transaction, organizationId: string, domain: string): Promise<boolean> {
  if (!domain) return false;
  const rows = await tx.query(
    `SELECT 1 FROM organization_domains od
      WHERE od.organization_id = $1 AND od.status = 'VERIFIED' AND ${COVERS('$2::text')} LIMIT 1`,
    [organizationId, domain],
  );
  return rows.length > 0;
}

/**
 * The organizations that require single sign-on for this email: they hold its domain verified
 * (so the address is theirs to govern) and turned requireSso on. Unverified claims count for nothing.
 */
export async function organizationsRequiringSso(tx: Transaction, email: string): Promise<string[]> {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!domain) return [];
  const rows: { organization_id: string }[] = await tx.query(
    `SELECT od.organization_id FROM organization_domains od
       JOIN organizations o ON o.id = od.organization_id AND o.require_sso
      WHERE od.status = 'VERIFIED' AND ${COVERS('$1::text')}`,
    [domain],
  );
  return rows.map((row) => row.organization_id);
}
