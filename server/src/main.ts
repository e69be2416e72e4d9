import 'reflect-metadata';
import { loadConfig } from './app/config';
import { openDatabase } from './app/database';
import { createHttpServer } from './app/http-server';
import { logger } from './app/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  const http = await createHttpServer(database.dataSource, config);
  const port = await http.listen(config.port);
  logger.info({ port, url: config.publicUrl }, 'Gatehouse is listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await http.close();
      await database.close();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
