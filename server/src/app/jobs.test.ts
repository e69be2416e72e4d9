import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../kernel/config';
import { addJob, type JobDefinition } from '../kernel/jobs';
import { createDataSource } from '../db/data-source';
import { startJobs } from './jobs';

/** Jobs are rows in PostgreSQL: enqueued with the transaction that asks for them, run once by one of several workers, retried after a failure. */
describe('background jobs (graphile-worker)', () => {
  const db = createDataSource(process.env.DATABASE_URL!);
  const config = { ...loadConfig(), jobs: true, jobConcurrency: 2 };
  const task = `test.job.${randomUUID().slice(0, 8)}`;
  const runs: { worker: number; payload: { n: number } }[] = [];
  let failOnce = true;
  const stops: (() => Promise<void>)[] = [];

  const definition = (worker: number): JobDefinition<{ n: number }> => ({
    name: task,
    handler: async (payload) => {
      if (payload.n === 3 && failOnce) {
        failOnce = false;
        throw new Error('the receiver was down');
      }
      runs.push({ worker, payload });
    },
  });

  beforeAll(async () => {
    await db.initialize();
    for (const worker of [1, 2]) stops.push(await startJobs(db, config, [definition(worker)]));
  });
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
    await db.destroy();
  });

  async function until(check: () => boolean, what: string) {
    for (let i = 0; i < 100 && !check(); i++) await sleep(100);
    if (!check()) throw new Error(`timed out waiting for ${what}`);
  }

  it('runs a committed job once across two workers and never a rolled-back one', async () => {
    await db
      .transaction(async (tx) => {
        await addJob(tx, task, { n: 1 });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await db.transaction((tx) => addJob(tx, task, { n: 2 }));
    await until(() => runs.some((run) => run.payload.n === 2), 'the committed job');
    await sleep(1500);
    expect(runs.map((run) => run.payload.n)).toEqual([2]);
  });

  it('keeps a failed job and retries it later with backoff', async () => {
    await addJob(db, task, { n: 3 }, { jobKey: `${task}:3` });
    await until(() => !failOnce, 'the first attempt');
    const [job] = await db.query(
      `SELECT attempts, last_error, run_at > now() AS later FROM graphile_worker.jobs WHERE key = $1`,
      [`${task}:3`],
    );
    expect(job).toMatchObject({
      attempts: 1,
      last_error: expect.stringContaining('the receiver was down'),
      later: true,
    });
    expect(runs.some((run) => run.payload.n === 3)).toBe(false);
  });
});
