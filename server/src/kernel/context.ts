import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import type { Logger } from './logger';
import { logger as rootLogger } from './logger';
import type { AuthState, ScimCaller } from '../auth/auth-state';
import type { AuthenticationResult } from '../auth/authenticate';
import type { AppError } from '../errors/app-error';

/** What the HTTP layer (or a test, or a script) knows about the incoming request. */
export interface RequestInfo {
  requestId?: string;
  ip?: string | null;
  userAgent?: string | null;
  sessionToken?: string | null;
  bearerToken?: string | null;
}

/** Lets services set or clear the session cookie without knowing about HTTP. */
export interface SessionCookieWriter {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  db: DataSource;
  config: Config;
  log: Logger;
  auth: AuthState | null;
  /** Set instead of `auth` when an identity provider calls with a SCIM token. */
  scim?: ScimCaller | null;
  /** Credentials were presented and refused: every operation answers UNAUTHENTICATED. */
  credentialsRejected: boolean;
  /** The error a rejection answers with, when not the usual UNAUTHENTICATED (an address, a rate limit). */
  credentialsRefusal?: AppError;
  sessionCookie: SessionCookieWriter;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ContextDependencies {
  db: DataSource;
  config: Config;
  authenticator: { authenticate(info: RequestInfo): Promise<AuthenticationResult> };
}

/** The one factory that builds a request context, for HTTP requests, tests and scripts alike. */
export async function createContext(
  deps: ContextDependencies,
  info: RequestInfo,
  sessionCookie: SessionCookieWriter = { set() {}, clear() {} },
): Promise<RequestContext> {
  const requestId = info.requestId && REQUEST_ID.test(info.requestId) ? info.requestId : randomUUID();
  const { auth, scim, rejected, refusal } = await deps.authenticator.authenticate(info);
  return {
    requestId,
    ip: info.ip ?? null,
    userAgent: info.userAgent?.slice(0, 512) ?? null,
    db: deps.db,
    config: deps.config,
    log: rootLogger.child({ requestId }),
    auth,
    scim: scim ?? null,
    credentialsRejected: rejected,
    credentialsRefusal: refusal,
    sessionCookie,
  };
}
