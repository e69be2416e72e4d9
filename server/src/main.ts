import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from './kernel/config';
import { openDatabase } from './app/database';
import { createHttpServer } from './app/http-server';
import { logger } from './kernel/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.benchAuditChainOff)
    logger.warn('BENCH_AUDIT_CHAIN=off: audit events are written without their hash chain');
  const database = await openDatabase(config);
  const http = await createHttpServer(database.dataSource, config);
  const port = await http.listen(config.port);
  logger.info({ port, url: config.publicUrl }, 'Gatehouse is listening');

  let stopping = false;
  /**
   * Drain first (readiness 503, every response closes its connection, new connections still
   * served) for SHUTDOWN_DELAY_SECONDS, so the load balancer stops routing here before anything
   * is refused; then stop accepting, finish in-flight requests, background jobs and the database.
   */
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    http.startDraining();
    logger.info({ signal, delaySeconds: config.shutdownDelaySeconds }, 'draining: readiness reports 503');
    try {
      await sleep(config.shutdownDelaySeconds * 1000);
      logger.info('no longer accepting connections; finishing in-flight requests');
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
