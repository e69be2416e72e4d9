import type { RequestContext } from '../kernel/context';
import { diff, record } from '../audit-log/audit-log.service';
import { requireAuth, requirePermission } from '../auth/policies';
import { AppError } from '../errors/app-error';
import { PRINCIPAL_COLUMNS, principalFromRow, type Principal, type PrincipalRow } from '../member/principal.types';
import { OrganizationEntity } from '../organization/organization.entity';
import type { UpdateOrganizationSettingsInput } from './settings.inputs';
import { OrganizationSettings } from './settings.types';

export async function getOrganizationSettings(ctx: RequestContext): Promise<OrganizationSettings> {
  const organization = await ctx.db.manager.findOneByOrFail(OrganizationEntity, {
    id: requireAuth(ctx).organizationId,
  });
  return OrganizationSettings.from(organization);
}

const normalizedDomains = (domains: string[]) =>
  [...new Set(domains.map((domain) => domain.trim().toLowerCase()))].sort();

function requestedColumns(input: UpdateOrganizationSettingsInput): Partial<OrganizationEntity> {
  const { general, ai, security } = input;
  const columns: Partial<OrganizationEntity> = {
    name: general?.name?.trim(),
    dateFormat: general?.dateFormat,
    timeFormat: general?.timeFormat,
    copilotTestDataAccess: ai?.copilotTestDataAccess,
    requireTwoFactor: security?.requireTwoFactor,
    requireSso: security?.requireSso,
    authorizedEmailDomains: security?.authorizedEmailDomains && normalizedDomains(security.authorizedEmailDomains),
    minPasswordLength: security?.minPasswordLength,
    sessionLifetimeHours: security?.sessionLifetimeHours,
    apiKeyMaxLifetimeDays: security?.apiKeyMaxLifetimeDays,
    apiKeysMayNeverExpire: security?.allowNeverExpiringApiKeys,
    auditRetentionDays: security?.auditRetentionDays,
  };
  const given = Object.fromEntries(
    Object.entries(columns).filter(([, value]) => value !== undefined && value !== null),
  );
  // These two are cleared with an explicit null.
  if (security?.apiKeyRateLimit !== undefined) {
    given.apiKeyRateLimitRequests = security.apiKeyRateLimit?.requests ?? null;
    given.apiKeyRateLimitWindowSeconds = security.apiKeyRateLimit?.windowSeconds ?? null;
  }
  if (security?.apiKeyUnusedRevokeDays !== undefined) given.apiKeyUnusedRevokeDays = security.apiKeyUnusedRevokeDays;
  return given;
}

/**
 * Changes the settings given, under a lock on the organization row so concurrent saves apply
 * one after the other. The Security group also needs security:manage. A shorter session
 * lifetime also shortens the sessions already open in the organization.
 */
export async function updateOrganizationSettings(
  ctx: RequestContext,
  input: UpdateOrganizationSettingsInput,
): Promise<OrganizationSettings> {
  const auth = requireAuth(ctx);
  if (input.security) requirePermission(ctx, 'security:manage');
  return ctx.db.transaction(async (tx) => {
    const organization = await tx.findOneOrFail(OrganizationEntity, {
      where: { id: auth.organizationId },
      lock: { mode: 'pessimistic_write' },
    });
    const requested = requestedColumns(input);
    if (requested.authorizedEmailDomains?.join() === organization.authorizedEmailDomains.join()) {
      delete requested.authorizedEmailDomains;
    }
    const callerWouldBeHeldToIt =
      auth.user.passwordHash !== null && !auth.user.totpEnabledAt && auth.user.passkeyCount === 0;
    if (requested.requireTwoFactor && !organization.requireTwoFactor && callerWouldBeHeldToIt) {
      throw AppError.conflict(
        'Turn on two-factor authentication for yourself before requiring it of everyone.',
        'requireTwoFactor',
      );
    }
    const changes = diff(organization, requested);
    if (!changes) return OrganizationSettings.from(organization);
    await tx.update(OrganizationEntity, { id: organization.id }, requested);
    if (requested.sessionLifetimeHours) {
      await tx.query(
        `UPDATE sessions SET expires_at = least(expires_at, created_at + make_interval(hours => $2))
          WHERE organization_id = $1 AND revoked_at IS NULL`,
        [organization.id, requested.sessionLifetimeHours],
      );
    }
    const updated = Object.assign(organization, requested);
    await record(ctx, tx, {
      category: 'SETTING_UPDATES',
      action: 'settings.updated',
      target: { type: 'organization', id: updated.id, name: updated.name },
      changes,
    });
    return OrganizationSettings.from(updated);
  });
}

export async function membersWithoutTwoFactor(ctx: RequestContext): Promise<Principal[]> {
  const rows: PrincipalRow[] = await ctx.db.query(
    `SELECT ${PRINCIPAL_COLUMNS} FROM memberships m
       JOIN users u ON u.id = m.user_id LEFT JOIN service_accounts sa ON sa.user_id = u.id
      WHERE m.organization_id = $1 AND m.status = 'ACTIVE' AND u.kind = 'HUMAN' AND u.totp_enabled_at IS NULL
        AND u.password_hash IS NOT NULL
      ORDER BY u.email`,
    [requireAuth(ctx).organizationId],
  );
  return rows.map(principalFromRow);
}
