import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FieldNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestContext } from './context';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const operations = new Counter({
  name: 'gatehouse_graphql_operations_total',
  help: 'GraphQL operations by operation name and outcome',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});

const operationDuration = new Histogram({
  name: 'gatehouse_graphql_operation_duration_seconds',
  help: 'GraphQL operation latency by operation name',
  labelNames: ['operation'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const httpRequests = new Counter({
  name: 'gatehouse_http_requests_total',
  help: 'HTTP requests by route and status code',
  labelNames: ['route', 'status'] as const,
  registers: [metricsRegistry],
});

export const authenticationFailures = new Counter({
  name: 'gatehouse_authentication_failures_total',
  help: 'Rejected credentials by kind',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

export const notificationListenerReconnects = new Counter({
  name: 'gatehouse_notification_listener_reconnects_total',
  help: 'Times the LISTEN connection was re-established after losing it (notifications in the gap are lost)',
  registers: [metricsRegistry],
});

/**
 * Series are labelled by the schema's operation (the root field selected first), never by the
 * name a client gives its document: the schema's operations are a fixed set, so a client cannot
 * mint new series. Anything else (introspection, a document that did not parse) counts as `other`.
 */
function operationLabel(schema: GraphQLSchema, operation: OperationDefinitionNode | undefined): string {
  const root = operation && schema.getRootType(operation.operation);
  const field = operation?.selectionSet.selections.find(
    (selection): selection is FieldNode => selection.kind === Kind.FIELD,
  );
  return root && field && Object.hasOwn(root.getFields(), field.name.value) ? field.name.value : 'other';
}

/** Counts, times and logs every operation (one JSON line carrying the request id). */
export const metricsPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    const started = process.hrtime.bigint();
    return {
      async willSendResponse({ schema, operation: document, operationName, errors, contextValue }) {
        const operation = operationLabel(schema, document);
        const outcome = errors?.length ? 'error' : 'success';
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        operations.inc({ operation, outcome });
        operationDuration.observe({ operation }, seconds);
        contextValue.log.info(
          {
            operation,
            operationName: operationName?.slice(0, 100),
            outcome,
            durationMs: Math.round(seconds * 1000),
            userId: contextValue.auth?.user.id,
            apiKeyId: contextValue.auth?.apiKeyId ?? undefined,
            errors: errors?.map((error) => error.message),
          },
          'graphql operation',
        );
      },
    };
  },
};
