import type { DataSource } from 'typeorm';
import type { Config } from '../kernel/config';
import type { RequestInfo } from '../kernel/context';
import { ApiKeyAuthenticator, type KeyCheck } from '../api-key/api-key-authenticator';
import { AppError } from '../errors/app-error';
import type { NotificationListener } from '../db/notifications';
import { authenticateScimToken, isScimToken } from '../scim/scim-token-authenticator';
import type { AuthState, ScimCaller } from './auth-state';
import { CREDENTIAL_CACHE_TTL_MS, type CachedCredential, CredentialCache } from './credential-cache';
import { loadActiveMembership, sessionAuthState } from './membership-loader';
import { sha256 } from './tokens';
import { WriteBehind } from './write-behind';

export interface AuthenticationResult {
  auth: AuthState | null;
  /** A SCIM token: it acts for its organization on the SCIM endpoints only, never as a member. */
  scim?: ScimCaller | null;
  /** Credentials were presented but are not valid: the request is refused as a whole. */
  rejected: boolean;
  /** Why, when it is not the usual "not valid": a refused address, a spent rate limit. */
  refusal?: AppError;
}

/** Unknown, revoked and expired keys look alike to the caller; a refused address or limit says so. */
function keyResult(check: KeyCheck): AuthenticationResult {
  switch (check.code) {
    case 'VALID':
      return { auth: check.auth, rejected: false };
    case 'IP_NOT_ALLOWED':
      return {
        auth: null,
        rejected: true,
        refusal: new AppError('UNAUTHENTICATED', 'This API key may not be used from your address.', undefined, {
          reason: 'IP_NOT_ALLOWED',
        }),
      };
    case 'RATE_LIMITED':
      return {
        auth: null,
        rejected: true,
        refusal: new AppError('RATE_LIMITED', 'This API key has made too many requests. Try again later.', undefined, {
          retryAfterSeconds: check.retryAfterSeconds,
        }),
      };
    default:
      return { auth: null, rejected: true };
  }
}

interface SessionRow {
  id: string;
  user_id: string;
  organization_id: string;
  expires_at: Date;
}

/**
 * Turns a request's credentials (session cookie, API key or SCIM token) into who is calling. Sessions are
 * cached like keys (token hash → membership and permission snapshot, dropped by the database's
 * NOTIFY when the session or its holder's access changes), so a browser request reads nothing
 * before its resolvers run; last-seen times are written behind, one batched statement a minute.
 */
export class Authenticator {
  readonly apiKeys: ApiKeyAuthenticator;
  private readonly sessions: CredentialCache<CachedCredential>;
  private readonly lastSeen: WriteBehind<{ at: Date; membershipId: string }>;

  constructor(
    private readonly db: DataSource,
    listener: NotificationListener,
    config: Config,
  ) {
    this.apiKeys = new ApiKeyAuthenticator(db, listener, config);
    this.sessions = new CredentialCache(listener);
    this.lastSeen = new WriteBehind('session activity', async (batch) => {
      const ids = batch.map(([id]) => id);
      const times = batch.map(([, seen]) => seen.at);
      await this.db.query(
        `UPDATE sessions s SET last_seen_at = u.at FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
         WHERE s.id = u.id AND s.last_seen_at < u.at`,
        [ids, times],
      );
      await this.db.query(
        `UPDATE memberships m SET last_active_at = u.at FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
         WHERE m.id = u.id AND (m.last_active_at IS NULL OR m.last_active_at < u.at)`,
        [batch.map(([, seen]) => seen.membershipId), times],
      );
    });
  }

  async authenticate(info: RequestInfo): Promise<AuthenticationResult> {
    if (info.bearerToken && isScimToken(info.bearerToken)) {
      const scim = await authenticateScimToken(this.db, info.bearerToken);
      return { auth: null, scim, rejected: !scim };
    }
    if (info.bearerToken !== undefined && info.bearerToken !== null) {
      return keyResult(await this.apiKeys.check(info.bearerToken, info.ip ?? null, { checkIp: true }));
    }
    if (info.sessionToken) return { auth: await this.authenticateSession(info.sessionToken), rejected: false };
    return { auth: null, rejected: false };
  }

  private async authenticateSession(token: string): Promise<AuthState | null> {
    const hash = sha256(token);
    const entry = await this.sessions.get(hash.toString('base64'), () => this.loadSession(hash));
    if (!entry) return null;
    this.lastSeen.set(entry.auth.sessionId!, { at: new Date(), membershipId: entry.auth.membership.id });
    return { ...entry.auth };
  }

  private async loadSession(hash: Buffer): Promise<CachedCredential | null> {
    const [session]: SessionRow[] = await this.db.query(
      `SELECT id, user_id, organization_id, expires_at FROM sessions
       WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [hash],
    );
    if (!session) return null;
    const membership = await loadActiveMembership(this.db, session.user_id, session.organization_id);
    if (!membership) return null;
    return {
      auth: sessionAuthState(membership, session.id),
      // A time-bound tenant role lapses without a write (and so without a NOTIFY): never cache past it.
      validUntil: Math.min(
        Date.now() + CREDENTIAL_CACHE_TTL_MS,
        session.expires_at.getTime(),
        membership.roleExpiresAt?.getTime() ?? Infinity,
      ),
    };
  }

  /** Writes usage gathered since the last flush (API keys' last use, sessions' last request). */
  async flushUsage(): Promise<void> {
    await Promise.all([this.apiKeys.flushLastUsed(), this.lastSeen.flush()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.apiKeys.stop(), this.lastSeen.stop()]);
  }
}
