import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../db/data-source';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import type { Config } from '../kernel/config';
import { logger } from '../kernel/logger';

export interface Database {
  dataSource: DataSource;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL, then applies migrations. */
export async function openDatabase(config: Config): Promise<Database> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort);
  const dataSource = createDataSource(config.databaseUrl ?? embedded!.url);
  await dataSource.initialize();
  const applied = await runMigrations(dataSource);
  if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
