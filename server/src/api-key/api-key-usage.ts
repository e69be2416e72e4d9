import type { RequestContext } from '../kernel/context';
import { requireAuth } from '../auth/policies';
import { AppError } from '../errors/app-error';
import { ApiKeyUsageDay } from './api-key.types';
import { USAGE_RETENTION_DAYS } from './usage-recorder';

/**
 * A key's requests per day over the last `days` days (today included, every day present),
 * summed from the hourly counts; counts reach the database within a minute of the requests.
 */
export async function apiKeyUsage(ctx: RequestContext, apiKeyId: string, days: number): Promise<ApiKeyUsageDay[]> {
  const auth = requireAuth(ctx);
  if (!Number.isInteger(days) || days < 1 || days > USAGE_RETENTION_DAYS) {
    throw AppError.badInput('days', `Usage covers 1 to ${USAGE_RETENTION_DAYS} days.`);
  }
  const rows: ApiKeyUsageDay[] = await ctx.db.query(
    `SELECT d.day,
            coalesce(sum(u.count) FILTER (WHERE u.outcome = 'SUCCESS'), 0)::int AS success,
            coalesce(sum(u.count) FILTER (WHERE u.outcome = 'UNAUTHORIZED'), 0)::int AS unauthorized,
            coalesce(sum(u.count) FILTER (WHERE u.outcome = 'RATE_LIMITED'), 0)::int AS "rateLimited",
            coalesce(sum(u.count) FILTER (WHERE u.outcome = 'IP_NOT_ALLOWED'), 0)::int AS "ipNotAllowed"
     FROM generate_series(0, $2 - 1) AS n,
          LATERAL (SELECT date_trunc('day', now(), 'UTC') - make_interval(days => n) AS day) d
     LEFT JOIN api_key_usage u
       ON u.api_key_id = $1 AND u.hour >= d.day AND u.hour < d.day + interval '1 day'
       AND EXISTS (SELECT 1 FROM api_keys k WHERE k.id = $1 AND k.organization_id = $3)
     GROUP BY d.day
     ORDER BY d.day`,
    [apiKeyId, days, auth.organizationId],
  );
  return rows.map((row) => Object.assign(new ApiKeyUsageDay(), row));
}
