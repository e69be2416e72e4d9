import type { DataSource } from 'typeorm';
import { logger } from '../kernel/logger';

/**
 * Errors that mean PostgreSQL cannot be reached or is not accepting work right now, as opposed
 * to a statement it refused: socket errors, SQLSTATE class 08 (connection exception), 57P01–03
 * (shut down, crashed, starting up) and 53300 (too many connections).
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
/** node-postgres reports a connection lost mid-query, and a pool timeout, without a code. */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect)/;

export function isDatabaseUnavailable(error: unknown): boolean {
  // TypeORM wraps the driver's error (driverError); pg-pool and Node attach causes.
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    const wrapper = current as { driverError?: unknown; cause?: unknown };
    current = wrapper.driverError ?? wrapper.cause;
  }
  return false;
}

/** What clients are told to wait before retrying while the database is unreachable. */
export const RETRY_AFTER_SECONDS = 5;
const PROBE_INTERVAL_MS = 1000;

/**
 * One process-wide record of whether the database is reachable, so an outage is logged once
 * when the first request (or readiness probe, or background job) meets it and once when it
 * ends, however many requests fail in between. The end is found by probing with `SELECT 1`.
 */
class DatabaseOutage {
  private since: number | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private readonly databases = new Set<DataSource>();

  /** Lets the outage's end be detected through this data source (the server's own). */
  watch(db: DataSource): () => void {
    this.databases.add(db);
    if (this.since !== null && !this.probeTimer) this.probeLater();
    return () => {
      this.databases.delete(db);
      if (this.probeTimer && !this.databases.size) {
        clearTimeout(this.probeTimer);
        this.probeTimer = null;
      }
    };
  }

  /** Whether `error` means the database is unreachable; the first of an outage is logged. */
  note(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    if (this.since === null) {
      this.since = Date.now();
      logger.error({ err: error }, 'database unreachable: answering 503 until it is back');
      this.probeLater();
    }
    return true;
  }

  private probeLater(): void {
    const [db] = this.databases;
    if (!db) return;
    this.probeTimer = setTimeout(async () => {
      this.probeTimer = null;
      try {
        await db.query('SELECT 1');
      } catch {
        this.probeLater();
        return;
      }
      logger.warn({ downtimeMs: Date.now() - this.since! }, 'database reachable again');
      this.since = null;
    }, PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }
}

export const databaseOutage = new DatabaseOutage();
