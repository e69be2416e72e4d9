import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import cookieParser from 'cookie-parser';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import ipaddr from 'ipaddr.js';
import type { DataSource } from 'typeorm';
import { LOGO_MAX_BYTES, type PermissionName } from '@gatehouse/shared';
import type { ApiKeyAuthenticator } from '../api-key/api-key-authenticator';
import { serveKeyVerification } from '../api-key/key-verification';
import { receiveLeakReport } from '../api-key/leak-reports';
import { exportAuditEvents } from '../audit-log/audit-export';
import { authorize } from '../auth/auth-checker';
import { databaseOutage } from '../db/availability';
import { AppError, type ErrorCode } from '../errors/app-error';
import { respondIfUnavailable } from '../errors/service-unavailable';
import { answerSsoFailure, finishSsoSignIn, startSsoSignIn } from '../identity-provider/sso-routes';
import { finishSocialSignIn, startSocialSignIn } from '../social/social-routes';
import {
  answerScimError,
  resourceTypes,
  schemas,
  scimBody,
  scimHandlers,
  serviceProviderConfig,
} from '../scim/scim-routes';
import { readDevOutbox } from '../mail/mail.service';
import { saveOrganizationLogo, serveOrganizationLogo } from '../settings/organization-logo';
import { devOutboxEnabled, type Config } from '../kernel/config';
import { exportAccessReview } from '../access/access-review-export';
import type { RequestContext } from '../kernel/context';
import { logger } from '../kernel/logger';
import { metricsRegistry } from '../kernel/metrics';

/** What a route handler may use beyond the request context. */
export interface RouteServices {
  apiKeys: ApiKeyAuthenticator;
}

type RouteHandler = (ctx: RequestContext, req: Request, res: Response, services: RouteServices) => Promise<void>;

/** A REST or browser route: a thin adapter over the same guard as GraphQL (`authorize`). */
export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** Its name for the guard: denials in the audit log, the 2FA set-up gate. */
  operation: string;
  /**
   * `public`, `scim` (the organization's SCIM token and nothing else), or the permissions it
   * needs (none: any signed-in caller), like `@Authorized`.
   */
  access: 'public' | 'scim' | readonly PermissionName[];
  /** For a public route that changes state: what protects it instead of a caller's permissions. */
  protectedBy?: string;
  /** Reads the body, after the guard: nobody makes the server buffer a body it would refuse. */
  body?: RequestHandler;
  handle: RouteHandler;
  /** Answers the handler's failures; by default JSON errors shaped like the GraphQL API's. */
  fail?: (error: unknown, req: Request, res: Response) => void;
  /** Answers the guard's refusals too, for a protocol with error bodies of its own (SCIM). */
  failRefusals?: boolean;
}

/** A SCIM 2.0 endpoint (RFC 7644): the SCIM token's organization only, SCIM error bodies throughout. */
function scimRoute(
  method: ApiRoute['method'],
  path: string,
  operation: string,
  handle: RouteHandler,
  access: 'public' | 'scim' = 'scim',
): ApiRoute {
  return {
    method,
    path: `/scim/v2${path}`,
    operation,
    access,
    ...(method === 'post' || method === 'put' || method === 'patch' ? { body: scimBody } : {}),
    handle,
    fail: answerScimError,
    failRefusals: true,
  };
}

const jsonBody = express.json({ limit: '16kb' });
const logoBody = express.raw({ type: () => true, limit: LOGO_MAX_BYTES + 1024 });

