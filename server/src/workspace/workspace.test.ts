import { TestApp, type TestClient, errorCode, signUp, startTestApp, uniqueEmail } from '../test/harness';
import {
  CREATE_API_KEY,
  CREATE_WORKSPACE,
  INVITE,
  SET_WORKSPACE_ROLE,
  addMember,
  createGroup,
  createWorkspace,
  unique,
  withKey,
} from '../test/access-fixtures';

const WORKSPACES = `{ workspaces { id name description memberCount viewerPermissions createdBy { id }
  members { principal { id kind name } role { id } }
  effectiveMembers { principal { id kind } role { id } sources { kind role { id } group { id } } } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWorkspaceInput!) { updateWorkspace(id: $id, input: $input) { id name description } }`;
const DELETE = `mutation($id: ID!) { deleteWorkspace(id: $id) }`;
const REMOVE = `mutation($w: ID!, $p: ID!) { removeWorkspaceMember(workspaceId: $w, principalId: $p) { id } }`;
const ADD_TO_GROUP = `mutation($g: ID!, $p: [ID!]!) { addGroupMembers(groupId: $g, principalIds: $p) { id } }`;
const CAN = `query($p: String!, $w: ID) { can(permission: $p, workspaceId: $w) }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('workspaces', () => {
  it('lets a Builder create a workspace and become its Owner; a Consumer cannot create one', async () => {
    const admin = await signUp(app);
    const builder = await addMember(app, admin, 'builder');
    const consumer = await addMember(app, admin, 'consumer');
    const id = await createWorkspace(builder.client, 'Reports');
    const [workspace] = (await builder.client.ok(WORKSPACES)).workspaces;
    expect(workspace).toMatchObject({
      id,
      name: 'Reports',
      memberCount: 1,
      createdBy: { id: builder.userId },
      members: [{ principal: { id: builder.userId, kind: 'USER' }, role: { id: 'owner' } }],
    });
    expect(workspace.viewerPermissions).toContain('workspace:delete');
    expect(errorCode(await consumer.client.request(CREATE_WORKSPACE, { input: { name: 'Nope' } }))).toBe('FORBIDDEN');
    expect((await consumer.client.ok(WORKSPACES)).workspaces).toEqual([]);
    expect((await admin.client.ok(WORKSPACES)).workspaces.map((w: { id: string }) => w.id)).toContain(id);
  });

  it('renames, describes and deletes with the workspace permissions; unique names per organization', async () => {
    const admin = await signUp(app);
    const builder = await addMember(app, admin, 'builder');
    const id = await createWorkspace(builder.client, 'Alpha');
    const contributor = await addMember(app, admin, 'consumer', {
      workspaceRoles: [{ workspaceId: id, roleId: 'contributor' }],
    });
    const { updateWorkspace } = await builder.client.ok(UPDATE, { id, input: { name: 'Beta', description: 'Second' } });
    expect(updateWorkspace).toEqual({ id, name: 'Beta', description: 'Second' });
    expect(errorCode(await contributor.client.request(UPDATE, { id, input: { name: 'Gamma' } }))).toBe('FORBIDDEN');
    expect(errorCode(await contributor.client.request(DELETE, { id }))).toBe('FORBIDDEN');
    await createWorkspace(builder.client, 'Taken');
    const duplicate = await builder.client.request(UPDATE, { id, input: { name: 'TAKEN' } });
    expect(errorCode(duplicate)).toBe('CONFLICT');
    expect(duplicate.errors![0].extensions!.field).toBe('name');
    expect(errorCode(await builder.client.request(UPDATE, { id, input: { name: '  ' } }))).toBe('BAD_USER_INPUT');
    expect((await admin.client.ok(DELETE, { id })).deleteWorkspace).toBe(id);
    expect(errorCode(await builder.client.request(DELETE, { id }))).toBe('NOT_FOUND');
  });

  it('gives a group a workspace role that every member inherits, with the strongest role winning', async () => {
    const admin = await signUp(app);
    const workspaceId = await createWorkspace(admin.client);
    const groupId = await createGroup(admin.client, 'Analysts');
    const member = await addMember(app, admin, 'consumer', { workspaceRoles: [{ workspaceId, roleId: 'viewer' }] });
    expect((await member.client.ok(CAN, { p: 'workspace:use', w: workspaceId })).can).toBe(false);
    await admin.client.ok(ADD_TO_GROUP, { g: groupId, p: [member.userId] });
    await admin.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: groupId, roleId: 'contributor' } });
    expect((await member.client.ok(CAN, { p: 'workspace:use', w: workspaceId })).can).toBe(true);
    expect((await member.client.ok(CAN, { p: 'workspace:update', w: workspaceId })).can).toBe(false);
    const workspace = (await admin.client.ok(WORKSPACES)).workspaces.find((w: { id: string }) => w.id === workspaceId);
    expect(workspace.members).toEqual(
      expect.arrayContaining([
        { principal: { id: groupId, kind: 'GROUP', name: 'Analysts' }, role: { id: 'contributor' } },
      ]),
    );
    expect(
      workspace.effectiveMembers.find((m: { principal: { id: string } }) => m.principal.id === member.userId),
    ).toEqual({
      principal: { id: member.userId, kind: 'USER' },
      role: { id: 'contributor' },
      sources: expect.arrayContaining([
        { kind: 'DIRECT', role: { id: 'viewer' }, group: null },
        { kind: 'GROUP', role: { id: 'contributor' }, group: { id: groupId } },
      ]),
    });
    await admin.client.ok(REMOVE, { w: workspaceId, p: groupId });
    expect((await member.client.ok(CAN, { p: 'workspace:use', w: workspaceId })).can).toBe(false);
  });

  it('treats a tenant Admin as Owner everywhere and answers can() for tenant permissions', async () => {
    const admin = await signUp(app);
    const builder = await addMember(app, admin, 'builder');
    const workspaceId = await createWorkspace(builder.client);
    expect((await admin.client.ok(CAN, { p: 'workspace:delete', w: workspaceId })).can).toBe(true);
    expect((await builder.client.ok(CAN, { p: 'members:manage' })).can).toBe(false);
    expect((await admin.client.ok(CAN, { p: 'members:manage' })).can).toBe(true);
    expect(errorCode(await admin.client.request(CAN, { p: 'workspace:delete' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await admin.client.request(CAN, { p: 'nothing:here' }))).toBe('BAD_USER_INPUT');
    const other = await signUp(app);
    expect(errorCode(await other.client.request(CAN, { p: 'workspace:read', w: workspaceId }))).toBe('NOT_FOUND');

    const { workspaces } = await admin.client.ok(
      `{ workspaces { id effectiveMembers { principal { id } role { id } sources { kind role { id } } } } }`,
    );
    const effective = workspaces.find((w: { id: string }) => w.id === workspaceId).effectiveMembers;
    expect(effective).toEqual(
      expect.arrayContaining([
        {
          principal: { id: admin.userId },
          role: { id: 'owner' },
          sources: [{ kind: 'TENANT_ADMIN', role: { id: 'owner' } }],
        },
        {
          principal: { id: builder.userId },
          role: { id: 'owner' },
          sources: [{ kind: 'DIRECT', role: { id: 'owner' } }],
        },
      ]),
    );
    expect(effective).toHaveLength(2);
  });

  it('intersects workspace permissions with API-key scopes', async () => {
    const admin = await signUp(app);
    const workspaceId = await createWorkspace(admin.client);
    const { createApiKey } = await admin.client.ok(CREATE_API_KEY, {
      input: { name: 'read only', scopes: ['workspaces:read', 'workspace:read'] },
    });
    const key = withKey(app, createApiKey.secret);
    expect((await key.ok(CAN, { p: 'workspace:read', w: workspaceId })).can).toBe(true);
    expect((await key.ok(CAN, { p: 'workspace:update', w: workspaceId })).can).toBe(false);
    expect(errorCode(await key.request(UPDATE, { id: workspaceId, input: { name: 'x' } }))).toBe('FORBIDDEN');
    expect((await key.ok(WORKSPACES)).workspaces[0].viewerPermissions).toEqual(['workspace:read']);
  });

  it('adds only members of the organization, and grants no more than the granter holds', async () => {
    const admin = await signUp(app);
    const builder = await addMember(app, admin, 'builder');
    const workspaceId = await createWorkspace(builder.client);
    const colleague = await addMember(app, admin, 'consumer');
    const outsider = await signUp(app);
    expect(
      errorCode(
        await builder.client.request(SET_WORKSPACE_ROLE, {
          input: { workspaceId, principalId: outsider.userId, roleId: 'viewer' },
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await builder.client.request(SET_WORKSPACE_ROLE, {
          input: { workspaceId, principalId: colleague.userId, roleId: 'admin' },
        }),
      ),
    ).toBe('BAD_USER_INPUT');
    await builder.client.ok(SET_WORKSPACE_ROLE, {
      input: { workspaceId, principalId: colleague.userId, roleId: 'contributor' },
    });
    expect(
      errorCode(
        await colleague.client.request(SET_WORKSPACE_ROLE, {
          input: { workspaceId, principalId: colleague.userId, roleId: 'owner' },
        }),
      ),
    ).toBe('FORBIDDEN');
    const [{ id: customRole }] = await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES (gen_random_uuid()::text, $1, $2, 'WORKSPACE', '{workspace:read,workspace:members:manage}') RETURNING id`,
      [admin.organizationId, unique('Gatekeeper')],
    );
    await builder.client.ok(SET_WORKSPACE_ROLE, {
      input: { workspaceId, principalId: colleague.userId, roleId: customRole },
    });
    expect(
      errorCode(
        await colleague.client.request(SET_WORKSPACE_ROLE, {
          input: { workspaceId, principalId: colleague.userId, roleId: 'owner' },
        }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('keeps a person as Owner: the last one cannot leave or be demoted', async () => {
    const admin = await signUp(app);
    const builder = await addMember(app, admin, 'builder');
    const workspaceId = await createWorkspace(builder.client);
    const demote = await admin.client.request(SET_WORKSPACE_ROLE, {
      input: { workspaceId, principalId: builder.userId, roleId: 'viewer' },
    });
    expect(errorCode(demote)).toBe('CONFLICT');
    expect(demote.errors![0].message).toMatch(/Owner/);
    expect(errorCode(await admin.client.request(REMOVE, { w: workspaceId, p: builder.userId }))).toBe('CONFLICT');
    const remove = await admin.client.request(`mutation($u: ID!) { removeMember(userId: $u) }`, { u: builder.userId });
    expect(errorCode(remove)).toBe('CONFLICT');
  });

  it('leaves one Owner when a workspace’s two Owners are removed in parallel', async () => {
    for (let round = 0; round < 3; round += 1) {
      const admin = await signUp(app);
      const workspaceId = await createWorkspace(admin.client);
      const second = await addMember(app, admin, 'builder', { workspaceRoles: [{ workspaceId, roleId: 'owner' }] });
      const results = await Promise.all([
        admin.client.request(REMOVE, { w: workspaceId, p: admin.userId }),
        admin.client.request(REMOVE, { w: workspaceId, p: second.userId }),
      ]);
      expect(results.map((r) => errorCode(r) ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
      const [{ count }] = await app.db.query(
        `SELECT count(*)::int AS count FROM workspace_members WHERE workspace_id = $1 AND role_id = 'owner'`,
        [workspaceId],
      );
      expect(count).toBe(1);
    }
  });

  it('records every change in the audit log with the workspace', async () => {
    const admin = await signUp(app);
    const workspaceId = await createWorkspace(admin.client);
    const member = await addMember(app, admin, 'consumer');
    await admin.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: member.userId, roleId: 'viewer' } });
    await admin.client.ok(UPDATE, { id: workspaceId, input: { description: 'Described' } });
    await admin.client.ok(REMOVE, { w: workspaceId, p: member.userId });
    await admin.client.ok(DELETE, { id: workspaceId });
    const rows = await app.db.query(
      `SELECT action, category FROM audit_events WHERE workspace_id = $1 ORDER BY sequence`,
      [workspaceId],
    );
    expect(rows).toEqual(
      [
        'workspace.created',
        'workspace.roleSet',
        'workspace.updated',
        'workspace.memberRemoved',
        'workspace.deleted',
      ].map((action) => ({ action, category: 'SYSTEM_CONFIGURATION' })),
    );
  });
});

