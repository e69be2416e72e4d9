import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { logger } from '../kernel/logger';
import { notificationListenerReconnects } from '../kernel/metrics';

type Handler = (payload: string) => void;

const RECONNECT_DELAY_MS = 500;
/** A barrier that has not come back by then is given up: an answer late by this much is the worst case. */
const BARRIER_TIMEOUT_MS = 1000;

/**
 * One dedicated connection LISTENing on PostgreSQL channels. NOTIFY is transactional, so a
 * notification sent inside a transaction reaches every instance only if, and once, it commits.
 * The connection is re-opened after a database restart. Notifications sent while disconnected
 * are lost, so `onDisconnect` and `onReconnect` handlers run at both ends of the gap, and
 * `listening` tells whether a notification sent now would arrive.
 */
export class NotificationListener {
  private client: Client | null = null;
  private readonly handlers = new Map<string, Handler[]>();
  private readonly reconnectHandlers: (() => void)[] = [];
  private readonly disconnectHandlers: (() => void)[] = [];
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private lostAt: number | null = null;
  /** This instance's own channel for barriers, so other instances never receive them. */
  private readonly barrierChannel = `gatehouse_barrier_${randomUUID().replace(/-/g, '')}`;
  private readonly barriers = new Map<string, () => void>();
  private barrierQueue: Promise<void> = Promise.resolve();

  constructor(private readonly url: string) {}

  on(channel: string, handler: Handler): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  onDisconnect(handler: () => void): void {
    this.disconnectHandlers.push(handler);
  }

  get listening(): boolean {
    return this.client !== null;
  }

  /**
   * Resolves once every notification committed before the call has been handled here: PostgreSQL
   * delivers notifications in commit order, so our own NOTIFY comes back after them. A request
   * that may have changed access awaits this before answering, so the caller's next request to
   * this instance never meets a cached credential that the change voided (signed out, revoked).
   */
  async barrier(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const id = randomUUID();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.barriers.delete(id);
        resolve();
      };
      const timer = setTimeout(done, BARRIER_TIMEOUT_MS);
      this.barriers.set(id, done);
      // One query at a time on this connection (pg queues them, but warns that it will stop).
      this.barrierQueue = this.barrierQueue.then(() =>
        client.query('SELECT pg_notify($1, $2)', [this.barrierChannel, id]).then(() => undefined, done),
      );
    });
  }

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', ({ channel, payload }) => {
      if (channel === this.barrierChannel) return this.barriers.get(payload ?? '')?.();
      for (const handler of this.handlers.get(channel) ?? []) handler(payload ?? '');
    });
    client.on('error', (error) => this.reconnect(error));
    client.on('end', () => this.reconnect(new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of [...this.handlers.keys(), this.barrierChannel]) await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      // A failed attempt may still emit 'error' or 'end' later: it must not tear down the next one.
      await silence(client)
        .end()
        .catch(() => undefined);
      throw error;
    }
    this.client = client;
  }

  /** Retries until the connection is back; logs the loss once and the return once. */
  private reconnect(error: Error): void {
    if (this.stopped || this.retryTimer) return;
    this.discardClient();
    if (this.lostAt === null) {
      this.lostAt = Date.now();
      logger.warn({ err: error }, 'notification listener lost its connection; reconnecting');
      for (const handler of this.disconnectHandlers) handler();
    }
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null;
      try {
        await this.start();
      } catch (retryError) {
        this.reconnect(retryError as Error);
        return;
      }
      logger.info({ downtimeMs: Date.now() - this.lostAt! }, 'notification listener reconnected');
      this.lostAt = null;
      notificationListenerReconnects.inc();
      for (const handler of this.reconnectHandlers) handler();
    }, RECONNECT_DELAY_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client)
      await silence(client)
        .end()
        .catch(() => undefined);
  }

  private discardClient(): void {
    if (this.client) silence(this.client);
    this.client = null;
  }
}

/** A dead client may still emit 'error'; it must have a listener or the process crashes. */
function silence(client: Client): Client {
  client.removeAllListeners();
  client.on('error', () => undefined);
  return client;
}
