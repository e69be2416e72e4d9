import type { DataSource } from 'typeorm';
import { ALL_SCOPES } from '@gatehouse/shared';
import { logger } from '../kernel/logger';
import { authenticationFailures } from '../kernel/metrics';
import type { AuthState } from '../auth/auth-state';
import { CREDENTIAL_CACHE_TTL_MS, type CachedCredential, CredentialCache } from '../auth/credential-cache';
import { WriteBehind } from '../auth/write-behind';
import { loadActiveMembership } from '../auth/membership-loader';
import type { NotificationListener } from '../db/notifications';
import { permissionsOfRole } from '../role/role-permissions';
import { hashApiKeySecret, isWellFormedApiKey } from './api-key-secret';

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
 * a Map lookup: verified keys are cached per process (auth/credential-cache.ts) and dropped on
 * every instance by the database's own NOTIFY when the key or its owner's access changes.
 * Last-used times are written behind, in one batched statement a minute.
 */
export class ApiKeyAuthenticator {
  private readonly cache: CredentialCache<CachedCredential>;
  private readonly lastUsed: WriteBehind<{ at: Date; ip: string | null }>;

  constructor(
    private readonly db: DataSource,
    listener: NotificationListener,
  ) {
    this.cache = new CredentialCache(listener);
    this.lastUsed = new WriteBehind('API key usage', (batch) =>
      this.db.query(
        `UPDATE api_keys k SET last_used_at = u.at, last_used_ip = u.ip
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS u(id, at, ip)
         WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`,
        [batch.map(([id]) => id), batch.map(([, use]) => use.at), batch.map(([, use]) => use.ip)],
      ),
    );
  }

  async authenticate(secret: string, ip: string | null): Promise<AuthState | null> {
    if (!isWellFormedApiKey(secret)) return this.reject('malformed');
    const hash = hashApiKeySecret(secret).toString('base64');
    const entry = await this.cache.get(hash, () => this.load(hash));
    if (!entry) return this.reject('unknown');
    this.lastUsed.set(entry.auth.apiKeyId!, { at: new Date(), ip });
    return { ...entry.auth };
  }

  private reject(reason: string): null {
    authenticationFailures.inc({ kind: 'api_key' });
    logger.info({ reason }, 'API key rejected');
    return null;
  }

  private async load(hashBase64: string): Promise<CachedCredential | null> {
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
      Date.now() + CREDENTIAL_CACHE_TTL_MS,
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

  /** Writes the last-used times gathered since the previous flush in one statement. */
  flushLastUsed(): Promise<void> {
    return this.lastUsed.flush();
  }

  stop(): Promise<void> {
    return this.lastUsed.stop();
  }
}
