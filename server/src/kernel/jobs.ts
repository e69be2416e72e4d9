import type { DataSource, EntityManager } from 'typeorm';
import type { RequestContext } from './context';

/**
 * A background task run by graphile-worker (see `server/src/app/jobs.ts`). Jobs live in
 * PostgreSQL, so they survive restarts, are retried with graphile-worker's exponential backoff
 * and are taken by one instance at a time; a `cron` job runs once per tick across all instances.
 */
export interface JobDefinition<Payload = any> {
  /** The task's identifier in graphile_worker, e.g. `auditStream.deliver`. */
  name: string;
  /** A crontab pattern (`*\/5 * * * *`) when the task also runs on a schedule. */
  cron?: string;
  /** Runs with a system context (no signed-in principal). Throwing schedules a retry. */
  handler(payload: Payload, ctx: RequestContext): Promise<void>;
}

export interface JobOptions {
  /** Replaces a pending job with the same key instead of adding a second one. */
  jobKey?: string;
  /** With a jobKey: keep the pending job's run time (debounce) instead of moving it. */
  preserveRunAt?: boolean;
  runAt?: Date;
  /** Jobs of one queue run one at a time, in order, across every instance. */
  queueName?: string;
  maxAttempts?: number;
}

/**
 * Enqueues a job in the caller's transaction, so it exists exactly when the change that asks for it
 * commits (graphile-worker notifies its workers on commit).
 */
export async function addJob(
  manager: EntityManager | DataSource,
  name: string,
  payload: unknown = {},
  options: JobOptions = {},
): Promise<void> {
  await manager.query(
    `SELECT graphile_worker.add_job($1, $2::json, queue_name => $3, run_at => $4, max_attempts => $5,
       job_key => $6, job_key_mode => $7)`,
    [
      name,
      JSON.stringify(payload),
      options.queueName ?? null,
      options.runAt ?? null,
      options.maxAttempts ?? null,
      options.jobKey ?? null,
      options.preserveRunAt ? 'preserve_run_at' : 'replace',
    ],
  );
}
