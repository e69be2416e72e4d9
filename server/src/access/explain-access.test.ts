import { ALL_SCOPES, PERMISSION_CATALOG, isWorkspacePermission } from '@gatehouse/shared';
import { TestApp, TestClient, errorCode, signUp, startTestApp } from '../test/harness';
import {
  CREATE_API_KEY,
  SET_WORKSPACE_ROLE,
  addMember,
  createGroup,
  createWorkspace,
  withKey,
} from '../test/access-fixtures';

const EXPLAIN = `query($p: ID!, $perm: String!, $w: ID) {
  explainAccess(principalId: $p, permission: $perm, workspaceId: $w) { allowed deniedBecause paths { kind description expiresAt } }
}`;
const CAN = `query($perm: String!, $w: ID) { can(permission: $perm, workspaceId: $w) }`;
const CREATE_ROLE = `mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }`;
const ADD_TO_GROUP = `mutation($g: ID!, $p: [ID!]!, $e: DateTime) { addGroupMembers(groupId: $g, principalIds: $p, expiresAt: $e) { id } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function explain(client: TestClient, principalId: string, permission: string, workspaceId?: string) {
  return (await client.ok(EXPLAIN, { p: principalId, perm: permission, w: workspaceId ?? null })).explainAccess;
}

/** One organization with a principal on every path of the authorization check. */
async function world() {
  const admin = await signUp(app);
  const workspaceId = await createWorkspace(admin.client);
  const builder = await addMember(app, admin, 'builder');
  const consumer = await addMember(app, admin, 'consumer');
  const { createRole: tenantRole } = await admin.client.ok(CREATE_ROLE, {
    input: { name: 'Auditor', scope: 'TENANT', permissions: ['members:read', 'auditLog:read', 'profile:read'] },
  });
  const { createRole: workspaceRole } = await admin.client.ok(CREATE_ROLE, {
    input: { name: 'Publisher', scope: 'WORKSPACE', permissions: ['workspace:read', 'workspace:update'] },
  });
  const auditor = await addMember(app, admin, tenantRole.id);
  const direct = await addMember(app, admin, 'consumer');
  const custom = await addMember(app, admin, 'consumer');
  const viaGroup = await addMember(app, admin, 'consumer');
  const groupId = await createGroup(admin.client, 'Editors');
  const groupUntil = new Date(Date.now() + 3_600_000).toISOString();
  await admin.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: groupId, roleId: 'contributor' } });
  await admin.client.ok(ADD_TO_GROUP, { g: groupId, p: [viaGroup.userId, direct.userId], e: groupUntil });
  await admin.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: direct.userId, roleId: 'viewer' } });
  await admin.client.ok(SET_WORKSPACE_ROLE, {
    input: { workspaceId, principalId: custom.userId, roleId: workspaceRole.id },
  });
  return { admin, workspaceId, builder, consumer, auditor, direct, custom, viaGroup, groupUntil };
}

describe('explainAccess', () => {
  it('names every path: tenant role, custom roles, direct and group workspace roles, Admin as Owner, key scopes', async () => {
    const w = await world();
    const { admin } = w;
    expect(await explain(admin.client, admin.userId, 'members:manage')).toEqual({
      allowed: true,
      deniedBecause: null,
      paths: [{ kind: 'TENANT_ROLE', description: 'The Admin tenant role includes members:manage.', expiresAt: null }],
    });
    expect(await explain(admin.client, w.auditor.userId, 'auditLog:read')).toMatchObject({
      allowed: true,
      paths: [{ kind: 'CUSTOM_ROLE', description: 'The custom tenant role Auditor includes auditLog:read.' }],
    });
    expect(await explain(admin.client, w.custom.userId, 'workspace:update', w.workspaceId)).toMatchObject({
      allowed: true,
      paths: [{ kind: 'CUSTOM_ROLE', description: expect.stringContaining('Publisher in workspace') }],
    });
    // Both a direct role and a (time-bound) group role: each path, with the group's end.
    expect(await explain(admin.client, w.direct.userId, 'workspace:read', w.workspaceId)).toEqual({
      allowed: true,
      deniedBecause: null,
      paths: [
        { kind: 'WORKSPACE_ROLE', description: expect.stringContaining('The Viewer workspace role'), expiresAt: null },
        {
          kind: 'GROUP_WORKSPACE_ROLE',
          description: expect.stringContaining('Group "Editors" holds the Contributor role'),
          expiresAt: w.groupUntil,
        },
      ],
    });
    expect(await explain(admin.client, w.direct.userId, 'workspace:use', w.workspaceId)).toMatchObject({
      allowed: true,
      paths: [{ kind: 'GROUP_WORKSPACE_ROLE' }],
    });
    // The Admin created the workspace (direct Owner) and is Owner of every workspace anyway.
    expect(await explain(admin.client, admin.userId, 'workspace:delete', w.workspaceId)).toMatchObject({
      allowed: true,
      paths: [{ kind: 'ADMIN_OWNER' }, { kind: 'WORKSPACE_ROLE' }],
    });
    expect(await explain(admin.client, w.consumer.userId, 'members:manage')).toEqual({
      allowed: false,
      deniedBecause: 'No role includes members:manage.',
      paths: [],
    });
    expect(await explain(admin.client, w.consumer.userId, 'workspace:read', w.workspaceId)).toMatchObject({
      allowed: false,
      deniedBecause: 'No role in this workspace includes workspace:read.',
    });
  });

  it("explains an API key: its owner's paths and its scopes, and what the scopes leave out", async () => {
    const admin = await signUp(app);
    const { createApiKey } = await admin.client.ok(CREATE_API_KEY, {
      input: { name: 'reader', scopes: ['members:read'] },
    });
    const keyId = createApiKey.apiKey.id;
    expect(await explain(admin.client, keyId, 'members:read')).toEqual({
      allowed: true,
      deniedBecause: null,
      paths: [
        { kind: 'TENANT_ROLE', description: expect.any(String), expiresAt: null },
        {
          kind: 'API_KEY_SCOPES',
          description: 'API key "reader" is scoped to members:read.',
          expiresAt: expect.any(String),
        },
      ],
    });
    expect(await explain(admin.client, keyId, 'groups:read')).toMatchObject({
      allowed: false,
      deniedBecause: 'API key "reader" is not scoped to groups:read.',
      paths: [{ kind: 'TENANT_ROLE' }],
    });
    const { createApiKey: all } = await admin.client.ok(CREATE_API_KEY, {
      input: { name: 'all', scopes: [ALL_SCOPES] },
    });
    expect((await explain(admin.client, all.apiKey.id, 'groups:read')).paths[1].kind).toBe('API_KEY_SCOPES');
    // A key is explained to its owner and to member managers only.
    const consumer = await addMember(app, admin, 'consumer');
    expect(errorCode(await consumer.client.request(EXPLAIN, { p: keyId, perm: 'members:read' }))).toBe('NOT_FOUND');
  });

  it('agrees with the authorization check for every permission and every kind of principal', async () => {
    const w = await world();
    const principals = [w.admin, w.builder, w.consumer, w.auditor, w.direct, w.custom, w.viaGroup];
    for (const principal of principals) {
      for (const { name } of PERMISSION_CATALOG) {
        const workspaceId = isWorkspacePermission(name) ? w.workspaceId : undefined;
        const visible = workspaceId
          ? (await explain(w.admin.client, principal.userId, 'workspace:read', workspaceId)).allowed
          : true;
        const held = visible ? (await principal.client.ok(CAN, { perm: name, w: workspaceId ?? null })).can : false;
        const explained = await explain(w.admin.client, principal.userId, name, workspaceId);
        expect({ principal: principal.email, name, allowed: explained.allowed }).toEqual({
          principal: principal.email,
          name,
          allowed: held,
        });
        expect(explained.paths.length > 0).toBe(held);
      }
    }
  });

  it("answers NOT_FOUND for another organization's principal or workspace, and refuses a workspace the caller cannot see", async () => {
    const a = await signUp(app);
    const b = await signUp(app);
    const workspaceB = await createWorkspace(b.client);
    expect(errorCode(await a.client.request(EXPLAIN, { p: b.userId, perm: 'members:read' }))).toBe('NOT_FOUND');
    expect(errorCode(await a.client.request(EXPLAIN, { p: a.userId, perm: 'workspace:read', w: workspaceB }))).toBe(
      'NOT_FOUND',
    );
    const consumer = await addMember(app, a, 'consumer');
    const workspaceA = await createWorkspace(a.client);
    expect(
      errorCode(await consumer.client.request(EXPLAIN, { p: a.userId, perm: 'workspace:read', w: workspaceA })),
    ).toBe('NOT_FOUND');
    expect(errorCode(await a.client.request(EXPLAIN, { p: a.userId, perm: 'nothing:real' }))).toBe('BAD_USER_INPUT');
  });

  it('a refusal names the permission that was missing, for the UI to show', async () => {
    const admin = await signUp(app);
    const consumer = await addMember(app, admin, 'consumer');
    const refused = await consumer.client.request(`mutation { createGroup(input: { name: "No" }) { id } }`);
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', missingPermission: 'groups:manage' });
    const key = await admin.client.ok(CREATE_API_KEY, { input: { name: 'narrow', scopes: ['members:read'] } });
    const viaKey = await withKey(app, key.createApiKey.secret).request('{ groups { id } }');
    expect(viaKey.errors?.[0]?.extensions?.missingPermission).toBe('groups:read');
  });
});
