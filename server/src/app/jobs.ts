import { Logger, parseCronItems, run, type LogLevel } from 'graphile-worker';
import type { DataSource } from 'typeorm';
import { API_KEY_NOTICES_JOB } from '../api-key/api-key-notices';
import { AUDIT_RETENTION_JOB } from '../audit-log/audit-retention';
import { AUDIT_STREAM_JOBS } from '../audit-stream/audit-stream-delivery';
import { DOMAIN_CHECKS_JOB } from '../domain/domain-checks';
import type { Config } from '../kernel/config';
import { createContext } from '../kernel/context';
import type { JobDefinition } from '../kernel/jobs';
import { logger } from '../kernel/logger';
import { EXPIRE_GRANTS } from '../access/grant-expiry';

/** Every background task of Gatehouse: the one registry graphile-worker runs from. */
export const JOBS: JobDefinition[] = [
  AUDIT_RETENTION_JOB,
  ...AUDIT_STREAM_JOBS,
  DOMAIN_CHECKS_JOB,
  API_KEY_NOTICES_JOB,
  EXPIRE_GRANTS,
];

const workerLogger = new Logger((scope) => (level: LogLevel, message: string, meta?: unknown) => {
  const log = logger.child({ worker: scope });
  if (level === 'error') log.error({ meta }, message);
  else if (level === 'warning') log.warn({ meta }, message);
  else log.debug({ meta }, message);
});

/**
 * Starts this instance's worker (JOBS=false: this instance serves requests only). Returns a stop
 * function that lets running jobs finish; an instance that dies mid-job has its job retried by
 * another once graphile-worker's lock on it expires.
 */
export async function startJobs(
  db: DataSource,
  config: Config,
  jobs: JobDefinition[] = JOBS,
): Promise<() => Promise<void>> {
  const unknown = config.jobTasks?.filter((task) => !jobs.some((job) => job.name === task)) ?? [];
  if (unknown.length) throw new Error(`JOB_TASKS names tasks that do not exist: ${unknown.join(', ')}`);
  const tasks = config.jobTasks ? jobs.filter((job) => config.jobTasks!.includes(job.name)) : jobs;
  if (!config.jobs || !tasks.length) return async () => {};
  const ctx = await createContext(
    { db, config, authenticator: { authenticate: async () => ({ auth: null, rejected: false }) } },
    { requestId: 'jobs' },
  );
  const runner = await run({
    connectionString: (db.options as { url: string }).url,
    concurrency: config.jobConcurrency,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: workerLogger,
    taskList: Object.fromEntries(tasks.map((job) => [job.name, (payload: unknown) => job.handler(payload, ctx)])),
    parsedCronItems: parseCronItems(
      tasks.filter((job) => job.cron).map((job) => ({ task: job.name, match: job.cron!, identifier: job.name })),
    ),
  });
  return () => runner.stop();
}
