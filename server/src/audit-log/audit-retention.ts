import type { DataSource, QueryRunner } from 'typeorm';
import type { Config } from '../kernel/config';
import type { JobDefinition } from '../kernel/jobs';
import { logger } from '../kernel/logger';
import { auditChainKey, retentionAnchorMac } from './audit-chain';

/** The job runs on one instance at a time, and so does anything else that calls applyAuditRetention. */
const RETENTION_LOCK = 'gatehouse.audit-retention';
const DELETE_BATCH = 10_000;

/**
 * Removes one batch of an organization's oldest events, up to `through`, and moves the chain's
 * retention anchor past them in the same transaction, so the chain is never left without the
 * anchor that explains where it now starts. Returns how many events went.
 */
async function trimBatch(runner: QueryRunner, key: Buffer, organizationId: string, through: number): Promise<number> {
  await runner.startTransaction();
  try {
    const [batch] = await runner.query(
      `WITH batch AS (
         DELETE FROM audit_events WHERE id IN (
           SELECT id FROM audit_events WHERE organization_id = $1 AND sequence <= $2
            ORDER BY sequence LIMIT ${DELETE_BATCH})
         RETURNING sequence, hash)
       SELECT count(*)::int AS deleted, max(sequence)::bigint AS last,
              (array_agg(hash ORDER BY sequence DESC))[1] AS last_hash
         FROM batch`,
      [organizationId, through],
    );
    if (batch.deleted) {
      const last = Number(batch.last);
      await runner.query(
        `UPDATE audit_chain_heads SET trimmed_through = $2, trimmed_hash = $3, anchor_mac = $4
          WHERE chain_id = $1 AND trimmed_through < $2`,
        [organizationId, last, batch.last_hash, retentionAnchorMac(key, organizationId, last, batch.last_hash)],
      );
    }
    await runner.commitTransaction();
    return batch.deleted;
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
}

/**
 * Deletes every organization's events older than its retention, oldest sequence first and in
 * batches so no transaction runs long. Deleting by sequence keeps the rest of the chain whole even
 * when clocks of several instances disagree slightly about occurred_at: everything up to the newest
 * expired event goes. Returns how many events were removed, or null when another instance held
 * the lock.
 */
export async function applyAuditRetention(
  db: DataSource,
  config: Pick<Config, 'auditChainKey' | 'secretsKey' | 'dataDir'>,
): Promise<number | null> {
  const key = auditChainKey(config);
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [RETENTION_LOCK]);
    if (!locked) return null;
    try {
      let removed = 0;
      const expired: { id: string; through: string }[] = await runner.query(
        `SELECT o.id, (SELECT max(sequence) FROM audit_events e
                        WHERE e.organization_id = o.id
                          AND e.occurred_at < now() - make_interval(days => o.audit_retention_days)) AS through
           FROM organizations o`,
      );
      for (const organization of expired.filter((row) => row.through !== null)) {
        for (;;) {
          const deleted = await trimBatch(runner, key, organization.id, Number(organization.through));
          removed += deleted;
          if (deleted < DELETE_BATCH) break;
        }
      }
      return removed;
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [RETENTION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

/** Hourly, on one instance at a time (graphile-worker cron); a failed run is retried with backoff. */
export const AUDIT_RETENTION_JOB: JobDefinition = {
  name: 'auditLog.retention',
  cron: '0 * * * *',
  handler: async (_payload, ctx) => {
    const removed = await applyAuditRetention(ctx.db, ctx.config);
    if (removed) logger.info({ removed }, 'audit retention removed old events');
  },
};
