import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import cookieParser from 'cookie-parser';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { DataSource } from 'typeorm';
import { GraphQLError } from 'graphql';
import { rejectedCredentials } from '../auth/auth-checker';
import { Authenticator } from '../auth/authenticate';
import { formatError } from '../errors/format-error';
import { contextCreationError, respondIfUnavailable, serviceUnavailablePlugin } from '../errors/service-unavailable';
import { databaseOutage } from '../db/availability';
import { queryCostPlugin } from './query-cost';
import { NotificationListener } from '../db/notifications';
import { MIGRATIONS } from '../db/migrations';
import { startEmailDispatcher } from '../mail/mail.service';
import { keyLegacyAuditChains } from '../audit-log/audit-chain-upgrade';
import type { Config } from '../kernel/config';
import { cookieOptions } from '../kernel/cookies';
import { Drain } from './drain';
import { startJobs } from './jobs';
import { createContext, type RequestContext, type SessionCookieWriter } from '../kernel/context';
import { logger } from '../kernel/logger';
import { httpRequests, metricsPlugin } from '../kernel/metrics';
import { HTTP_STATUS, assertEveryRouteDeclared, registerRoutes } from './routes';
import { buildAppSchema } from './schema';
import { explorerPolicy, securityHeaders } from './security-headers';

export const SESSION_COOKIE = 'gatehouse_session';

function sessionCookieWriter(req: Request, res: Response, config: Config): SessionCookieWriter {
  const options = { ...cookieOptions(req, config), path: '/' };
  return {
    set: (token, expiresAt) => res.cookie(SESSION_COOKIE, token, { ...options, expires: expiresAt }),
    clear: () => res.clearCookie(SESSION_COOKIE, options),
  };
}

function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
}

/**
 * Unknown, malformed, revoked and expired keys all get the same answer, whatever the operation;
 * a refused address 401 with its reason, a spent rate limit 429 with Retry-After.
 */
const refuseRejectedCredentials: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue }) {
        if (contextValue.credentialsRejected) {
          const refusal = rejectedCredentials(contextValue);
          const retryAfter = refusal.extensions?.retryAfterSeconds;
          throw new GraphQLError(refusal.message, {
            originalError: refusal,
            extensions: {
              http: {
                status: HTTP_STATUS[refusal.code],
                headers: new HeaderMap(retryAfter ? [['retry-after', String(retryAfter)]] : []),
              },
            },
          });
        }
      },
    };
  },
};

export interface HttpServer {
  server: http.Server;
  apollo: ApolloServer<RequestContext>;
  authenticator: Authenticator;
  listen(port: number): Promise<number>;
  /** Readiness turns 503 and responses close their connections; requests are still served. */
  startDraining(): void;
  /** Stops accepting connections and waits for in-flight requests to finish. */
  close(): Promise<void>;
}

