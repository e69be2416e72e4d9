import type { DataSource } from 'typeorm';
import { ALL_SCOPES } from '@gatehouse/shared';
import type { Config } from '../kernel/config';
import { logger } from '../kernel/logger';
import { authenticationFailures } from '../kernel/metrics';
import type { AuthState } from '../auth/auth-state';
import { CREDENTIAL_CACHE_TTL_MS, type CachedCredential, CredentialCache } from '../auth/credential-cache';
import { WriteBehind } from '../auth/write-behind';
import { loadActiveMembership } from '../auth/membership-loader';
import type { NotificationListener } from '../db/notifications';
import { permissionsOfRole } from '../role/role-permissions';
import { hashApiKeySecret, isWellFormedApiKey } from './api-key-secret';
import { compileAllowlist, type IpCheck } from './ip-allowlist';
import { recordIpRefusal } from './ip-refusals';
import { createRateLimiter, type KeyRateLimiter, type RateLimit } from './rate-limit';
import { UsageRecorder } from './usage-recorder';

interface CachedKey extends CachedCredential {
  allowed: IpCheck | null;
  rateLimit: RateLimit | null;
}

/** What checking a key found, in Unkey's words (FORBIDDEN is the verify endpoint's own). */
export type KeyCode = 'VALID' | 'NOT_FOUND' | 'EXPIRED' | 'REVOKED' | 'IP_NOT_ALLOWED' | 'RATE_LIMITED';

export interface KeyCheck {
  code: KeyCode;
  /** Who the key acts for: set when VALID, and when refused for its address or its rate limit. */
  auth: AuthState | null;
  retryAfterSeconds?: number;
  /** The organization of a key found but not usable (EXPIRED, REVOKED). */
  organizationId?: string;
}

/** Each key's address refusals reach the audit log at most this often per instance. */
const IP_REFUSAL_AUDIT_MS = 10 * 60_000;
const MAX_AUDITED_KEYS = 10_000;

interface KeyRow {
  id: string;
  organization_id: string;
  owner_id: string;
  scopes: string[];
  expires_at: Date | null;
  revoked_at: Date | null;
  previous_secret_expires_at: Date | null;
  via_previous_secret: boolean;
  allowed_ips: string[];
  rate_limit_requests: number | null;
  rate_limit_window_seconds: number | null;
  org_rate_limit_requests: number | null;
  org_rate_limit_window_seconds: number | null;
}

/** A key that does not work, for the verify endpoint's code and the usage chart's count. */
type Unusable = { code: 'NOT_FOUND' } | { code: 'EXPIRED' | 'REVOKED'; apiKeyId: string; organizationId: string };

/**
 * Verifies `Authorization: Bearer gth_…` keys. The hot path is a checksum test, a SHA-256 and
 * a Map lookup: verified keys are cached per process (auth/credential-cache.ts) and dropped on
 * every instance by the database's own NOTIFY when the key or its owner's access changes.
 * Last-used times and usage counts are kept in memory and written behind in one batched
 * statement per flush (a minute by default). The key's IP allowlist and rate limit are enforced
 * here, the one place every transport authenticates through; an address refusal never spends
 * the rate limit.
 */
export class ApiKeyAuthenticator {
  private readonly cache: CredentialCache<CachedKey>;
  private readonly lastUsed: WriteBehind<{ at: Date; ip: string | null }>;
  private readonly usageTimer: NodeJS.Timeout;
  private readonly ipRefusalsAudited = new Map<string, number>();
  readonly usage: UsageRecorder;
  private readonly rateLimiter: KeyRateLimiter;

  constructor(
    private readonly db: DataSource,
    listener: NotificationListener,
    private readonly config: Config,
  ) {
    this.cache = new CredentialCache(listener);
    const flushMs = config.apiKeyUsageFlushSeconds * 1000;
    this.lastUsed = new WriteBehind(
      'API key usage',
      (batch) =>
        this.db.query(
          `UPDATE api_keys k SET last_used_at = u.at, last_used_ip = u.ip
           FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS u(id, at, ip)
           WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`,
          [batch.map(([id]) => id), batch.map(([, use]) => use.at), batch.map(([, use]) => use.ip)],
        ),
      flushMs,
    );
    this.usage = new UsageRecorder(db);
    this.usageTimer = setInterval(() => void this.usage.flush(), flushMs);
    this.usageTimer.unref();
    this.rateLimiter = createRateLimiter(db, config.redisUrl);
  }