describe('workspace visibility', () => {
  const THROUGH_GROUPS = `{ groups { id workspaces { workspace { id name description
    members { principal { id } } effectiveMembers { principal { id } } memberCount } } } }`;
  const THROUGH_MEMBERS = `{ members(first: 20) { nodes { id workspaces { workspace { id name members { principal { id } } } } } } }`;
  const THROUGH_SERVICE_ACCOUNTS = `{ serviceAccounts { id workspaces { workspace { id name effectiveMembers { principal { id } } } } } }`;
  const THROUGH_INVITATIONS = `{ invitations { id workspaceRoles { workspace { id name } } } }`;
  const CREATE_SERVICE_ACCOUNT = `mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { secret } }`;

  /** Everything the caller reads about other principals' workspaces, as one text to search. */
  async function readAround(client: TestClient, withServiceAccounts: boolean): Promise<string> {
    const queries = [THROUGH_GROUPS, THROUGH_MEMBERS, THROUGH_INVITATIONS];
    if (withServiceAccounts) queries.push(THROUGH_SERVICE_ACCOUNTS);
    return JSON.stringify(await Promise.all(queries.map((query) => client.ok(query))));
  }

  it('shows a workspace, its name and its members only to those who see it in `workspaces`', async () => {
    const admin = await signUp(app);
    const name = unique('Secret plans');
    const workspaceId = await createWorkspace(admin.client, name);
    const other = await createWorkspace(admin.client, unique('Open'));
    const groupId = await createGroup(admin.client);
    await admin.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: groupId, roleId: 'contributor' } });
    await admin.client.ok(CREATE_SERVICE_ACCOUNT, {
      input: { name: unique('Robot'), roleId: 'consumer', workspaceRoles: [{ workspaceId, roleId: 'viewer' }] },
    });
    const insider = await addMember(app, admin, 'consumer', {
      groupIds: [groupId],
      workspaceRoles: [{ workspaceId, roleId: 'contributor' }],
    });
    await admin.client.ok(INVITE, {
      input: {
        invitations: [
          { email: uniqueEmail('pending'), roleId: 'consumer', workspaceRoles: [{ workspaceId, roleId: 'viewer' }] },
        ],
      },
    });
    const consumer = await addMember(app, admin, 'consumer', {
      workspaceRoles: [{ workspaceId: other, roleId: 'viewer' }],
    });
    const builder = await addMember(app, admin, 'builder');
    const viewer = await addMember(app, admin, 'consumer', { workspaceRoles: [{ workspaceId, roleId: 'viewer' }] });

    for (const [outsider, withServiceAccounts] of [
      [consumer, false],
      [builder, true],
    ] as const) {
      const seen = await readAround(outsider.client, withServiceAccounts);
      expect(seen).not.toContain(workspaceId);
      expect(seen).not.toContain(name);
      expect(seen).not.toContain(`"principal":{"id":"${insider.userId}"}`);
    }
    // The consumer still sees the workspace it holds a role in, through the same fields.
    expect(await readAround(consumer.client, false)).toContain(other);
    expect((await builder.client.ok(`{ serviceAccounts { id } }`)).serviceAccounts).toHaveLength(1);
    // A workspace created in the same request is visible to its new Owner in the answer.
    const created = await builder.client.ok(
      `mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { members { principal { id } } } }`,
      { input: { name: unique('Fresh') } },
    );
    expect(created.createWorkspace.members).toEqual([{ principal: { id: builder.userId } }]);

    const seenByViewer = await readAround(viewer.client, false);
    expect(seenByViewer).toContain(name);
    expect(seenByViewer).toContain(`"principal":{"id":"${insider.userId}"}`);
    expect(seenByViewer).not.toContain(other);
    const seenByAdmin = await readAround(admin.client, true);
    for (const id of [workspaceId, other, insider.userId]) expect(seenByAdmin).toContain(id);
  });

  it('reviews every field that yields a workspace or its members', async () => {
    const { __schema }: any = await app.client().ok(`{ __schema { types { name fields { name type { ...T } } } } }
      fragment T on __Type { name ofType { name ofType { name ofType { name ofType { name } } } } }`);
    const named = (type: any): string => (type.ofType ? named(type.ofType) : type.name);
    const yielding = new Set(['Workspace', 'WorkspaceAssignment', 'WorkspaceMember', 'EffectiveWorkspaceMember']);
    const fields = __schema.types.flatMap((type: any) =>
      (type.fields ?? [])
        .filter((field: any) => yielding.has(named(field.type)))
        .map((field: any) => `${type.name}.${field.name}`),
    );
    // Each is filtered by visibleWorkspaceIds (lists) or needs a workspace permission (mutations):
    // a new one must be added to the rule and to the test above before it is added here.
    expect(fields.sort()).toEqual(
      [
        // Only for a workspace the requester sees (requestAccess), and shown to them or its approvers.
        'AccessRequest.workspace',
        'Group.workspaces',
        'Invitation.workspaceRoles',
        'Member.workspaces',
        'Mutation.createWorkspace',
        'Mutation.removeWorkspaceMember',
        'Mutation.setWorkspaceRole',
        'Mutation.updateWorkspace',
        'Query.workspaces',
        'ServiceAccount.workspaces',
        'Workspace.effectiveMembers',
        'Workspace.members',
        'WorkspaceAssignment.workspace',
      ].sort(),
    );
  });
});
