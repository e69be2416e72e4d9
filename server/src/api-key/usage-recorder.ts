import type { DataSource } from 'typeorm';
import { logger } from '../kernel/logger';

export type UsageOutcome = 'SUCCESS' | 'UNAUTHORIZED' | 'RATE_LIMITED' | 'IP_NOT_ALLOWED';

const HOUR_MS = 3_600_000;
export const USAGE_RETENTION_DAYS = 90;

/**
 * Counts each key's requests per hour and outcome in memory and adds them to `api_key_usage`
 * in one statement per flush, like last-used times: a request never waits for a write.
 */
export class UsageRecorder {
  private counts = new Map<string, number>();

  constructor(private readonly db: DataSource) {}

  count(apiKeyId: string, outcome: UsageOutcome, at = Date.now()): void {
    const id = `${apiKeyId}|${Math.floor(at / HOUR_MS) * HOUR_MS}|${outcome}`;
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  async flush(): Promise<void> {
    if (!this.counts.size) return;
    const batch = this.counts;
    this.counts = new Map();
    const rows = [...batch].map(([id, count]) => [...id.split('|'), count] as [string, string, string, number]);
    try {
      await this.db.query(
        `INSERT INTO api_key_usage (api_key_id, hour, outcome, count)
         SELECT u.id, to_timestamp(u.hour / 1000.0), u.outcome, u.count
         FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::int[]) AS u(id, hour, outcome, count)
         WHERE EXISTS (SELECT 1 FROM api_keys k WHERE k.id = u.id)
         ON CONFLICT (api_key_id, hour, outcome) DO UPDATE SET count = api_key_usage.count + EXCLUDED.count`,
        [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
      );
    } catch (error) {
      logger.warn({ err: error }, 'could not record API key usage counts; will retry');
      for (const [id, count] of batch) this.counts.set(id, (this.counts.get(id) ?? 0) + count);
    }
  }
}

/** Usage older than the retention period goes; run by the daily API key job. */
export async function deleteOldUsage(db: DataSource): Promise<void> {
  await db.query(`DELETE FROM api_key_usage WHERE hour < now() - make_interval(days => $1)`, [USAGE_RETENTION_DAYS]);
}