export async function createHttpServer(db: DataSource, config: Config): Promise<HttpServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders(config));
  const server = http.createServer(app);
  const drain = new Drain();
  app.use(drain.middleware);
  const stopWatchingDatabase = databaseOutage.watch(db);
  const listener = new NotificationListener((db.options as { url: string }).url);
  const stopEmailDispatcher = startEmailDispatcher(db, config, listener);
  await keyLegacyAuditChains(db, config);
  const stopJobs = await startJobs(db, config);
  const authenticator = new Authenticator(db, listener, config);
  await listener.start();
  const armor = new ApolloArmor({
    // Fragments are a way of writing a selection, not a level of it: only fields count.
    maxDepth: { n: config.graphqlMaxDepth, flattenFragments: true },
    maxAliases: { n: config.graphqlMaxAliases },
    // graphql-js counts tokens itself (parseOptions below), as a parse error: HTTP 400, not 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    // Replaced by queryCostPlugin, which counts the rows of nested lists.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: config.production },
  });
  const protection = armor.protect();

  /** The one way an HTTP request becomes a request context: GraphQL and the REST routes alike. */
  async function requestContext(req: Request, res: Response): Promise<RequestContext> {
    const context = await createContext(
      { db, config, authenticator },
      {
        requestId: req.header('x-request-id'),
        ip: req.ip ?? req.socket.remoteAddress ?? null,
        userAgent: req.header('user-agent') ?? null,
        sessionToken: req.cookies?.[SESSION_COOKIE] ?? null,
        bearerToken: bearerToken(req),
      },
      sessionCookieWriter(req, res, config),
    );
    res.setHeader('x-request-id', context.requestId);
    return context;
  }
  const apollo = new ApolloServer<RequestContext>({
    schema: await buildAppSchema(),
    ...protection,
    plugins: [
      ...protection.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      metricsPlugin,
      refuseRejectedCredentials,
      // A mutation may have ended the caller's own session or key: its NOTIFY must have reached this
      // instance's caches before the answer does, or an immediate replay would still be served.
      {
        requestDidStart: async () => ({
          willSendResponse: async ({ operation }) => {
            if (operation?.operation === 'mutation') await listener.barrier();
          },
        }),
      },
      queryCostPlugin(config.graphqlMaxCost),
      serviceUnavailablePlugin,
    ],
    validationRules: protection.validationRules,
    parseOptions: { maxTokens: 2000 },
    formatError,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    // main.ts owns SIGTERM: it drains requests, then stops background work and the database.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
  });
  await apollo.start();

  app.use((req, res, next) => {
    res.on('finish', () =>
      httpRequests.inc({ route: req.path === '/graphql' ? '/graphql' : 'other', status: res.statusCode }),
    );
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (drain.active) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      // TypeORM's showMigrations() keeps a connection checked out, which stalls shutdown.
      const [{ applied }] = await db.query('SELECT count(*)::int AS applied FROM migrations');
      const pending = applied < MIGRATIONS.length;
      res.status(pending ? 503 : 200).json({ status: pending ? 'migrations pending' : 'ready' });
    } catch (error) {
      databaseOutage.note(error);
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.use(
    '/graphql',
    cookieParser(),
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, {
      context: ({ req, res }) =>
        requestContext(req, res).catch((error) => {
          throw contextCreationError(error);
        }),
    }),
  );
  const routes = await registerRoutes(app, {
    db,
    config,
    createContext: requestContext,
    services: { apiKeys: authenticator.apiKeys },
  });

  // Errors from Express itself (a body too large, malformed JSON) answer like the API: a code, no stack.
  app.use((error: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (respondIfUnavailable(res, error)) return;
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'unexpected HTTP error');
    const message =
      status === 413
        ? 'The request body is too large.'
        : status === 500
          ? 'Something went wrong on our side.'
          : 'Bad request.';
    res.status(status).json({
      errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT' } }],
    });
  });

  const indexHtml = path.join(config.clientDist, 'index.html');
  if (fs.existsSync(indexHtml)) {
    app.use(express.static(config.clientDist, { index: false, maxAge: '1h' }));
    app.get('/api/explorer', (_req, res) => {
      res.setHeader('Content-Security-Policy', explorerPolicy(String(res.getHeader('Content-Security-Policy'))));
      res.sendFile(path.join(config.clientDist, 'explorer.html'));
    });
    app.get('/{*path}', (_req, res) => res.sendFile(indexHtml));
  } else {
    logger.warn({ clientDist: config.clientDist }, 'client is not built; serving the API only');
  }
  assertEveryRouteDeclared(app);

  return {
    server,
    apollo,
    authenticator,
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => resolve((server.address() as { port: number }).port));
      }),
    startDraining: () => drain.start(),
    close: async () => {
      await apollo.stop();
      await routes.close();
      stopWatchingDatabase();
      stopEmailDispatcher();
      await stopJobs();
      await authenticator.stop();
      await listener.stop();
    },
  };
}