/**
 * Every REST route and its permissions, in one place: registerRoutes serves these through the
 * guard and nothing else, and assertEveryRouteDeclared refuses to start a server with a route
 * that is neither here nor in OPEN_ROUTES.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/api/audit-events/export',
    operation: 'exportAuditEvents',
    access: ['auditLog:read'],
    handle: exportAuditEvents,
  },
  {
    method: 'get',
    path: '/api/access-review/export',
    operation: 'exportAccessReview',
    access: ['members:read', 'auditLog:read'],
    handle: exportAccessReview,
  },
  {
    method: 'put',
    path: '/api/organization/logo',
    operation: 'uploadOrganizationLogo',
    access: ['settings:manage'],
    body: logoBody,
    handle: saveOrganizationLogo,
  },
  {
    method: 'delete',
    path: '/api/organization/logo',
    operation: 'removeOrganizationLogo',
    access: ['settings:manage'],
    handle: saveOrganizationLogo,
  },
  {
    method: 'get',
    path: '/api/organizations/:id/logo',
    operation: 'organizationLogo',
    access: [],
    handle: serveOrganizationLogo,
  },
  {
    method: 'post',
    path: '/api/keys/verify',
    operation: 'verifyApiKey',
    access: ['keys:verify'],
    body: jsonBody,
    handle: serveKeyVerification,
  },
  {
    method: 'post',
    path: '/api/keys/leaked',
    operation: 'reportLeakedApiKeys',
    access: 'public',
    protectedBy: 'an ECDSA signature by one of SECRET_SCANNING_PUBLIC_KEYS (GitHub secret scanning)',
    body: express.raw({ type: () => true, limit: '1mb' }),
    handle: receiveLeakReport,
  },
  {
    method: 'get',
    path: '/api/sso/start',
    operation: 'ssoStart',
    access: 'public',
    handle: startSsoSignIn,
    fail: answerSsoFailure,
  },
  {
    method: 'get',
    path: '/api/sso/callback',
    operation: 'ssoCallback',
    access: 'public',
    handle: finishSsoSignIn,
    fail: answerSsoFailure,
  },
  {
    method: 'get',
    path: '/api/auth/:provider/start',
    operation: 'socialSignInStart',
    access: 'public',
    handle: startSocialSignIn,
    fail: answerSsoFailure,
  },
  {
    method: 'get',
    path: '/api/auth/:provider/callback',
    operation: 'socialSignInCallback',
    access: 'public',
    handle: finishSocialSignIn,
    fail: answerSsoFailure,
  },
  scimRoute('get', '/ServiceProviderConfig', 'scimServiceProviderConfig', serviceProviderConfig, 'public'),
  scimRoute('get', '/ResourceTypes', 'scimResourceTypes', resourceTypes, 'public'),
  scimRoute('get', '/Schemas', 'scimSchemas', schemas, 'public'),
  scimRoute('get', '/Users', 'scimListUsers', scimHandlers.listUsers),
  scimRoute('post', '/Users', 'scimCreateUser', scimHandlers.createUser),
  scimRoute('get', '/Users/:id', 'scimGetUser', scimHandlers.getUser),
  scimRoute('put', '/Users/:id', 'scimReplaceUser', scimHandlers.replaceUser),
  scimRoute('patch', '/Users/:id', 'scimPatchUser', scimHandlers.patchUser),
  scimRoute('delete', '/Users/:id', 'scimDeleteUser', scimHandlers.deleteUser),
  scimRoute('get', '/Groups', 'scimListGroups', scimHandlers.listGroups),
  scimRoute('post', '/Groups', 'scimCreateGroup', scimHandlers.createGroup),
  scimRoute('get', '/Groups/:id', 'scimGetGroup', scimHandlers.getGroup),
  scimRoute('put', '/Groups/:id', 'scimReplaceGroup', scimHandlers.replaceGroup),
  scimRoute('patch', '/Groups/:id', 'scimPatchGroup', scimHandlers.patchGroup),
  scimRoute('delete', '/Groups/:id', 'scimDeleteGroup', scimHandlers.deleteGroup),
];

/** Routes outside the API guard, each with what protects it instead. */
export const OPEN_ROUTES: readonly { method: string; path: string; why: string }[] = [
  {
    method: 'USE',
    path: '/graphql',
    why: 'every operation passes authChecker (the schema check refuses one that would not)',
  },
  { method: 'GET', path: '/healthz', why: 'liveness only, no data' },
  { method: 'GET', path: '/readyz', why: 'readiness only, no data' },
  { method: 'GET', path: '/metrics', why: 'METRICS_TOKEN, else loopback only; or on METRICS_PORT alone' },
  { method: 'GET', path: '/dev/outbox', why: 'DEV_OUTBOX=true without SMTP_URL, outside production, loopback only' },
  {
    method: 'GET',
    path: '/api/explorer',
    why: 'the API explorer, public HTML like the SPA shell; its queries go to /graphql as the caller',
  },
  { method: 'GET', path: '/{*path}', why: 'the SPA shell, the same public HTML for every path' },
];

export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TWO_FACTOR_REQUIRED: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 400,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** An AppError as the GraphQL API would word it; anything else hidden behind INTERNAL_SERVER_ERROR. */
function answerApiError(error: unknown, req: Request, res: Response): void {
  // While the database is unreachable: 503 with Retry-After, and the outage logged once, not per request.
  if (!res.headersSent && respondIfUnavailable(res, error)) return;
  const known = error instanceof AppError ? error : null;
  if (!known && !databaseOutage.note(error))
    logger.error({ err: error, path: req.path, requestId: res.getHeader('x-request-id') }, 'route failed');
  // A stream already under way (an export) can only be cut, so the client sees it is incomplete.
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const retryAfter = known?.extensions?.retryAfterSeconds;
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  res.status(known ? HTTP_STATUS[known.code] : 500).json({
    errors: [
      {
        message: known?.message ?? 'Something went wrong on our side. Please try again.',
        extensions: {
          code: known?.code ?? 'INTERNAL_SERVER_ERROR',
          ...(known?.field ? { field: known.field } : {}),
          ...known?.extensions,
        },
      },
    ],
  });
}

/** The guard step of each registered route, so assertEveryRouteDeclared can tell a route bypasses it. */
const guards = new WeakMap<Function, ApiRoute>();

export type ContextFactory = (req: Request, res: Response) => Promise<RequestContext>;

