import { setTimeout as sleep } from 'node:timers/promises';
import { ALL_SCOPES } from '@gatehouse/shared';
import { loadConfig } from '../kernel/config';
import { createContext, type RequestContext } from '../kernel/context';
import { JOBS } from '../app/jobs';
import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import { expectAuditEvent } from '../test/audit';
import {
  CREATE_API_KEY,
  SET_WORKSPACE_ROLE,
  addMember,
  createGroup,
  createWorkspace,
  withKey,
} from '../test/access-fixtures';
import { EXPIRE_GRANTS_JOB, expireGrants } from './grant-expiry';

/*
 * The clock is the real one: grants are given for about two seconds and the test waits them
 * out. Nothing is mocked, so the database's now() in the views, the membership revert on load in
 * Node and the API key cache are all checked against the same time that production uses.
 */
const SHORT_MS = 2000;

const UPDATE = `mutation($input: UpdateMemberInput!) {
  updateMember(input: $input) { id role { id } roleExpiresAt roleAfterExpiry { id } }
}`;
const VIEWER = `{ viewer { role { id } permissions } }`;
const WORKSPACE_PERMISSIONS = `{ workspaces { id viewerPermissions } }`;
const ADD_TO_GROUP = `mutation($groupId: ID!, $principalIds: [ID!]!, $expiresAt: DateTime) {
  addGroupMembers(groupId: $groupId, principalIds: $principalIds, expiresAt: $expiresAt) { id }
}`;
const EFFECTIVE = `query { workspaces { id effectiveMembers { principal { id } role { id } sources { kind expiresAt } } } }`;

let app: TestApp;
let system: RequestContext;
beforeAll(async () => {
  app = await startTestApp();
  system = await createContext(
    {
      db: app.db,
      config: loadConfig(),
      authenticator: { authenticate: async () => ({ auth: null, rejected: false }) },
    },
    { requestId: 'time-bound-grants-test' },
  );
});
afterAll(() => app.close());

const soon = () => new Date(Date.now() + SHORT_MS).toISOString();
const waitPast = (iso: string) => sleep(Math.max(0, new Date(iso).getTime() - Date.now()) + 150);

async function workspacePermissions(client: import('../test/harness').TestClient, workspaceId: string) {
  const { workspaces } = await client.ok(WORKSPACE_PERMISSIONS);
  return workspaces.find((w: { id: string }) => w.id === workspaceId)?.viewerPermissions ?? null;
}