  /**
   * Checks a presented key: it exists and works, the client address is allowed, the rate limit
   * has room (spending one request of it). `ip` null skips the address check (the verify
   * endpoint when its caller names no address).
   */
  async check(secret: string, ip: string | null, options: { checkIp: boolean }): Promise<KeyCheck> {
    if (!isWellFormedApiKey(secret)) return this.refuse({ code: 'NOT_FOUND' }, 'malformed');
    const hash = hashApiKeySecret(secret).toString('base64');
    let unusable: Unusable = { code: 'NOT_FOUND' };
    const entry = await this.cache.get(hash, async () => {
      const loaded = await this.load(hash);
      if ('auth' in loaded) return loaded;
      unusable = loaded;
      return null;
    });
    if (!entry) return this.refuse(unusable, unusable.code.toLowerCase());
    const now = Date.now();
    const apiKeyId = entry.auth.apiKeyId!;
    if (options.checkIp && entry.allowed && !entry.allowed(ip)) {
      this.usage.count(apiKeyId, 'IP_NOT_ALLOWED', now);
      authenticationFailures.inc({ kind: 'api_key_ip' });
      await this.auditIpRefusal(entry.auth, ip, now);
      return { code: 'IP_NOT_ALLOWED', auth: { ...entry.auth } };
    }
    if (entry.rateLimit) {
      const decision = await this.rateLimiter.consume(apiKeyId, entry.rateLimit);
      if (!decision.allowed) {
        this.usage.count(apiKeyId, 'RATE_LIMITED', now);
        return { code: 'RATE_LIMITED', auth: { ...entry.auth }, retryAfterSeconds: decision.retryAfterSeconds };
      }
    }
    this.usage.count(apiKeyId, 'SUCCESS', now);
    this.lastUsed.set(apiKeyId, { at: new Date(now), ip });
    return { code: 'VALID', auth: { ...entry.auth } };
  }

  private refuse(unusable: Unusable, reason: string): KeyCheck {
    authenticationFailures.inc({ kind: 'api_key' });
    logger.info({ reason }, 'API key rejected');
    if (unusable.code === 'NOT_FOUND') return { code: 'NOT_FOUND', auth: null };
    this.usage.count(unusable.apiKeyId, 'UNAUTHORIZED');
    return { code: unusable.code, auth: null, organizationId: unusable.organizationId };
  }

  /** Counted every time, audited once per key per period: a flood must not flood the audit log. */
  private async auditIpRefusal(auth: AuthState, ip: string | null, now: number): Promise<void> {
    const last = this.ipRefusalsAudited.get(auth.apiKeyId!);
    if (last !== undefined && now - last < IP_REFUSAL_AUDIT_MS) return;
    this.ipRefusalsAudited.set(auth.apiKeyId!, now);
    if (this.ipRefusalsAudited.size > MAX_AUDITED_KEYS)
      this.ipRefusalsAudited.delete(this.ipRefusalsAudited.keys().next().value!);
    await recordIpRefusal(this.db, this.config, auth, ip).catch((error: unknown) =>
      logger.warn({ err: error }, 'could not audit an API key address refusal'),
    );
  }

  private async load(hashBase64: string): Promise<CachedKey | Unusable> {
    const hash = Buffer.from(hashBase64, 'base64');
    const [key]: KeyRow[] = await this.db.query(
      `SELECT k.id, k.organization_id, k.owner_id, k.scopes, k.expires_at, k.revoked_at,
              k.previous_secret_expires_at, k.secret_hash <> $1 AS via_previous_secret, k.allowed_ips,
              k.rate_limit_requests, k.rate_limit_window_seconds,
              o.api_key_rate_limit_requests AS org_rate_limit_requests,
              o.api_key_rate_limit_window_seconds AS org_rate_limit_window_seconds
       FROM api_keys k JOIN organizations o ON o.id = k.organization_id
       WHERE k.secret_hash = $1 OR (k.previous_secret_hash = $1 AND k.previous_secret_expires_at > now())`,
      [hash],
    );
    if (!key) return { code: 'NOT_FOUND' };
    const found = { apiKeyId: key.id, organizationId: key.organization_id };
    if (key.revoked_at) return { code: 'REVOKED', ...found };
    if (key.expires_at && key.expires_at.getTime() <= Date.now()) return { code: 'EXPIRED', ...found };
    const membership = await loadActiveMembership(this.db, key.owner_id, key.organization_id);
    // An owner who left or was deactivated takes their keys with them.
    if (!membership) return { code: 'REVOKED', ...found };
    const held = permissionsOfRole(membership.role);
    const permissions = key.scopes.includes(ALL_SCOPES) ? held : held.filter((p) => key.scopes.includes(p));
    // A time-bound tenant role lapses without a write (and so without a NOTIFY): never cache past it.
    const limits = [
      Date.now() + CREDENTIAL_CACHE_TTL_MS,
      key.expires_at?.getTime() ?? Infinity,
      membership.roleExpiresAt?.getTime() ?? Infinity,
    ];
    if (key.via_previous_secret) limits.push(key.previous_secret_expires_at!.getTime());
    const requests = key.rate_limit_requests ?? key.org_rate_limit_requests;
    const windowSeconds = key.rate_limit_window_seconds ?? key.org_rate_limit_window_seconds;
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
      allowed: compileAllowlist(key.allowed_ips),
      rateLimit: requests && windowSeconds ? { requests, windowSeconds } : null,
    };
  }

  /** Writes the last-used times and usage counts gathered since the previous flush, a statement each. */
  async flushLastUsed(): Promise<void> {
    await this.usage.flush();
    await this.lastUsed.flush();
  }

  async stop(): Promise<void> {
    clearInterval(this.usageTimer);
    await this.usage.flush();
    await this.lastUsed.stop();
    await this.rateLimiter.stop();
  }
}
