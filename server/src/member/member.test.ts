import { Client } from 'pg';
import { STRONG_PASSWORD, TestApp, errorCode, signUp, startTestApp, uniqueEmail } from '../test/harness';
import {
  ACCEPT,
  CREATE_API_KEY,
  INVITE,
  addMember,
  createGroup,
  createWorkspace,
  eventually,
  invitationToken,
  withKey,
} from '../test/access-fixtures';

const MEMBERS = `query($first: Int, $after: String, $filter: MemberFilter) {
  members(first: $first, after: $after, filter: $filter) {
    nodes { id email status user { id firstName } role { id name } groups { id name } workspaces { workspace { id name } role { id } viaGroup { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const UPDATE = `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { id status role { id } } }`;
const REMOVE = `mutation($userId: ID!) { removeMember(userId: $userId) }`;
const PREVIEW = `query($token: String!) { invitationPreview(token: $token) { email organizationName invitedByName status accountExists } }`;
const RESEND = `mutation($id: ID!) { resendInvitation(id: $id) { id status expiresAt } }`;
const CANCEL = `mutation($id: ID!) { cancelInvitation(id: $id) }`;
const VIEWER = `{ viewer { user { id } organization { id } role { id } permissions } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function auditActions(organizationId: string): Promise<string[]> {
  const rows = await app.db.query(
    `SELECT action FROM audit_events WHERE organization_id = $1 AND category = 'SYSTEM_CONFIGURATION' ORDER BY sequence`,
    [organizationId],
  );
  return rows.map((row: { action: string }) => row.action);
}

describe('invitations', () => {
  it('invites with a role, groups and workspace roles that are all in place at acceptance', async () => {
    const admin = await signUp(app);
    const groupId = await createGroup(admin.client, 'Support');
    const workspaceId = await createWorkspace(admin.client, 'Helpdesk');
    const email = uniqueEmail('new');
    const { inviteMembers } = await admin.client.ok(INVITE, {
      input: {
        invitations: [
          { email, roleId: 'builder', groupIds: [groupId], workspaceRoles: [{ workspaceId, roleId: 'contributor' }] },
        ],
      },
    });
    expect(inviteMembers[0]).toMatchObject({
      email,
      status: 'INVITED',
      role: { id: 'builder' },
      groups: [{ id: groupId }],
    });
    const token = await invitationToken(app.db, email);
    expect((await app.client().ok(PREVIEW, { token })).invitationPreview).toEqual({
      email,
      organizationName: 'Analytical Engines',
      invitedByName: 'Ada Lovelace',
      status: 'PENDING',
      accountExists: false,
    });
    const listed = await admin.client.ok(MEMBERS, { filter: { status: ['INVITED'] } });
    expect(listed.members.nodes).toEqual([
      expect.objectContaining({ email, status: 'INVITED', user: null, groups: [{ id: groupId, name: 'Support' }] }),
    ]);

    const invited = app.client();
    const { acceptInvitation } = await invited.ok(ACCEPT, {
      input: { token, firstName: 'Grace', lastName: 'Hopper', password: STRONG_PASSWORD },
    });
    expect(acceptInvitation.role).toEqual({ id: 'builder', name: 'Builder' });
    expect(acceptInvitation.organization.id).toBe(admin.organizationId);
    expect((await invited.ok(VIEWER)).viewer.user.id).toBe(acceptInvitation.user.id);
    const member = (await admin.client.ok(MEMBERS, { filter: { search: 'grace' } })).members.nodes[0];
    expect(member).toMatchObject({
      status: 'ACTIVE',
      role: { id: 'builder' },
      groups: [{ id: groupId }],
      workspaces: [{ workspace: { id: workspaceId }, role: { id: 'contributor' }, viaGroup: null }],
    });
    expect(
      await invited.ok(`query($id: ID!) { can(permission: "workspace:use", workspaceId: $id) }`, { id: workspaceId }),
    ).toEqual({
      can: true,
    });
    expect(await auditActions(admin.organizationId)).toEqual(
      expect.arrayContaining(['invitation.created', 'invitation.accepted']),
    );
  });

  it('uses a token once, even when acceptances race', async () => {
    const admin = await signUp(app);
    const email = uniqueEmail('race');
    await admin.client.ok(INVITE, { input: { invitations: [{ email, roleId: 'consumer' }] } });
    const token = await invitationToken(app.db, email);
    const input = { token, firstName: 'Race', lastName: 'Condition', password: STRONG_PASSWORD };
    const results = await Promise.all([1, 2, 3].map(() => app.client().request(ACCEPT, { input })));
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    expect(results.filter((result) => errorCode(result) === 'CONFLICT')).toHaveLength(2);
    expect((await app.client().ok(PREVIEW, { token })).invitationPreview.status).toBe('ACCEPTED');
  });

  it('lets an existing user join only when signed in as the invited email', async () => {
    const admin = await signUp(app);
    const existing = await signUp(app, { organizationName: 'Elsewhere' });
    await admin.client.ok(INVITE, { input: { invitations: [{ email: existing.email, roleId: 'consumer' }] } });
    const token = await invitationToken(app.db, existing.email);
    expect((await app.client().ok(PREVIEW, { token })).invitationPreview.accountExists).toBe(true);
    expect(errorCode(await app.client().request(ACCEPT, { input: { token } }))).toBe('UNAUTHENTICATED');
    const stranger = await signUp(app);
    expect(errorCode(await stranger.client.request(ACCEPT, { input: { token } }))).toBe('FORBIDDEN');
    const { acceptInvitation } = await existing.client.ok(ACCEPT, { input: { token } });
    expect(acceptInvitation.organization.id).toBe(admin.organizationId);
    expect(acceptInvitation.organizations).toHaveLength(2);
  });

  it('refuses expired, cancelled and replaced links with a clear error', async () => {
    const admin = await signUp(app);
    const [expired, cancelled, resent] = [uniqueEmail('exp'), uniqueEmail('cancel'), uniqueEmail('resend')];
    const { inviteMembers } = await admin.client.ok(INVITE, {
      input: { invitations: [expired, cancelled, resent].map((email) => ({ email, roleId: 'consumer' })) },
    });
    const accept = (token: string) =>
      app.client().request(ACCEPT, { input: { token, firstName: 'A', lastName: 'B', password: STRONG_PASSWORD } });

    await app.db.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      inviteMembers[0].id,
    ]);
    const expiredToken = await invitationToken(app.db, expired);
    expect((await app.client().ok(PREVIEW, { token: expiredToken })).invitationPreview.status).toBe('EXPIRED');
    const expiredResult = await accept(expiredToken);
    expect(errorCode(expiredResult)).toBe('CONFLICT');
    expect(expiredResult.errors![0].message).toMatch(/expired/);
    expect((await admin.client.ok(MEMBERS, { filter: { status: ['INVITATION_EXPIRED'] } })).members.nodes).toHaveLength(
      1,
    );

    expect((await admin.client.ok(CANCEL, { id: inviteMembers[1].id })).cancelInvitation).toBe(inviteMembers[1].id);
    expect(errorCode(await accept(await invitationToken(app.db, cancelled)))).toBe('CONFLICT');

    const oldToken = await invitationToken(app.db, resent);
    await admin.client.ok(RESEND, { id: inviteMembers[2].id });
    const newToken = await invitationToken(app.db, resent);
    expect(newToken).not.toBe(oldToken);
    expect((await app.client().ok(PREVIEW, { token: oldToken })).invitationPreview).toBeNull();
    expect(errorCode(await accept(oldToken))).toBe('NOT_FOUND');
    expect((await accept(newToken)).errors).toBeUndefined();
    expect(await auditActions(admin.organizationId)).toEqual(
      expect.arrayContaining(['invitation.cancelled', 'invitation.resent', 'invitation.accepted']),
    );
  });

  it('refuses duplicates, existing members and invalid input', async () => {
    const admin = await signUp(app);
    const email = uniqueEmail('dup');
    await admin.client.ok(INVITE, { input: { invitations: [{ email, roleId: 'consumer' }] } });
    expect(
      errorCode(await admin.client.request(INVITE, { input: { invitations: [{ email, roleId: 'consumer' }] } })),
    ).toBe('CONFLICT');
    expect(
      errorCode(
        await admin.client.request(INVITE, { input: { invitations: [{ email: admin.email, roleId: 'consumer' }] } }),
      ),
    ).toBe('CONFLICT');
    const bad = await admin.client.request(INVITE, { input: { invitations: [{ email: 'nope', roleId: 'consumer' }] } });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(
      errorCode(
        await admin.client.request(INVITE, { input: { invitations: [{ email: uniqueEmail(), roleId: 'owner' }] } }),
      ),
    ).toBe('BAD_USER_INPUT');
    const weak = await app.client().request(ACCEPT, {
      input: { token: await invitationToken(app.db, email), firstName: 'A', lastName: 'B', password: 'weak' },
    });
    expect(errorCode(weak)).toBe('BAD_USER_INPUT');
    expect(weak.errors![0].extensions!.field).toBe('password');
  });

  it('needs members:manage, and nobody invites with more power than they hold', async () => {
    const admin = await signUp(app);
    const consumer = await addMember(app, admin, 'consumer');
    expect(
      errorCode(
        await consumer.client.request(INVITE, {
          input: { invitations: [{ email: uniqueEmail(), roleId: 'consumer' }] },
        }),
      ),
    ).toBe('FORBIDDEN');
    const [{ id: roleId }] = await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES (gen_random_uuid()::text, $1, 'Inviter', 'TENANT', '{members:read,members:manage}') RETURNING id`,
      [admin.organizationId],
    );
    const inviter = await addMember(app, admin, roleId);
    expect(
      errorCode(
        await inviter.client.request(INVITE, { input: { invitations: [{ email: uniqueEmail(), roleId: 'admin' }] } }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      (await inviter.client.request(INVITE, { input: { invitations: [{ email: uniqueEmail(), roleId }] } })).errors,
    ).toBeUndefined();
    const workspaceId = await createWorkspace(admin.client);
    expect(
      errorCode(
        await inviter.client.request(INVITE, {
          input: {
            invitations: [{ email: uniqueEmail(), roleId, workspaceRoles: [{ workspaceId, roleId: 'owner' }] }],
          },
        }),
      ),
    ).toBe('NOT_FOUND');
  });
});

describe('member status and role', () => {
  it('changes a role and deactivates: the session and API keys stop at once, and come back on reactivation', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'builder');
    const { createApiKey } = await member.client.ok(CREATE_API_KEY, { input: { name: 'cli' } });
    const key = withKey(app, createApiKey.secret);
    expect((await key.ok(VIEWER)).viewer.permissions).toContain('workspaces:create');

    await admin.client.ok(UPDATE, { input: { userId: member.userId, roleId: 'consumer' } });
    expect(await eventually(async () => !(await key.ok(VIEWER)).viewer.permissions.includes('workspaces:create'))).toBe(
      true,
    );
    expect((await member.client.ok(VIEWER)).viewer.role.id).toBe('consumer');

    const { updateMember } = await admin.client.ok(UPDATE, { input: { userId: member.userId, status: 'INACTIVE' } });
    expect(updateMember.status).toBe('INACTIVE');
    expect(await eventually(async () => errorCode(await key.request(VIEWER)) === 'UNAUTHENTICATED')).toBe(true);
    expect((await member.client.ok(VIEWER)).viewer).toBeNull();

    await admin.client.ok(UPDATE, { input: { userId: member.userId, status: 'ACTIVE' } });
    expect(await eventually(async () => !(await key.request(VIEWER)).errors)).toBe(true);
    expect(await auditActions(admin.organizationId)).toEqual(expect.arrayContaining(['member.updated']));
  });

  it('refuses members:manage to a consumer and escalation to a custom manager', async () => {
    const admin = await signUp(app);
    const consumer = await addMember(app, admin, 'consumer');
    expect(
      errorCode(await consumer.client.request(UPDATE, { input: { userId: consumer.userId, roleId: 'admin' } })),
    ).toBe('FORBIDDEN');
    const [{ id: roleId }] = await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES (gen_random_uuid()::text, $1, 'Manager', 'TENANT', '{members:read,members:manage}') RETURNING id`,
      [admin.organizationId],
    );
    const manager = await addMember(app, admin, roleId);
    expect(
      errorCode(await manager.client.request(UPDATE, { input: { userId: manager.userId, roleId: 'admin' } })),
    ).toBe('FORBIDDEN');
    expect(
      errorCode(await manager.client.request(UPDATE, { input: { userId: admin.userId, status: 'INACTIVE' } })),
    ).toBe('FORBIDDEN');
    expect(errorCode(await manager.client.request(REMOVE, { userId: admin.userId }))).toBe('FORBIDDEN');
    expect(errorCode(await admin.client.request(UPDATE, { input: { userId: admin.userId, status: 'INVITED' } }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('keeps the last active Admin: no self-demotion, deactivation or removal', async () => {
    const admin = await signUp(app);
    await addMember(app, admin, 'consumer');
    for (const input of [{ roleId: 'consumer' }, { status: 'INACTIVE' }]) {
      const result = await admin.client.request(UPDATE, { input: { userId: admin.userId, ...input } });
      expect(errorCode(result)).toBe('CONFLICT');
      expect(result.errors![0].message).toMatch(/Admin/);
    }
    expect(errorCode(await admin.client.request(REMOVE, { userId: admin.userId }))).toBe('CONFLICT');
    expect((await admin.client.ok(VIEWER)).viewer.role.id).toBe('admin');
  });

  it('leaves one Admin when two Admins demote each other in parallel', async () => {
    for (let round = 0; round < 3; round += 1) {
      const first = await signUp(app);
      const second = await addMember(app, first, 'admin');
      const results = await Promise.all([
        first.client.request(UPDATE, { input: { userId: second.userId, roleId: 'consumer' } }),
        second.client.request(UPDATE, { input: { userId: first.userId, roleId: 'consumer' } }),
      ]);
      const codes = results.map((result) => errorCode(result) ?? 'OK').sort();
      expect([
        ['CONFLICT', 'OK'],
        ['FORBIDDEN', 'OK'],
      ]).toContainEqual(codes);
      const [{ count }] = await app.db.query(
        `SELECT count(*)::int AS count FROM memberships WHERE organization_id = $1 AND role_id = 'admin' AND status = 'ACTIVE'`,
        [first.organizationId],
      );
      expect(count).toBe(1);
    }
  });

  it('removes a member with their keys, groups and workspace roles in the organization', async () => {
    const admin = await signUp(app);
    const groupId = await createGroup(admin.client);
    const workspaceId = await createWorkspace(admin.client);
    const member = await addMember(app, admin, 'builder', {
      groupIds: [groupId],
      workspaceRoles: [{ workspaceId, roleId: 'viewer' }],
    });
    const { createApiKey } = await member.client.ok(CREATE_API_KEY, { input: { name: 'cli' } });
    const key = withKey(app, createApiKey.secret);
    await key.ok(VIEWER);
    expect((await admin.client.ok(REMOVE, { userId: member.userId })).removeMember).toBe(member.userId);
    expect(await eventually(async () => errorCode(await key.request(VIEWER)) === 'UNAUTHENTICATED')).toBe(true);
    expect((await member.client.ok(VIEWER)).viewer).toBeNull();
    const [{ groups, roles }] = await app.db.query(
      `SELECT (SELECT count(*)::int FROM group_members WHERE user_id = $1) AS groups,
              (SELECT count(*)::int FROM workspace_members WHERE user_id = $1) AS roles`,
      [member.userId],
    );
    expect({ groups, roles }).toEqual({ groups: 0, roles: 0 });
    expect(await auditActions(admin.organizationId)).toContain('member.removed');
  });
});

describe('members list', () => {
  it('filters by status, role and search, and pages by email', async () => {
    const admin = await signUp(app);
    const builder = await addMember(app, admin, 'builder');
    await addMember(app, admin, 'consumer');
    await admin.client.ok(INVITE, { input: { invitations: [{ email: uniqueEmail('pending'), roleId: 'consumer' }] } });
    const all = (await admin.client.ok(MEMBERS, {})).members.nodes;
    expect(all).toHaveLength(4);
    expect(all.map((m: { email: string }) => m.email)).toEqual([...all.map((m: { email: string }) => m.email)].sort());
    const builders = (await admin.client.ok(MEMBERS, { filter: { roleId: 'builder' } })).members.nodes;
    expect(builders.map((m: { id: string }) => m.id)).toEqual([builder.userId]);
    const found = (await admin.client.ok(MEMBERS, { filter: { search: builder.email.slice(0, 14).toUpperCase() } }))
      .members.nodes;
    expect(found.map((m: { id: string }) => m.id)).toEqual([builder.userId]);

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await admin.client.ok(MEMBERS, { first: 3, after })).members;
      seen.push(...page.nodes.map((m: { id: string }) => m.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.map((m: { id: string }) => m.id));
    expect(errorCode(await admin.client.request(MEMBERS, { after: 'garbage' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await app.client().request(MEMBERS, {}))).toBe('UNAUTHENTICATED');
  });

  it('lists 100 members with their groups and workspaces in a constant number of SQL statements', async () => {
    const admin = await signUp(app);
    const groupId = await createGroup(admin.client);
    const workspaceId = await createWorkspace(admin.client);
    await app.db.query(
      `INSERT INTO workspace_members (workspace_id, organization_id, group_id, role_id) VALUES ($1, $2, $3, 'viewer')`,
      [workspaceId, admin.organizationId, groupId],
    );
    const addPeople = async (count: number) => {
      const users = await app.db.query(
        `INSERT INTO users (email, first_name) SELECT 'bulk-' || gen_random_uuid() || '@example.test', 'Bulk' FROM generate_series(1, $1) RETURNING id`,
        [count],
      );
      const ids = users.map((u: { id: string }) => u.id);
      await app.db.query(
        `INSERT INTO memberships (organization_id, user_id, role_id) SELECT $1, unnest($2::uuid[]), 'consumer'`,
        [admin.organizationId, ids],
      );
      await app.db.query(
        `INSERT INTO group_members (group_id, user_id, organization_id) SELECT $1, unnest($2::uuid[]), $3`,
        [groupId, ids, admin.organizationId],
      );
      await app.db.query(
        `INSERT INTO workspace_members (workspace_id, organization_id, user_id, role_id) SELECT $1, $2, unnest($3::uuid[]), 'contributor'`,
        [workspaceId, admin.organizationId, ids],
      );
    };
    const statementsFor = async () => {
      // Adding people to the organization's workspaces drops its cached sessions: reload the caller's first.
      await admin.client.ok(MEMBERS, { first: 100 });
      const spy = jest.spyOn(Client.prototype, 'query');
      try {
        const result = await admin.client.ok(MEMBERS, { first: 100 });
        return { count: spy.mock.calls.length, rows: result.members.nodes.length };
      } finally {
        spy.mockRestore();
      }
    };
    await addPeople(4);
    const few = await statementsFor();
    await addPeople(100);
    const many = await statementsFor();
    expect(few.rows).toBe(5);
    expect(many.rows).toBe(100);
    expect(many.count).toBe(few.count);
    expect(many.count).toBeLessThanOrEqual(12);
  });
});