describe('time-bound grants', () => {
  it('a tenant role given until a time lapses then for the session and a cached API key, and the job reverts and records it', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'consumer');
    const { createApiKey } = await member.client.ok(CREATE_API_KEY, { input: { name: 'cli', scopes: [ALL_SCOPES] } });
    const key = withKey(app, createApiKey.secret);
    expect((await key.ok(VIEWER)).viewer.permissions).not.toContain('members:manage');

    const until = soon();
    const { updateMember } = await admin.client.ok(UPDATE, {
      input: { userId: member.userId, roleId: 'admin', expiresAt: until },
    });
    expect(updateMember).toEqual({
      id: member.userId,
      role: { id: 'admin' },
      roleExpiresAt: until,
      roleAfterExpiry: { id: 'consumer' },
    });
    await expectAuditEvent(app.db, {
      mutation: 'updateMember',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'member.updated',
      actorId: admin.userId,
      targetId: member.userId,
    });
    // The key is now cached with the elevated role; its cache entry must end with the role.
    expect((await key.ok(VIEWER)).viewer.permissions).toContain('members:manage');
    expect((await member.client.ok(VIEWER)).viewer.role.id).toBe('admin');

    await waitPast(until);
    // Before any cleanup: the row still says admin, yet nobody acts as one.
    const [row] = await app.db.query('SELECT role_id FROM memberships WHERE user_id = $1', [member.userId]);
    expect(row.role_id).toBe('admin');
    expect((await member.client.ok(VIEWER)).viewer).toEqual({
      role: { id: 'consumer' },
      permissions: expect.not.arrayContaining(['members:manage']),
    });
    expect((await key.ok(VIEWER)).viewer.permissions).not.toContain('members:manage');
    expect(errorCode(await member.client.request(UPDATE, { input: { userId: member.userId, roleId: 'admin' } }))).toBe(
      'FORBIDDEN',
    );

    expect(await expireGrants(system)).toBeGreaterThanOrEqual(1);
    const [after] = await app.db.query(
      'SELECT role_id, base_role_id, role_expires_at FROM memberships WHERE user_id = $1',
      [member.userId],
    );
    expect(after).toEqual({ role_id: 'consumer', base_role_id: null, role_expires_at: null });
    const event = await expectAuditEvent(app.db, {
      mutation: 'access.expired',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'access.expired',
      actorId: null,
      targetId: member.userId,
    });
    expect(event.actor_type).toBe('SYSTEM');
    expect(event.changes).toMatchObject({ role: { before: 'admin', after: 'consumer' } });
  });

  it('extends a time-bound role (keeping what it reverts to) and ends it early by giving the base role', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'consumer');
    await admin.client.ok(UPDATE, { input: { userId: member.userId, roleId: 'builder', expiresAt: soon() } });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const { updateMember: extended } = await admin.client.ok(UPDATE, {
      input: { userId: member.userId, roleId: 'builder', expiresAt: later },
    });
    expect(extended).toMatchObject({
      role: { id: 'builder' },
      roleExpiresAt: later,
      roleAfterExpiry: { id: 'consumer' },
    });
    const { updateMember: ended } = await admin.client.ok(UPDATE, {
      input: { userId: member.userId, roleId: 'consumer' },
    });
    expect(ended).toMatchObject({ role: { id: 'consumer' }, roleExpiresAt: null, roleAfterExpiry: null });
  });

  it('refuses an end in the past and a time-bound grant of the role already held', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'consumer');
    const past = await admin.client.request(UPDATE, {
      input: { userId: member.userId, roleId: 'builder', expiresAt: new Date(Date.now() - 1000).toISOString() },
    });
    expect(errorCode(past)).toBe('BAD_USER_INPUT');
    expect(past.errors?.[0]?.extensions?.field).toBe('expiresAt');
    const same = await admin.client.request(UPDATE, {
      input: { userId: member.userId, roleId: 'consumer', expiresAt: soon() },
    });
    expect(errorCode(same)).toBe('BAD_USER_INPUT');
  });

  it('a time-bound Admin does not count as the Admin an organization must keep', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'consumer');
    await admin.client.ok(UPDATE, {
      input: { userId: member.userId, roleId: 'admin', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    const demoted = await member.client.request(UPDATE, { input: { userId: admin.userId, roleId: 'builder' } });
    expect(errorCode(demoted)).toBe('CONFLICT');
  });

  it('a workspace role given until a time reverts to the role held before; the job writes it back', async () => {
    const owner = await signUp(app);
    const member = await addMember(app, owner, 'consumer');
    const workspaceId = await createWorkspace(owner.client);
    await owner.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: member.userId, roleId: 'viewer' } });
    const until = soon();
    await owner.client.ok(SET_WORKSPACE_ROLE, {
      input: { workspaceId, principalId: member.userId, roleId: 'contributor', expiresAt: until },
    });
    await expectAuditEvent(app.db, {
      mutation: 'setWorkspaceRole',
      organizationId: owner.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'workspace.roleSet',
      actorId: owner.userId,
      targetId: member.userId,
    });
    expect(await workspacePermissions(member.client, workspaceId)).toEqual(['workspace:read', 'workspace:use']);
    const { workspaces } = await owner.client.ok(EFFECTIVE);
    const entry = workspaces
      .find((w: { id: string }) => w.id === workspaceId)
      .effectiveMembers.find((m: { principal: { id: string } }) => m.principal.id === member.userId);
    expect(entry).toEqual({
      principal: { id: member.userId },
      role: { id: 'contributor' },
      sources: [{ kind: 'DIRECT', expiresAt: until }],
    });

    await waitPast(until);
    expect(await workspacePermissions(member.client, workspaceId)).toEqual(['workspace:read']);
    await expireGrants(system);
    const rows = await app.db.query('SELECT role_id, expires_at FROM workspace_members WHERE user_id = $1', [
      member.userId,
    ]);
    expect(rows).toEqual([{ role_id: 'viewer', expires_at: null }]);
    const event = await expectAuditEvent(app.db, {
      mutation: 'access.expired',
      organizationId: owner.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'access.expired',
      actorId: null,
      targetId: member.userId,
    });
    expect(event.workspace_id).toBe(workspaceId);
  });

  it('a new workspace role with an end is removed at that end', async () => {
    const owner = await signUp(app);
    const member = await addMember(app, owner, 'consumer');
    const workspaceId = await createWorkspace(owner.client);
    const until = soon();
    await owner.client.ok(SET_WORKSPACE_ROLE, {
      input: { workspaceId, principalId: member.userId, roleId: 'viewer', expiresAt: until },
    });
    expect(await workspacePermissions(member.client, workspaceId)).toEqual(['workspace:read']);
    await waitPast(until);
    expect(await workspacePermissions(member.client, workspaceId)).toBeNull();
    await expireGrants(system);
    expect(await app.db.query('SELECT 1 FROM workspace_members WHERE user_id = $1', [member.userId])).toEqual([]);
  });

  it('a group membership with an end takes the group’s workspace roles with it', async () => {
    const owner = await signUp(app);
    const member = await addMember(app, owner, 'consumer');
    const workspaceId = await createWorkspace(owner.client);
    const groupId = await createGroup(owner.client);
    await owner.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: groupId, roleId: 'contributor' } });
    const until = soon();
    await owner.client.ok(ADD_TO_GROUP, { groupId, principalIds: [member.userId], expiresAt: until });
    await expectAuditEvent(app.db, {
      mutation: 'addGroupMembers',
      organizationId: owner.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'group.membersAdded',
      actorId: owner.userId,
      targetId: groupId,
    });
    expect(await workspacePermissions(member.client, workspaceId)).toEqual(['workspace:read', 'workspace:use']);
    await waitPast(until);
    expect(await workspacePermissions(member.client, workspaceId)).toBeNull();
    await expireGrants(system);
    expect(await app.db.query('SELECT 1 FROM group_members WHERE user_id = $1', [member.userId])).toEqual([]);
  });

  it('instances expiring at once record each grant once', async () => {
    const admin = await signUp(app);
    const workspaceId = await createWorkspace(admin.client);
    const members = await Promise.all([1, 2, 3].map(() => addMember(app, admin, 'consumer')));
    const until = soon();
    for (const member of members) {
      await admin.client.ok(SET_WORKSPACE_ROLE, {
        input: { workspaceId, principalId: member.userId, roleId: 'viewer', expiresAt: until },
      });
    }
    await waitPast(until);
    await Promise.all([expireGrants(system), expireGrants(system), expireGrants(system)]);
    const [{ count }] = await app.db.query(
      `SELECT count(*)::int AS count FROM audit_events WHERE organization_id = $1 AND action = 'access.expired'`,
      [admin.organizationId],
    );
    expect(count).toBe(3);
  });

  it('the expiry job is registered to run every minute and is scheduled at each end', async () => {
    expect(JOBS.find((job) => job.name === EXPIRE_GRANTS_JOB)?.cron).toBe('* * * * *');
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'consumer');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await admin.client.ok(UPDATE, { input: { userId: member.userId, roleId: 'builder', expiresAt: until } });
    const jobs = await app.db.query(`SELECT run_at FROM graphile_worker.jobs WHERE key = $1`, [
      `${EXPIRE_GRANTS_JOB}:${until}`,
    ]);
    expect(jobs.map((job: { run_at: Date }) => job.run_at.toISOString())).toEqual([until]);
  });
});
