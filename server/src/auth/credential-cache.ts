import type { NotificationListener } from '../db/notifications';
import { ACCESS_CHANGED_CHANNEL, type AccessChange, affects, parseAccessChange } from './access-events';
import type { AuthState } from './auth-state';

export interface CachedCredential {
  auth: AuthState;
  validUntil: number;
}

/** A safety net only: NOTIFY invalidates at once, this bounds the damage of a missed message. */
export const CREDENTIAL_CACHE_TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;
/** Loads overtaken by an invalidation are repeated this often before one is served uncached. */
const MAX_LOAD_ATTEMPTS = 3;

/**
 * Verified credentials (API keys, browser sessions) per process, keyed by the hash of their
 * secret, dropped on every instance by the database's own NOTIFY (triggers, see
 * auth/access-events.ts) when the credential or its holder's access changes.
 */
export class CredentialCache<E extends CachedCredential> {
  private readonly entries = new Map<string, E>();
  /**
   * Moves on at every invalidation. A load that was running when an invalidation arrived may
   * have read the rows before the change it announces, and caching that answer would bring a
   * revoked credential back for minutes; such a load is repeated and its answer never cached.
   */
  private generation = 0;

  constructor(private readonly listener: NotificationListener) {
    listener.on(ACCESS_CHANGED_CHANNEL, (payload) => this.invalidate(parseAccessChange(payload)));
    // Changes made while the listener is away are never announced: forget everything at both ends.
    listener.onDisconnect(() => this.invalidate({}));
    listener.onReconnect(() => this.invalidate({}));
  }

  async get(key: string, load: () => Promise<E | null>): Promise<E | null> {
    const entry = this.entries.get(key);
    if (entry && entry.validUntil > Date.now()) return entry;
    this.entries.delete(key);
    return this.loadCurrent(key, load);
  }

  /**
   * Loads, again if an invalidation arrived meanwhile, and caches a result nothing has
   * overtaken. Under a storm of invalidations the last load is served once, uncached: it started
   * after every invalidation but the ones it overlapped, like a request that came a moment earlier.
   */
  private async loadCurrent(key: string, load: () => Promise<E | null>): Promise<E | null> {
    for (let attempt = 1; ; attempt += 1) {
      const generation = this.generation;
      const entry = await load();
      if (generation === this.generation) {
        // Without a listener no revocation would reach the cache: serve, but do not keep.
        if (entry && this.listener.listening) this.remember(key, entry);
        return entry;
      }
      if (attempt === MAX_LOAD_ATTEMPTS) return entry;
    }
  }

  private remember(key: string, entry: E): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
  }

  private invalidate(change: AccessChange): void {
    this.generation += 1;
    for (const [key, { auth }] of this.entries) {
      const holder = {
        apiKeyId: auth.apiKeyId,
        sessionId: auth.sessionId,
        organizationId: auth.organizationId,
        userId: auth.user.id,
      };
      if (affects(change, holder)) this.entries.delete(key);
    }
  }
}
