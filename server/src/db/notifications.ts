import { Client } from 'pg';
import { logger } from '../kernel/logger';
import { notificationListenerReconnects } from '../kernel/metrics';

type Handler = (payload: string) => void;

const RECONNECT_DELAY_MS = 500;

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

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', ({ channel, payload }) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(payload ?? '');
    });
    client.on('error', (error) => this.reconnect(error));
    client.on('end', () => this.reconnect(new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN "${channel}"`);
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
