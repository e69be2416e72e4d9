import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import { addMember, unique } from '../test/access-fixtures';

const ROLES = `{ roles { id name description builtIn scope permissions memberCount } }`;
const CREATE = `mutation($input: CreateRoleInput!) { createRole(input: $input) { id name scope permissions builtIn } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateRoleInput!) { updateRole(id: $id, input: $input) { id name permissions } }`;
const DELETE = `mutation($id: ID!) { deleteRole(id: $id) }`;
const UPDATE_MEMBER = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { id role { id } } }`;
const VIEWER = `{ viewer { permissions } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('roles', () => {
  it('lists the built-in roles first with how many members hold them', async () => {
    const admin = await signUp(app);
    const { roles } = await admin.client.ok(ROLES);
    expect(roles.map((r: { id: string }) => r.id)).toEqual([
      'admin',
      'builder',
      'consumer',
      'owner',
      'contributor',
      'viewer',
    ]);
    expect(roles[0]).toMatchObject({ builtIn: true, scope: 'TENANT', memberCount: 1 });
    expect(roles[0].permissions).toContain('members:manage');
  });

  it('creates and edits a custom role; members holding it get the change at once', async () => {
    const admin = await signUp(app);
    const { createRole } = await admin.client.ok(CREATE, {
      input: { name: 'Auditor', description: 'Reads', scope: 'TENANT', permissions: ['members:read', 'profile:read'] },
    });
    expect(createRole).toMatchObject({
      name: 'Auditor',
      scope: 'TENANT',
      builtIn: false,
      permissions: ['profile:read', 'members:read'],
    });
    const auditor = await addMember(app, admin, createRole.id);
    expect((await auditor.client.ok(VIEWER)).viewer.permissions).toEqual(['members:read', 'profile:read']);
    await admin.client.ok(UPDATE, { id: createRole.id, input: { permissions: ['profile:read', 'auditLog:read'] } });
    expect((await auditor.client.ok(VIEWER)).viewer.permissions).toEqual(['auditLog:read', 'profile:read']);
    const actions = await app.db.query(`SELECT action FROM audit_events WHERE target_id = $1 ORDER BY sequence`, [
      createRole.id,
    ]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['role.created', 'role.updated']);
  });

  it('refuses unknown or wrongly scoped permissions, duplicate and built-in names', async () => {
    const admin = await signUp(app);
    const create = (input: Record<string, unknown>) =>
      admin.client.request(CREATE, { input: { scope: 'TENANT', permissions: [], ...input } });
    expect(errorCode(await create({ name: 'X', permissions: ['nope:nope'] }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create({ name: 'X', permissions: ['workspace:read'] }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create({ name: 'admin' }))).toBe('CONFLICT');
    await admin.client.ok(CREATE, { input: { name: 'Twice', scope: 'WORKSPACE', permissions: ['workspace:read'] } });
    expect(errorCode(await create({ name: 'twice' }))).toBe('CONFLICT');
  });

  it('keeps built-in roles and roles in use', async () => {
    const admin = await signUp(app);
    expect(errorCode(await admin.client.request(UPDATE, { id: 'admin', input: { name: 'Boss' } }))).toBe('CONFLICT');
    expect(errorCode(await admin.client.request(DELETE, { id: 'viewer' }))).toBe('CONFLICT');
    const { createRole } = await admin.client.ok(CREATE, {
      input: { name: unique('Used'), scope: 'TENANT', permissions: ['profile:read'] },
    });
    const member = await addMember(app, admin, createRole.id);
    const inUse = await admin.client.request(DELETE, { id: createRole.id });
    expect(errorCode(inUse)).toBe('CONFLICT');
    await admin.client.ok(UPDATE_MEMBER, { input: { userId: member.userId, roleId: 'consumer' } });
    expect((await admin.client.ok(DELETE, { id: createRole.id })).deleteRole).toBe(createRole.id);
  });

  it('needs roles:manage, and grants nothing the caller does not hold', async () => {
    const admin = await signUp(app);
    const builder = await addMember(app, admin, 'builder');
    expect((await builder.client.ok(ROLES)).roles.length).toBeGreaterThan(5);
    expect(
      errorCode(await builder.client.request(CREATE, { input: { name: 'Mine', scope: 'TENANT', permissions: [] } })),
    ).toBe('FORBIDDEN');
    const [{ id: roleId }] = await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES (gen_random_uuid()::text, $1, 'Role editor', 'TENANT', '{roles:read,roles:manage}') RETURNING id`,
      [admin.organizationId],
    );
    const editor = await addMember(app, admin, roleId);
    expect(
      errorCode(
        await editor.client.request(CREATE, {
          input: { name: 'Power', scope: 'TENANT', permissions: ['members:manage'] },
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      errorCode(
        await editor.client.request(UPDATE, {
          id: roleId,
          input: { permissions: ['roles:manage', 'security:manage'] },
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      errorCode(
        await editor.client.request(CREATE, {
          input: { name: 'Ws', scope: 'WORKSPACE', permissions: ['workspace:delete'] },
        }),
      ),
    ).toBe('FORBIDDEN');
  });
});
