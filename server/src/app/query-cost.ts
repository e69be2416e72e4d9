import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, getNullableType, isListType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { LIMITS } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';

/**
 * What a plain list (no `first` argument) is assumed to hold when estimating a query's cost.
 * Lists of an organization's groups, service accounts, roles or a group's members are usually
 * this small; the estimate only has to make nesting lists inside lists add up.
 */
export const LIST_SIZE_ESTIMATE = 20;

/**
 * The cost of a field is 1 plus its selection, times the rows it may yield: `first` of a
 * page (a connection without `first` answers a full page), LIST_SIZE_ESTIMATE for a plain
 * list. The lists inside a connection are that page, already counted.
 */
const rowsEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const own = 1 + childComplexity;
  if (field.args.some((arg) => arg.name === 'first')) {
    return own * (typeof args.first === 'number' ? Math.max(args.first, 1) : LIMITS.pageSizeMax);
  }
  if (isListType(getNullableType(field.type)) && !type.name.endsWith('Connection')) {
    return own * LIST_SIZE_ESTIMATE;
  }
  return own;
};

/** The estimated size of an operation's answer; throws when the variables do not fit it. */
export function operationCost(
  schema: GraphQLSchema,
  query: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string,
): number {
  return getComplexity({ schema, query, variables, operationName, estimators: [rowsEstimator] });
}

/**
 * Refuses, before anything runs, an operation whose estimated size exceeds `maxCost`, with
 * HTTP 400 and BAD_USER_INPUT. A plugin rather than a validation rule, because `first` often
 * comes from a variable and validation does not see variables.
 */
export function queryCostPlugin(maxCost: number): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let cost: number;
          try {
            cost = operationCost(schema, document, request.variables ?? {}, request.operationName ?? undefined);
          } catch {
            // Variables that do not fit the operation: execution refuses them with a clear error.
            return;
          }
          if (cost > maxCost) {
            throw new GraphQLError(
              `This query could answer too much data (estimated cost ${cost}, at most ${maxCost}). Ask for fewer nested lists, or page with "first".`,
              { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
