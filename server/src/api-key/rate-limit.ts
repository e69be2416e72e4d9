import type { DataSource } from 'typeorm';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import Redis from 'ioredis';
import { logger } from '../kernel/logger';

export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts a key's requests against its limit, shared by every instance. */
export interface KeyRateLimiter {
  consume(apiKeyId: string, limit: RateLimit): Promise<RateDecision>;
  stop(): Promise<void>;
}

const ALLOWED: RateDecision = { allowed: true };

/**
 * Each instance takes this share of a window's budget from the database at a time and spends it
 * from memory. A lease is one upsert; what another instance holds unspent when the window ends
 * is lost, so with two instances at most 2 × 5% of the limit goes unserved, and the limit is
 * never exceeded.
 */
const LEASE_FRACTION = 0.05;
const SWEEP_MS = 60_000;

interface Window {
  start: number;
  end: number;
  /** Requests this instance may still serve in the window without asking the database. */
  left: number;
  /** The database said the budget is spent: refuse until the window ends, without asking again. */
  exhausted: boolean;
  leasing?: Promise<void>;
}

/**
 * Fixed windows in PostgreSQL without a write per request: instances lease chunks of the budget
 * (`api_key_rate_windows`, unlogged: losing it in a crash only forgives a window). A key with a
 * limit of a million requests a minute costs twenty upserts a minute, whatever the traffic.
 */
export class LeasedRateLimiter implements KeyRateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(private readonly db: DataSource) {
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweepTimer.unref();
  }

  async consume(apiKeyId: string, limit: RateLimit): Promise<RateDecision> {
    const lengthMs = limit.windowSeconds * 1000;
    for (;;) {
      const now = Date.now();
      const start = Math.floor(now / lengthMs) * lengthMs;
      const id = `${apiKeyId}/${limit.windowSeconds}`;
      let window = this.windows.get(id);
      if (!window || window.start !== start) {
        window = { start, end: start + lengthMs, left: 0, exhausted: false };
        this.windows.set(id, window);
      }
      if (window.left > 0) {
        window.left -= 1;
        return ALLOWED;
      }
      if (window.exhausted)
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.end - now) / 1000)) };
      window.leasing ??= this.lease(apiKeyId, limit, window).finally(() => {
        window.leasing = undefined;
      });
      await window.leasing;
    }
  }

  /** Takes up to a chunk of what is left of the window; `used` may pass the limit, the grant never does. */
  private async lease(apiKeyId: string, limit: RateLimit, window: Window): Promise<void> {
    const chunk = Math.max(1, Math.floor(limit.requests * LEASE_FRACTION));
    try {
      const [{ used }]: { used: number }[] = await this.db.query(
        `INSERT INTO api_key_rate_windows (api_key_id, window_seconds, window_start, used, expires_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (api_key_id, window_seconds, window_start)
           DO UPDATE SET used = api_key_rate_windows.used + EXCLUDED.used
         RETURNING used`,
        [apiKeyId, limit.windowSeconds, new Date(window.start), chunk, new Date(window.end)],
      );
      const granted = Math.max(0, Math.min(chunk, limit.requests - (used - chunk)));
      window.left += granted;
      if (granted < chunk) window.exhausted = true;
    } catch (error) {
      // Insurance: while the database cannot be asked, this instance counts on its own.
      logger.warn({ err: error }, 'could not lease API key rate limit; counting locally');
      window.left += chunk;
    }
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [id, window] of this.windows) if (window.end <= now) this.windows.delete(id);
    await this.db.query('DELETE FROM api_key_rate_windows WHERE expires_at < now()').catch((error: unknown) => {
      logger.warn({ err: error }, 'could not delete past API key rate windows');
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
  }
}

/** REDIS_URL: one atomic increment per request in Redis, with an in-memory limiter as insurance. */
export class RedisRateLimiter implements KeyRateLimiter {
  private readonly client: Redis;
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(url: string) {
    this.client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.client.on('error', (error) => logger.warn({ err: error }, 'Redis (API key rate limits) error'));
  }

  private limiter({ requests, windowSeconds }: RateLimit): RateLimiterRedis {
    const id = `${requests}/${windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.client,
        keyPrefix: `gatehouse:api-key:${windowSeconds}`,
        points: requests,
        duration: windowSeconds,
        insuranceLimiter: new RateLimiterMemory({ points: requests, duration: windowSeconds }),
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  async consume(apiKeyId: string, limit: RateLimit): Promise<RateDecision> {
    try {
      await this.limiter(limit).consume(apiKeyId);
      return ALLOWED;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    }
  }

  async stop(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

export function createRateLimiter(db: DataSource, redisUrl: string | undefined): KeyRateLimiter {
  return redisUrl ? new RedisRateLimiter(redisUrl) : new LeasedRateLimiter(db);
}
