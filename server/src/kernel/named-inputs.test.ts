import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** Every mutation that names something, with the name at `$name`, and where the name sits in its input. */
const NAMING: { operation: string; query: string; field: string; id?: string }[] = [
  {
    operation: 'createApiKey',
    query: `mutation($name: String!) { createApiKey(input: { name: $name }) { secret } }`,
    field: 'name',
  },
  {
    operation: 'updateApiKey',
    query: `mutation($id: ID!, $name: String!) { updateApiKey(id: $id, input: { name: $name }) { id } }`,
    field: 'name',
    id: 'apiKey',
  },
  {
    operation: 'createGroup',
    query: `mutation($name: String!) { createGroup(input: { name: $name }) { id } }`,
    field: 'name',
  },
  {
    operation: 'updateGroup',
    query: `mutation($id: ID!, $name: String!) { updateGroup(id: $id, input: { name: $name }) { id } }`,
    field: 'name',
    id: 'group',
  },
  {
    operation: 'createWorkspace',
    query: `mutation($name: String!) { createWorkspace(input: { name: $name }) { id } }`,
    field: 'name',
  },
  {
    operation: 'createRole',
    query: `mutation($name: String!) { createRole(input: { name: $name, scope: TENANT, permissions: [] }) { id } }`,
    field: 'name',
  },
  {
    operation: 'createServiceAccount',
    query: `mutation($name: String!) { createServiceAccount(input: { name: $name, roleId: "consumer" }) { secret } }`,
    field: 'name',
  },
  {
    operation: 'createOrganization',
    query: `mutation($name: String!) { createOrganization(input: { name: $name }) { organization { id } } }`,
    field: 'name',
  },
  {
    operation: 'updateOrganizationSettings',
    query: `mutation($name: String!) { updateOrganizationSettings(input: { general: { name: $name } }) { general { name } } }`,
    field: 'general.name',
  },
];

describe('the one name rule', () => {
  it.each(['   ', '', 'Tab\there', 'x'.repeat(65)])(
    'refuses %j with BAD_USER_INPUT on the name field',
    async (name) => {
      const admin = await signUp(app);
      const ids = {
        apiKey: (await admin.client.ok(`mutation { createApiKey(input: { name: "Key" }) { apiKey { id } } }`))
          .createApiKey.apiKey.id,
        group: (await admin.client.ok(`mutation { createGroup(input: { name: "Group" }) { id } }`)).createGroup.id,
      };
      for (const { operation, query, field, id } of NAMING) {
        const result = await admin.client.request(query, { name, ...(id ? { id: ids[id as keyof typeof ids] } : {}) });
        expect([operation, errorCode(result), result.errors![0].extensions!.field]).toEqual([
          operation,
          'BAD_USER_INPUT',
          field,
        ]);
      }
    },
  );

  it('accepts a name of 64 characters once trimmed, and stores it trimmed', async () => {
    const admin = await signUp(app);
    const name = 'n'.repeat(64);
    const { createGroup } = await admin.client.ok(
      `mutation($name: String!) { createGroup(input: { name: $name }) { name } }`,
      {
        name: `  ${name}  `,
      },
    );
    expect(createGroup.name).toBe(name);
  });
});
