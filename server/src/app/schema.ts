import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { authChecker } from '../auth/auth-checker';
import { DateTimeScalar } from '../kernel/scalars';
import { PUBLIC_OPERATIONS, RESOLVERS } from './resolvers';

export interface OperationPermission {
  operation: string;
  kind: 'query' | 'mutation';
  /** null for a public operation; [] for "any signed-in caller". */
  permissions: string[] | null;
}

/** The permission every query and mutation declares, read from the type-graphql metadata. */
export function operationPermissions(): OperationPermission[] {
  const storage = getMetadataStorage();
  const describe = (kind: 'query' | 'mutation') => (resolver: (typeof storage.queries)[number]) => {
    const authorized = storage.authorizedFields.find(
      (field) => field.target === resolver.target && field.fieldName === resolver.methodName,
    );
    return { operation: resolver.schemaName, kind, permissions: authorized ? (authorized.roles as string[]) : null };
  };
  return [...storage.queries.map(describe('query')), ...storage.mutations.map(describe('mutation'))].sort((a, b) =>
    a.operation.localeCompare(b.operation),
  );
}

function assertEveryOperationDeclaresPermission(): void {
  for (const { operation, permissions } of operationPermissions()) {
    const isPublic = PUBLIC_OPERATIONS.includes(operation);
    if (permissions === null && !isPublic) {
      throw new Error(`Operation "${operation}" has no @Authorized and is not listed in PUBLIC_OPERATIONS`);
    }
    if (permissions !== null && isPublic) {
      throw new Error(`Operation "${operation}" is listed in PUBLIC_OPERATIONS but also has @Authorized`);
    }
  }
}

let schema: Promise<GraphQLSchema> | null = null;

export function buildAppSchema(): Promise<GraphQLSchema> {
  schema ??= (async () => {
    assertEveryOperationDeclaresPermission();
    const built = await buildSchema({
      resolvers: RESOLVERS as unknown as [Function, ...Function[]],
      authChecker,
      validate: { forbidUnknownValues: true, stopAtFirstError: false },
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    });
    // type-graphql has no decorator for the root types, so their descriptions are set here.
    Object.assign(built.getQueryType()!, {
      description: 'Reads. Each field says who may call it: the permission it needs, or that it is public.',
    });
    Object.assign(built.getMutationType()!, {
      description: 'Changes, each recorded in the audit log. Each field says the permission it needs.',
    });
    return built;
  })();
  return schema;
}
