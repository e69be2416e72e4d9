import type { DataSource } from 'typeorm';
import type { Config } from '../kernel/config';
import type { RequestInfo } from '../kernel/context';
import { ApiKeyAuthenticator, type KeyCheck } from '../api-key/api-key-authenticator';
import { AppError } from '../errors/app-error';
import type { NotificationListener } from '../db/notifications';
import { authenticateScimToken, isScimToken } from '../scim/scim-token-authenticator';
import type { AuthState, ScimCaller } from './auth-state';
import { loadActiveMembership, sessionAuthState } from './membership-loader';
import { SessionEntity } from './session.entity';
import { sha256 } from './tokens';

/** Last-seen times are refreshed at most this often, so browsing is not a write per request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

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

/** Turns a request's credentials (session cookie, API key or SCIM token) into who is calling. */
export class Authenticator {
  readonly apiKeys: ApiKeyAuthenticator;

  constructor(
    private readonly db: DataSource,
    listener: NotificationListener,
    config: Config,
  ) {
    this.apiKeys = new ApiKeyAuthenticator(db, listener, config);
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
    const session = await this.db
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .where('s.token_hash = :hash AND s.revoked_at IS NULL AND s.expires_at > now()', { hash: sha256(token) })
      .getOne();
    if (!session) return null;
    const membership = await loadActiveMembership(this.db, session.userId, session.organizationId);
    if (!membership) return null;
    if (Date.now() - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
      await this.db.query('UPDATE sessions SET last_seen_at = now() WHERE id = $1', [session.id]);
      await this.db.query('UPDATE memberships SET last_active_at = now() WHERE id = $1', [membership.id]);
    }
    return sessionAuthState(membership, session.id);
  }

  stop(): Promise<void> {
    return this.apiKeys.stop();
  }
}
