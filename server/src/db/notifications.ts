import { Client } from 'pg';
import { logger } from '../app/logger';
import { notificationListenerReconnects } from '../app/metrics';

type Handler = (payload: string) => void;

const RECONNECT_DELAY_MS = 500;

/**
 * One dedicated connection LISTENing on PostgreSQL channels. NOTIFY is transactional, so a
 * notification sent inside a transaction reaches every instance only if, and once, it commits.
 * The connection is re-opened after a database restart; `onReconnect` handlers run then, since
 * notifications sent while disconnected are lost. `session` tells caches whether notifications
 * are arriving right now, and whether they have arrived without a gap since a given moment.
 */
export class NotificationListener {
  private client: Client | null = null;
  private readonly handlers = new Map<string, Handler[]>();
  private readonly reconnectHandlers: (() => void)[] = [];
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private sessions = 0;
  private currentSession: number | null = null;
  private lostAt: number | null = null;

  constructor(private readonly url: string) {}

  on(channel: string, handler: Handler): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  /**
   * Numbers each LISTEN connection; null while there is none. Something read from the database
   * may be cached only while notifications arrive (not null), and only if this is still the
   * session it was read in: otherwise a change notified in the gap would be missed.
   */
  get session(): number | null {
    return this.currentSession;
  }

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', ({ channel, payload }) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(payload ?? '');
    });
    client.on('error', (error) => this.reconnect(error));
    client.on('end', () => this.reconnect(new Error('connection ended')));
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      await this.discardClient()
        ?.end()
        .catch(() => undefined);
      throw error;
    }
    this.currentSession = ++this.sessions;
  }

  /** Retries until the connection is back; logs the loss once and the return once. */
  private reconnect(error: Error): void {
    if (this.stopped || this.retryTimer) return;
    this.discardClient();
    if (this.lostAt === null) {
      this.lostAt = Date.now();
      logger.warn({ err: error }, 'notification listener lost its connection; reconnecting');
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
    await this.discardClient()
      ?.end()
      .catch(() => undefined);
  }

  /** A dead client may still emit 'error'; it must have a listener or the process crashes. */
  private discardClient(): Client | null {
    const client = this.client;
    this.client = null;
    this.currentSession = null;
    client?.removeAllListeners();
    client?.on('error', () => undefined);
    return client;
  }
}
