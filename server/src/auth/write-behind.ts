import { logger } from '../kernel/logger';

const FLUSH_INTERVAL_MS = 60_000;

/**
 * Usage times (a key's last use, a session's last request) kept in memory, the latest per id,
 * and written in one batched statement a minute instead of a write per request. A failed write
 * is retried at the next flush.
 */
export class WriteBehind<V> {
  private readonly pending = new Map<string, V>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly what: string,
    private readonly write: (batch: [string, V][]) => Promise<unknown>,
    intervalMs = FLUSH_INTERVAL_MS,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  set(id: string, value: V): void {
    this.pending.set(id, value);
  }

  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const batch = [...this.pending];
    this.pending.clear();
    try {
      await this.write(batch);
    } catch (error) {
      logger.warn({ err: error }, `could not record ${this.what}; will retry`);
      for (const [id, value] of batch) if (!this.pending.has(id)) this.pending.set(id, value);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
