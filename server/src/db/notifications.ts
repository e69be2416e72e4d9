import { Client } from 'pg';
import { logger } from '../app/logger';

type Handler = (payload: string) => void;

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
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN "${channel}"`);
    this.client = client;
  }

  private reconnect(error: Error): void {
    if (this.stopped || this.retryTimer) return;
    logger.warn({ err: error }, 'notification listener lost its connection; reconnecting');
    this.discardClient();
    for (const handler of this.disconnectHandlers) handler();
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null;
      try {
        await this.start();
        logger.info('notification listener reconnected');
        for (const handler of this.reconnectHandlers) handler();
      } catch (retryError) {
        this.reconnect(retryError as Error);
      }
    }, 1000);
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
    client?.removeAllListeners();
    client?.on('error', () => undefined);
    return client;
  }
}
