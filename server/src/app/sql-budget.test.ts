import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DocumentNode, print } from 'graphql';
import { Client } from 'pg';
import { type TestApp, type TestClient, signUp, startTestApp } from '../test/harness';
import { CREATE_API_KEY, addMember, createGroup, createWorkspace, withKey } from '../test/access-fixtures';

/**
 * The SQL budget per operation (README, "SQL budget"): statements sent through the driver while
 * the server handles one request, with the credential already cached (a warm request). A budget
 * that grows fails here; lower it here and in the README when an operation gets cheaper.
 */
const BUDGETS = {
  typenameWithKey: 0,
  viewerWithSession: 1,
  apiKeysWithSession: 1,
  members100WithSession: 4,
  auditEventsPageWithSession: 2,
};

// The settings UI's own operations (jest maps the client's generated documents; the server's tsconfig does not).
const { ApiKeysDocument, AuditEventsDocument, MembersDocument, ViewerDocument } =
  jest.requireActual<Record<string, DocumentNode>>('@gatehouse/shared/generated');

/** Each request runs in its own store; every pg statement issued inside it is recorded there. */
const requestStatements = new AsyncLocalStorage<string[]>();
let lastRequest: string[] = [];
const originalQuery = Client.prototype.query;

let app: TestApp;
beforeAll(async () => {
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const config = args[0] as string | { text: string };
    requestStatements.getStore()?.push(typeof config === 'string' ? config : config.text);
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof Client.prototype.query;
  app = await startTestApp();
  const [handler] = app.server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  app.server.removeAllListeners('request');
  app.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const statements: string[] = [];
    response.once('finish', () => (lastRequest = statements));
    requestStatements.run(statements, () => handler(request, response));
  });
});
afterAll(async () => {
  Client.prototype.query = originalQuery;
  await app.close();
});

/** The statements of one warm request: asked twice, the second one counts. */
async function statementsOf(client: TestClient, query: string, variables: Record<string, unknown> = {}) {
  await client.ok(query, variables);
  await client.ok(query, variables);
  // 'finish' fires once the response is handed to the OS, possibly after the client has it.
  await new Promise((resolve) => setImmediate(resolve));
  return lastRequest;
}

describe('SQL budget per operation', () => {
  let admin: Awaited<ReturnType<typeof signUp>>;
  beforeAll(async () => {
    admin = await signUp(app);
    const groups = [await createGroup(admin.client), await createGroup(admin.client)];
    const workspace = await createWorkspace(admin.client);
    for (let i = 0; i < 3; i += 1) {
      await addMember(app, admin, i === 0 ? 'admin' : 'consumer', {
        groupIds: groups,
        workspaceRoles: [{ workspaceId: workspace, roleId: 'viewer' }],
      });
    }
  });

  it('{ __typename } with an API key reads nothing', async () => {
    const { createApiKey } = await admin.client.ok(CREATE_API_KEY, { input: { name: 'budget' } });
    const statements = await statementsOf(withKey(app, createApiKey.secret), '{ __typename }');
    expect(statements).toHaveLength(BUDGETS.typenameWithKey);
  });

  it('the viewer with a session', async () => {
    const statements = await statementsOf(admin.client, print(ViewerDocument));
    expect(statements.length).toBeLessThanOrEqual(BUDGETS.viewerWithSession);
  });

  it('the API Keys tab with a session', async () => {
    const statements = await statementsOf(admin.client, print(ApiKeysDocument));
    expect(statements.length).toBeLessThanOrEqual(BUDGETS.apiKeysWithSession);
  });

  it('members(first: 100) with role, groups and workspaces', async () => {
    const statements = await statementsOf(admin.client, print(MembersDocument), { first: 100 });
    expect(statements.length).toBeLessThanOrEqual(BUDGETS.members100WithSession);
  });

  it('a page of the audit log', async () => {
    const statements = await statementsOf(admin.client, print(AuditEventsDocument), { first: 50 });
    expect(statements.length).toBeLessThanOrEqual(BUDGETS.auditEventsPageWithSession);
  });
});
