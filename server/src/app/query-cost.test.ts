import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  Kind,
  buildSchema,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  typeFromAST,
  type GraphQLInputType,
} from 'graphql';
import { PROJECT_ROOT, loadConfig } from '../kernel/config';
import { operationCost } from './query-cost';
import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** A value of the type, as small as the schema allows; `first` asks for a full page. */
function sample(type: GraphQLInputType, name: string): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [];
  if (isEnumType(nullable)) return nullable.getValues()[0].value;
  if (isInputObjectType(nullable)) {
    const required = Object.values(nullable.getFields()).filter((field) => isNonNullType(field.type));
    return Object.fromEntries(required.map((field) => [field.name, sample(field.type, field.name)]));
  }
  if (nullable.name === 'Int') return name === 'first' ? 100 : 1;
  if (nullable.name === 'Boolean') return true;
  if (nullable.name === 'DateTime') return new Date().toISOString();
  return 'x';
}

describe('query cost', () => {
  it('lets every operation the settings UI sends through', () => {
    const schema = buildSchema(readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8'));
    const clientDir = path.join(PROJECT_ROOT, 'client', 'src');
    const sources = readdirSync(clientDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.graphql'))
      .map((file) => readFileSync(path.join(clientDir, file), 'utf8'));
    const document = parse(sources.join('\n'));
    const costs = document.definitions.flatMap((definition) => {
      if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
      const variables = Object.fromEntries(
        (definition.variableDefinitions ?? []).map(({ variable, type }) => [
          variable.name.value,
          sample(typeFromAST(schema, type as never) as GraphQLInputType, variable.name.value),
        ]),
      );
      return [[definition.name!.value, operationCost(schema, document, variables, definition.name!.value)] as const];
    });
    expect(costs.length).toBeGreaterThan(20);
    expect(costs.filter(([, cost]) => cost > loadConfig().graphqlMaxCost)).toEqual([]);
  });

  it('refuses lists nested in lists before running them, with HTTP 400', async () => {
    const { client } = await signUp(app);
    const nested = `{ serviceAccounts { groups { members { id name email } workspaces { workspace {
      members { __typename } effectiveMembers { __typename } } } } } }`;
    const result = await client.request(nested);
    expect([result.status, errorCode(result)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(result.errors![0].message).toMatch(/too much data/);
    expect(result.data).toBeNull();
    // The same lists, one level deep, are fine.
    expect((await client.request(`{ serviceAccounts { groups { id } } }`)).status).toBe(200);
  });

  it('honours "first" of a page, also from a variable', async () => {
    const { client } = await signUp(app);
    const pages = Array.from(
      { length: 10 },
      (_, i) => `m${i}: members(first: $first) { nodes { id groups { members { id } } } }`,
    );
    const query = `query($first: Int) { ${pages.join(' ')} }`;
    expect((await client.request(query, { first: 1 })).errors).toBeUndefined();
    const refused = await client.request(query, { first: 100 });
    expect([refused.status, errorCode(refused)]).toEqual([400, 'BAD_USER_INPUT']);
  });

  it('answers 400 and BAD_USER_INPUT, not 500, to the token, depth and alias limits', async () => {
    const { client } = await signUp(app);
    const tooManyTokens = `{ viewer { user { ${'id '.repeat(2100)} } } }`;
    const tooDeep = `{ ${'serviceAccounts { groups { workspaces { workspace { '.repeat(3)} id ${'} } } } '.repeat(3)} }`;
    const tooManyAliases = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: viewer { permissions }`).join(' ')} }`;
    for (const query of [tooManyTokens, tooDeep, tooManyAliases]) {
      const result = await client.request(query);
      expect([result.status, errorCode(result)]).toEqual([400, 'BAD_USER_INPUT']);
    }
  });
});
