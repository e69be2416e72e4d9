import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import { Client } from 'pg';
import { DataSource, EntityManager, type Migration } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: Number(process.env.DATABASE_POOL_SIZE ?? 20) },
  });
}

const MIGRATIONS_LOCK = 'gatehouse.migrations';

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so instances started together
 * (a rolling deploy, scaling from zero) take turns: the first applies them, the others wait and
 * then find nothing to do. The lock is held by a connection of its own, outside the pool, so a
 * pool of one connection cannot deadlock against it; it is released when that connection ends,
 * even if this process dies midway.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  const lock = new Client({ connectionString: (dataSource.options as { url: string }).url });
  // A dropped connection fails the queries below; without a listener it would also crash the process.
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATIONS_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    // The job queue's own schema (graphile_worker), so that jobs can be enqueued in any transaction.
    await runWorkerMigrations({ connectionString: (dataSource.options as { url: string }).url });
    return applied;
  } finally {
    await lock.end().catch(() => undefined);
  }
}

export type Transaction = EntityManager;

/** PostgreSQL's SQLSTATE for a unique-constraint violation. */
export const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })?.driverError ?? error;
  const { code, constraint: violated } = driverError as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION && (!constraint || violated === constraint);
}
