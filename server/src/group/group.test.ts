import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import {
  CREATE_GROUP,
  SET_WORKSPACE_ROLE,
  addMember,
  createGroup,
  createWorkspace,
  unique,
} from '../test/access-fixtures';
import { addUserToGroups } from '../access/grants';

const GROUPS = `{ groups { id name description memberCount members { id kind name } workspaces { workspace { id } role { id } } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateGroupInput!) { updateGroup(id: $id, input: $input) { id name description } }`;
const DELETE = `mutation($id: ID!) { deleteGroup(id: $id) }`;
const ADD = `mutation($g: ID!, $p: [ID!]!) { addGroupMembers(groupId: $g, principalIds: $p) { id } }`;
const REMOVE = `mutation($g: ID!, $p: [ID!]!) { removeGroupMembers(groupId: $g, principalIds: $p) { id } }`;
const CAN = `query($w: ID!) { can(permission: "workspace:use", workspaceId: $w) }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('groups', () => {
  it('creates, renames, describes and deletes groups with unique names', async () => {
    const admin = await signUp(app);
    const id = await createGroup(admin.client, 'Finance');
    expect(errorCode(await admin.client.request(CREATE_GROUP, { input: { name: 'FINANCE' } }))).toBe('CONFLICT');
    const { updateGroup } = await admin.client.ok(UPDATE, { id, input: { name: 'Accounting', description: 'Books' } });
    expect(updateGroup).toEqual({ id, name: 'Accounting', description: 'Books' });
    expect(errorCode(await admin.client.request(CREATE_GROUP, { input: { name: 'x'.repeat(65) } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect((await admin.client.ok(DELETE, { id })).deleteGroup).toBe(id);
    expect((await admin.client.ok(GROUPS)).groups).toEqual([]);
    const actions = await app.db.query(`SELECT action FROM audit_events WHERE target_id = $1 ORDER BY sequence`, [id]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'group.created',
      'group.updated',
      'group.deleted',
    ]);
  });

  it('adds and removes users and service accounts of the organization only', async () => {
    const admin = await signUp(app);
    const groupId = await createGroup(admin.client, 'Ops');
    const member = await addMember(app, admin, 'consumer');
    const { createServiceAccount } = await admin.client.ok(
      `mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { serviceAccount { id } } }`,
      { input: { name: unique('Bot'), roleId: 'consumer' } },
    );
    const botId = createServiceAccount.serviceAccount.id;
    await admin.client.ok(ADD, { g: groupId, p: [member.userId, botId] });
    const [group] = (await admin.client.ok(GROUPS)).groups;
    expect(group.memberCount).toBe(2);
    expect(group.members.map((m: { kind: string }) => m.kind).sort()).toEqual(['SERVICE_ACCOUNT', 'USER']);
    await admin.client.ok(REMOVE, { g: groupId, p: [botId] });
    expect((await admin.client.ok(GROUPS)).groups[0].members.map((m: { id: string }) => m.id)).toEqual([member.userId]);
    const outsider = await signUp(app);
    expect(errorCode(await admin.client.request(ADD, { g: groupId, p: [outsider.userId] }))).toBe('NOT_FOUND');
  });

  it('needs groups:manage to change and groups:read to list', async () => {
    const admin = await signUp(app);
    const consumer = await addMember(app, admin, 'consumer');
    const groupId = await createGroup(admin.client);
    expect((await consumer.client.ok(GROUPS)).groups).toHaveLength(1);
    expect(errorCode(await consumer.client.request(CREATE_GROUP, { input: { name: 'Mine' } }))).toBe('FORBIDDEN');
    expect(errorCode(await consumer.client.request(ADD, { g: groupId, p: [consumer.userId] }))).toBe('FORBIDDEN');
    const [{ id: roleId }] = await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES (gen_random_uuid()::text, $1, 'No directory', 'TENANT', '{profile:read}') RETURNING id`,
      [admin.organizationId],
    );
    const limited = await addMember(app, admin, roleId);
    expect(errorCode(await limited.client.request(GROUPS))).toBe('FORBIDDEN');
  });

  it('refuses to add members to a group whose workspace roles the caller could not grant', async () => {
    const admin = await signUp(app);
    const workspaceId = await createWorkspace(admin.client);
    const groupId = await createGroup(admin.client, 'Owners');
    await admin.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: groupId, roleId: 'owner' } });
    const [{ id: roleId }] = await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES (gen_random_uuid()::text, $1, 'Group manager', 'TENANT', '{groups:read,groups:manage,members:read}') RETURNING id`,
      [admin.organizationId],
    );
    const manager = await addMember(app, admin, roleId);
    const result = await manager.client.request(ADD, { g: groupId, p: [manager.userId] });
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(errorCode(result));
    expect((await manager.client.ok(CAN, { w: workspaceId })).can).toBe(false);
    const [group] = (await admin.client.ok(GROUPS)).groups;
    expect(group.workspaces).toEqual([{ workspace: { id: workspaceId }, role: { id: 'owner' } }]);
  });

  it('addUserToGroups puts a member in groups of its organization only, once', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'consumer');
    const groupId = await createGroup(admin.client);
    const other = await signUp(app);
    const foreignGroup = await createGroup(other.client);
    const ctx = { db: app.db } as Parameters<typeof addUserToGroups>[0];
    await app.db.transaction((tx) => addUserToGroups(ctx, tx, member.userId, [groupId, foreignGroup, groupId]));
    await app.db.transaction((tx) => addUserToGroups(ctx, tx, member.userId, [groupId]));
    const rows = await app.db.query('SELECT group_id FROM group_members WHERE user_id = $1', [member.userId]);
    expect(rows).toEqual([{ group_id: groupId }]);
  });
});