function guard(route: ApiRoute, createContext: ContextFactory): RequestHandler {
  const step: RequestHandler = async (req, res, next) => {
    try {
      const ctx = await createContext(req, res);
      const isPublic = route.access === 'public';
      const isScim = route.access === 'scim';
      await authorize(ctx, route.operation, isPublic || isScim ? [] : (route.access as readonly string[]), {
        public: isPublic,
        scim: isScim,
        recordDenial: true,
      });
      res.locals.ctx = ctx;
      next();
    } catch (error) {
      // Refusals answer like the API even on browser routes, which refuse only a rejected API key.
      (route.failRefusals && route.fail ? route.fail : answerApiError)(error, req, res);
    }
  };
  guards.set(step, route);
  return step;
}

function run(route: ApiRoute, services: RouteServices): RequestHandler {
  return async (req, res) => {
    try {
      await route.handle(res.locals.ctx as RequestContext, req, res, services);
    } catch (error) {
      (route.fail ?? answerApiError)(error, req, res);
    }
  };
}

/** A request that reached this process directly from this machine, not relayed by a proxy. */
export function isLoopbackRequest(req: Request): boolean {
  const address = req.socket.remoteAddress;
  if (!address || !ipaddr.isValid(address)) return false;
  const relayed = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return !relayed && ipaddr.process(address).range() === 'loopback';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

function metricsHandler(config: Config): RequestHandler {
  return async (req, res) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    // Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
    const allowed = config.metricsToken
      ? timingSafeEqual(sha256(given), sha256(config.metricsToken))
      : config.metricsPort !== undefined || isLoopbackRequest(req);
    if (!allowed) {
      res.status(config.metricsToken ? 401 : 404).json({
        errors: [
          { message: 'Not available.', extensions: { code: config.metricsToken ? 'UNAUTHENTICATED' : 'NOT_FOUND' } },
        ],
      });
      return;
    }
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  };
}

export interface RouteDependencies {
  db: DataSource;
  config: Config;
  createContext: ContextFactory;
  services: RouteServices;
}

export interface RegisteredRoutes {
  /** Closes the METRICS_PORT listener, if any. */
  close(): Promise<void>;
}

/** Registers the metrics and dev outbox endpoints and every API route, through the guard. */
export async function registerRoutes(
  app: Express,
  { db, config, createContext, services }: RouteDependencies,
): Promise<RegisteredRoutes> {
  let metricsServer: http.Server | null = null;
  if (config.metricsPort !== undefined) {
    const metricsApp = express();
    metricsApp.disable('x-powered-by');
    metricsApp.get('/metrics', metricsHandler(config));
    metricsServer = http.createServer(metricsApp);
    await new Promise<void>((resolve, reject) => {
      metricsServer!.once('error', reject);
      metricsServer!.listen(config.metricsPort, resolve);
    });
  } else {
    app.get('/metrics', metricsHandler(config));
  }
  if (devOutboxEnabled(config)) {
    app.get('/dev/outbox', async (req, res) => {
      if (!isLoopbackRequest(req)) {
        res.status(404).json({ errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] });
        return;
      }
      res.json(await readDevOutbox(db, typeof req.query.to === 'string' ? req.query.to.toLowerCase() : undefined));
    });
  }
  for (const route of API_ROUTES) {
    app[route.method](
      route.path,
      cookieParser(),
      guard(route, createContext),
      ...(route.body ? [route.body] : []),
      run(route, services),
    );
  }
  return {
    close: () =>
      new Promise((resolve) => {
        if (!metricsServer) return resolve();
        metricsServer.close(() => resolve());
        metricsServer.closeAllConnections();
      }),
  };
}

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: Function }[] };
  slash: boolean;
  rawPath?: unknown;
}

/**
 * Every endpoint of the app that is neither an API route served through its guard nor an
 * open route: empty, or the server refuses to start (as buildAppSchema does for operations).
 */
export function undeclaredRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
  const open = (method: string, path: string) => OPEN_ROUTES.some((r) => r.method === method && r.path === path);
  const undeclared: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const { path, methods, stack: handlers } = layer.route;
      for (const method of Object.keys(methods)) {
        const guarded = handlers.some((handler) => {
          const declared = guards.get(handler.handle);
          return declared?.method === method && declared.path === path;
        });
        if (!guarded && !open(method.toUpperCase(), path)) undeclared.push(`${method.toUpperCase()} ${path}`);
      }
    } else if (!layer.slash && !open('USE', String(layer.rawPath))) {
      // Middleware mounted on a path answers requests there just like a route does.
      undeclared.push(`USE ${String(layer.rawPath)}`);
    }
  }
  return undeclared;
}

export function assertEveryRouteDeclared(app: Express): void {
  const undeclared = undeclaredRoutes(app);
  if (undeclared.length) {
    throw new Error(
      `Routes neither in API_ROUTES (served through the guard) nor in OPEN_ROUTES: ${undeclared.join(', ')}`,
    );
  }
}
