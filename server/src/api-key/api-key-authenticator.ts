import type { DataSource } from 'typeorm';
import { ALL_SCOPES } from '@gatehouse/shared';
import { logger } from '../kernel/logger';
import { authenticationFailures } from '../kernel/metrics';
import { ACCESS_CHANGED_CHANNEL, type AccessChange, affects, parseAccessChange } from '../auth/access-events';
import type { AuthState } from '../auth/auth-state';
import { loadActiveMembership } from '../auth/membership-loader';
import type { NotificationListener } from '../db/notifications';
import { permissionsOfRole } from '../role/role-permissions';
import { hashApiKeySecret, isWellFormedApiKey } from './api-key-secret';

interface CachedKey {
  auth: AuthState;
  validUntil: number;
}

/** A safety net only: NOTIFY invalidates at once, this bounds the damage of a missed message. */
const CACHE_TTL_MS = 5 * 60_000;
const MAX_CACHED_KEYS = 10_000;
const LAST_USED_FLUSH_MS = 60_000;
/** Loads overtaken by an invalidation are repeated this often before one is served uncached. */
const MAX_LOAD_ATTEMPTS = 3;

interface KeyRow {
  id: string;
  organization_id: string;
  owner_id: string;
  scopes: string[];
  expires_at: Date | null;
  previous_secret_expires_at: Date | null;
  via_previous_secret: boolean;
}

/**
 * Verifies `Authorization: Bearer gth_…` keys. The hot path is a checksum test, a SHA-256 and
 * a Map lookup: verified keys are cached per process and dropped on every instance by the
 * database's own NOTIFY (triggers, see auth/access-events.ts) when the key or its owner's access
 * changes. Last-used times are kept in memory and written behind in one batched statement a minute.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CachedKey>();
  /**
   * Moves on at every invalidation. A load that was running when an invalidation arrived may
   * have read the rows before the change it announces, and caching that answer would bring a
   * revoked key back for minutes; such a load is repeated and its answer never cached.
   */
  private generation = 0;
  private readonly lastUsed = new Map<string, { at: Date; ip: string | null }>();
  private readonly flushTimer: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly listener: NotificationListener,
  ) {
    listener.on(ACCESS_CHANGED_CHANNEL, (payload) => this.invalidate(parseAccessChange(payload)));
    // Changes made while the listener is away are never announced: forget everything at both ends.
    listener.onDisconnect(() => this.invalidate({}));
    listener.onReconnect(() => this.invalidate({}));
    this.flushTimer = setInterval(() => void this.flushLastUsed(), LAST_USED_FLUSH_MS);
    this.flushTimer.unref();
  }

  async authenticate(secret: string, ip: string | null): Promise<AuthState | null> {
    if (!isWellFormedApiKey(secret)) return this.reject('malformed');
    const hash = hashApiKeySecret(secret).toString('base64');
    const now = Date.now();
    let entry = this.cache.get(hash);
    if (!entry || entry.validUntil <= now) {
      this.cache.delete(hash);
      entry = (await this.loadCurrent(hash)) ?? undefined;
      if (!entry) return this.reject('unknown');
    }
    this.lastUsed.set(entry.auth.apiKeyId!, { at: new Date(now), ip });
    return { ...entry.auth };
  }

  private reject(reason: string): null {
    authenticationFailures.inc({ kind: 'api_key' });
    logger.info({ reason }, 'API key rejected');
    return null;
  }

  /**
   * Loads a key, again if an invalidation arrived meanwhile, and caches a result nothing has
   * overtaken. Under a storm of invalidations the last load is served once, uncached: it started
   * after every invalidation but the ones it overlapped, like a request that came a moment earlier.
   */
  private async loadCurrent(hash: string): Promise<CachedKey | null> {
    for (let attempt = 1; ; attempt += 1) {
      const generation = this.generation;
      const entry = await this.load(hash);
      if (generation === this.generation) {
        // Without a listener no revocation would reach the cache: serve, but do not keep.
        if (entry && this.listener.listening) this.remember(hash, entry);
        return entry;
      }
      if (attempt === MAX_LOAD_ATTEMPTS) return entry;
    }
  }

  private remember(hash: string, entry: CachedKey): void {
    if (this.cache.size >= MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, entry);
  }

  private async load(hashBase64: string): Promise<CachedKey | null> {
    const hash = Buffer.from(hashBase64, 'base64');
    const [key]: KeyRow[] = await this.db.query(
      `SELECT id, organization_id, owner_id, scopes, expires_at, previous_secret_expires_at,
              secret_hash <> $1 AS via_previous_secret
       FROM api_keys
       WHERE (secret_hash = $1 OR (previous_secret_hash = $1 AND previous_secret_expires_at > now()))
         AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [hash],
    );
    if (!key) return null;
    const membership = await loadActiveMembership(this.db, key.owner_id, key.organization_id);
    if (!membership) return null;
    const held = permissionsOfRole(membership.role);
    const permissions = key.scopes.includes(ALL_SCOPES) ? held : held.filter((p) => key.scopes.includes(p));
    // A time-bound tenant role lapses without a write (and so without a NOTIFY): never cache past it.
    const limits = [
      Date.now() + CACHE_TTL_MS,
      key.expires_at?.getTime() ?? Infinity,
      membership.roleExpiresAt?.getTime() ?? Infinity,
    ];
    if (key.via_previous_secret) limits.push(key.previous_secret_expires_at!.getTime());
    return {
      auth: {
        user: membership.user,
        membership,
        organizationId: membership.organizationId,
        permissions: new Set(permissions),
        scopes: key.scopes.includes(ALL_SCOPES) ? null : new Set(key.scopes),
        sessionId: null,
        apiKeyId: key.id,
        // The 2FA requirement is about signing in; a key is a credential of its own.
        twoFactorSetupRequired: false,
      },
      validUntil: Math.min(...limits),
    };
  }

  private invalidate(change: AccessChange): void {
    this.generation += 1;
    for (const [hash, { auth }] of this.cache) {
      if (affects(change, { apiKeyId: auth.apiKeyId, organizationId: auth.organizationId, userId: auth.user.id })) {
        this.cache.delete(hash);
      }
    }
  }

  /** Writes the last-used times gathered since the previous flush in one statement. */
  async flushLastUsed(): Promise<void> {
    if (!this.lastUsed.size) return;
    const batch = [...this.lastUsed];
    this.lastUsed.clear();
    try {
      await this.db.query(
        `UPDATE api_keys k SET last_used_at = u.at, last_used_ip = u.ip
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS u(id, at, ip)
         WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`,
        [batch.map(([id]) => id), batch.map(([, use]) => use.at), batch.map(([, use]) => use.ip)],
      );
    } catch (error) {
      logger.warn({ err: error }, 'could not record API key usage; will retry');
      for (const [id, use] of batch) if (!this.lastUsed.has(id)) this.lastUsed.set(id, use);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushLastUsed();
  }
}
