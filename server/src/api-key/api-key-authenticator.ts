import type { DataSource } from 'typeorm';
import { ALL_SCOPES } from '@gatehouse/shared';
import { logger } from '../app/logger';
import { authenticationFailures } from '../app/metrics';
import { ACCESS_CHANGED_CHANNEL, type AccessChange } from '../auth/access-events';
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
 * a Map lookup: verified keys are cached per process and dropped on every instance by
 * PostgreSQL NOTIFY when the key or its owner's access changes. Last-used times are kept in
 * memory and written behind in one batched statement a minute.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CachedKey>();
  private readonly lastUsed = new Map<string, { at: Date; ip: string | null }>();
  private readonly flushTimer: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly listener: NotificationListener,
  ) {
    listener.on(ACCESS_CHANGED_CHANNEL, (payload) => this.invalidate(JSON.parse(payload) as AccessChange));
    listener.onReconnect(() => this.cache.clear());
    this.flushTimer = setInterval(() => void this.flushLastUsed(), LAST_USED_FLUSH_MS);
    this.flushTimer.unref();
  }

  async authenticate(secret: string, ip: string | null): Promise<AuthState | null> {
    if (!isWellFormedApiKey(secret)) return this.reject('malformed');
    const hash = hashApiKeySecret(secret).toString('base64');
    const now = Date.now();
    // Without the listener a revocation would go unnoticed: read the database every time until it is back.
    const session = this.listener.session;
    let entry = session === null ? undefined : this.cache.get(hash);
    if (!entry || entry.validUntil <= now) {
      this.cache.delete(hash);
      entry = (await this.load(hash)) ?? undefined;
      if (!entry) return this.reject('unknown');
      if (this.cache.size >= MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value!);
      if (session !== null && session === this.listener.session) this.cache.set(hash, entry);
    }
    this.lastUsed.set(entry.auth.apiKeyId!, { at: new Date(now), ip });
    return { ...entry.auth };
  }

  private reject(reason: string): null {
    authenticationFailures.inc({ kind: 'api_key' });
    logger.info({ reason }, 'API key rejected');
    return null;
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
    const limits = [Date.now() + CACHE_TTL_MS, key.expires_at?.getTime() ?? Infinity];
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
    for (const [hash, { auth }] of this.cache) {
      const matches =
        'apiKeyId' in change
          ? auth.apiKeyId === change.apiKeyId
          : 'allMembers' in change
            ? auth.organizationId === change.organizationId
            : auth.organizationId === change.organizationId && auth.user.id === change.userId;
      if (matches) this.cache.delete(hash);
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
