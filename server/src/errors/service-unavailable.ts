import type { Response } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { RETRY_AFTER_SECONDS, databaseOutage } from '../db/availability';
import { AppError } from './app-error';

// While the database is unreachable every route answers HTTP 503 with Retry-After and
// `extensions.code: "SERVICE_UNAVAILABLE"`: the client (or the load balancer) should retry, and
// nothing is logged per request (databaseOutage logs the outage once).

function unavailableHead() {
  return { status: 503, headers: new Map([['retry-after', String(RETRY_AFTER_SECONDS)]]) };
}

/** GraphQL answers with errors from resolvers: the status follows any SERVICE_UNAVAILABLE among them. */
export const serviceUnavailablePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        if (!errors?.some((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
        const head = unavailableHead();
        response.http.status = head.status;
        for (const [name, value] of head.headers) response.http.headers.set(name, value);
      },
    };
  },
};

/**
 * Apollo answers a request whose context could not be built (authentication reads the database)
 * before any plugin runs, taking the status from the error itself.
 */
export function contextCreationError(error: unknown): unknown {
  if (!databaseOutage.note(error)) return error;
  return new GraphQLError('database unreachable', {
    originalError: error as Error,
    extensions: { http: unavailableHead() },
  });
}

/** For the REST routes' error handlers: answers 503 and returns true when the database is unreachable. */
export function respondIfUnavailable(res: Response, error: unknown): boolean {
  if (!databaseOutage.note(error)) return false;
  const { status, headers } = unavailableHead();
  const { code, message } = AppError.serviceUnavailable();
  res
    .status(status)
    .set(Object.fromEntries(headers))
    .json({ errors: [{ message, extensions: { code } }] });
  return true;
}
