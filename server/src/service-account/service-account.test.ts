import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import { addMember, createGroup, createWorkspace, eventually, unique, withKey } from '../test/access-fixtures';

const CREATE = `mutation($input: CreateServiceAccountInput!) {
  createServiceAccount(input: $input) { secret apiKey { id isDefault } serviceAccount { id name description status role { id } groups { id } workspaces { workspace { id } role { id } } } }
}`;
const LIST = `{ serviceAccounts { id name status role { id } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateServiceAccountInput!) { updateServiceAccount(id: $id, input: $input) { id name description status role { id } } }`;
const DELETE = `mutation($id: ID!) { deleteServiceAccount(id: $id) }`;
const VIEWER = `{ viewer { user { id } permissions } }`;
const KEYS = `query($o: ID) { apiKeys(ownerId: $o) { id isDefault } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('service accounts', () => {
  it('creates an account with role, groups and workspace roles; its first secret works at once', async () => {
    const admin = await signUp(app);
    const groupId = await createGroup(admin.client);
    const workspaceId = await createWorkspace(admin.client);
    const { createServiceAccount } = await admin.client.ok(CREATE, {
      input: {
        name: 'CI bot',
        description: 'Deploys',
        roleId: 'builder',
        groupIds: [groupId],
        workspaceRoles: [{ workspaceId, roleId: 'contributor' }],
      },
    });
    const { serviceAccount, secret } = createServiceAccount;
    expect(serviceAccount).toMatchObject({
      name: 'CI bot',
      status: 'ACTIVE',
      role: { id: 'builder' },
      groups: [{ id: groupId }],
      workspaces: [{ workspace: { id: workspaceId }, role: { id: 'contributor' } }],
    });
    expect(createServiceAccount.apiKey.isDefault).toBe(true);
    const key = withKey(app, secret);
    expect((await key.ok(VIEWER)).viewer.user.id).toBe(serviceAccount.id);
    expect(
      (await key.ok(`query($w: ID!) { can(permission: "workspace:use", workspaceId: $w) }`, { w: workspaceId })).can,
    ).toBe(true);
    expect((await admin.client.ok(KEYS, { o: serviceAccount.id })).apiKeys).toHaveLength(1);
    expect((await admin.client.ok(LIST)).serviceAccounts).toEqual([
      { id: serviceAccount.id, name: 'CI bot', status: 'ACTIVE', role: { id: 'builder' } },
    ]);
    const second = await admin.client.request(CREATE, { input: { name: 'ci BOT', roleId: 'consumer' } });
    expect(errorCode(second)).toBe('CONFLICT');
  });

  it('edits, deactivates (its keys stop at once) and deletes', async () => {
    const admin = await signUp(app);
    const { createServiceAccount } = await admin.client.ok(CREATE, {
      input: { name: unique('Bot'), roleId: 'consumer' },
    });
    const id = createServiceAccount.serviceAccount.id;
    const key = withKey(app, createServiceAccount.secret);
    await key.ok(VIEWER);
    const { updateServiceAccount } = await admin.client.ok(UPDATE, {
      id,
      input: { name: 'Renamed', description: 'New', roleId: 'builder' },
    });
    expect(updateServiceAccount).toMatchObject({ name: 'Renamed', description: 'New', role: { id: 'builder' } });
    await admin.client.ok(UPDATE, { id, input: { status: 'INACTIVE' } });
    expect(await eventually(async () => errorCode(await key.request(VIEWER)) === 'UNAUTHENTICATED')).toBe(true);
    expect((await admin.client.ok(DELETE, { id })).deleteServiceAccount).toBe(id);
    expect((await admin.client.ok(LIST)).serviceAccounts).toEqual([]);
    const actions = await app.db.query(
      `SELECT action FROM audit_events WHERE target_id = $1 AND category = 'SYSTEM_CONFIGURATION' ORDER BY sequence`,
      [id],
    );
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'serviceAccount.created',
      'serviceAccount.updated',
      'serviceAccount.updated',
      'serviceAccount.updated',
      'serviceAccount.deleted',
    ]);
  });

  it('needs serviceAccounts:manage, and gives an account no more than the creator holds', async () => {
    const admin = await signUp(app);
    const builder = await addMember(app, admin, 'builder');
    expect((await builder.client.ok(LIST)).serviceAccounts).toEqual([]);
    expect(errorCode(await builder.client.request(CREATE, { input: { name: 'Mine', roleId: 'consumer' } }))).toBe(
      'FORBIDDEN',
    );
    const [{ id: roleId }] = await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES (gen_random_uuid()::text, $1, 'Bot keeper', 'TENANT', '{serviceAccounts:read,serviceAccounts:manage}') RETURNING id`,
      [admin.organizationId],
    );
    const keeper = await addMember(app, admin, roleId);
    expect(errorCode(await keeper.client.request(CREATE, { input: { name: 'Root bot', roleId: 'admin' } }))).toBe(
      'FORBIDDEN',
    );
    const { createServiceAccount } = await keeper.client.ok(CREATE, { input: { name: 'Small bot', roleId } });
    expect(
      errorCode(
        await keeper.client.request(UPDATE, { id: createServiceAccount.serviceAccount.id, input: { roleId: 'admin' } }),
      ),
    ).toBe('FORBIDDEN');
    expect(errorCode(await keeper.client.request(CREATE, { input: { name: ' ', roleId } }))).toBe('BAD_USER_INPUT');
  });
});
