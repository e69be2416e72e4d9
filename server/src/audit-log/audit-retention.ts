import type { DataSource } from 'typeorm';
import { logger } from '../app/logger';
import { databaseOutage } from '../db/availability';

/** Any number of instances run the job; this lock lets one of them work at a time. */
const RETENTION_LOCK = 'gatehouse.audit-retention';
const DELETE_BATCH = 10_000;

/**
 * Deletes every organization's events older than its retention, in batches so no transaction
 * holds many locks. The oldest kept event's previous hash anchors verification afterwards.
 * Returns how many events were removed, or null when another instance held the lock.
 */
export async function applyAuditRetention(db: DataSource): Promise<number | null> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [RETENTION_LOCK]);
    if (!locked) return null;
    try {
      let removed = 0;
      const organizations: { id: string; days: number }[] = await runner.query(
        'SELECT id, audit_retention_days AS days FROM organizations',
      );
      for (const organization of organizations) {
        for (;;) {
          const [{ deleted }] = await runner.query(
            `WITH batch AS (
               DELETE FROM audit_events WHERE id IN (
                 SELECT id FROM audit_events
                  WHERE organization_id = $1 AND occurred_at < now() - make_interval(days => $2)
                  LIMIT ${DELETE_BATCH})
               RETURNING 1)
             SELECT count(*)::int AS deleted FROM batch`,
            [organization.id, organization.days],
          );
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

/** Runs the retention job every `intervalSeconds`; returns a stop function that waits for a running pass. */
export function startAuditRetention(db: DataSource, intervalSeconds: number): () => Promise<void> {
  if (intervalSeconds <= 0) return async () => {};
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = applyAuditRetention(db)
      .then((removed) => {
        if (removed) logger.info({ removed }, 'audit retention removed old events');
      })
      .catch((error: unknown) => {
        if (!databaseOutage.note(error)) logger.error({ err: error }, 'audit retention failed');
      });
  }, intervalSeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
