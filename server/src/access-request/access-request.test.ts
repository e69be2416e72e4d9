import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import { SmtpCatcher, decodeQuotedPrintable, startSmtpCatcher } from '../test/smtp-catcher';
import { expectAuditEvent } from '../test/audit';
import { SET_WORKSPACE_ROLE, addMember, createWorkspace } from '../test/access-fixtures';

const FIELDS = `id status durationMinutes reason decisionComment grantedUntil viewerCanDecide
  requester { id } role { id } workspace { id } decidedBy { id }`;
const REQUEST = `mutation($input: RequestAccessInput!) { requestAccess(input: $input) { ${FIELDS} } }`;
const LIST = `query($status: AccessRequestStatus) { accessRequests(status: $status) { ${FIELDS} } }`;
const APPROVE = `mutation($input: ApproveAccessRequestInput!) { approveAccessRequest(input: $input) { ${FIELDS} } }`;
const DENY = `mutation($input: DenyAccessRequestInput!) { denyAccessRequest(input: $input) { ${FIELDS} } }`;
const CREATE_ROLE = `mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }`;
const ME = `{ viewer { role { id } } members { nodes { id roleExpiresAt roleAfterExpiry { id } } } }`;

let smtp: SmtpCatcher;
let app: TestApp;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
  app = await startTestApp({ smtpUrl: smtp.url, publicUrl: 'https://gatehouse.example.test' });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

describe('access requests', () => {
  it('request → approvers emailed → approved for less time than asked → the role is held until then', async () => {
    const admin = await signUp(app);
    const requester = await addMember(app, admin, 'consumer');
    const { requestAccess } = await requester.client.ok(REQUEST, {
      input: { roleId: 'builder', durationMinutes: 120, reason: 'Release night' },
    });
    expect(requestAccess).toMatchObject({
      status: 'PENDING',
      durationMinutes: 120,
      requester: { id: requester.userId },
      role: { id: 'builder' },
      workspace: null,
      viewerCanDecide: false,
    });
    await expectAuditEvent(app.db, {
      mutation: 'requestAccess',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessRequest.created',
      actorId: requester.userId,
      targetId: requestAccess.id,
    });
    const email = decodeQuotedPrintable((await smtp.waitFor(admin.email, /asks for/)).raw);
    expect(email).toMatch(/Invited consumer asks for the Builder role for 120 minutes/);
    expect(email).toMatch(/Reason: Release night/);
    expect(email).toContain('https://gatehouse.example.test/settings/access-requests');

    const listed = (await admin.client.ok(LIST, { status: 'PENDING' })).accessRequests;
    expect(listed).toEqual([expect.objectContaining({ id: requestAccess.id, viewerCanDecide: true })]);

    const tooLong = await admin.client.request(APPROVE, { input: { id: requestAccess.id, durationMinutes: 121 } });
    expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
    const before = Date.now();
    const { approveAccessRequest } = await admin.client.ok(APPROVE, {
      input: { id: requestAccess.id, durationMinutes: 30, comment: 'Half an hour' },
    });
    expect(approveAccessRequest).toMatchObject({
      status: 'APPROVED',
      decisionComment: 'Half an hour',
      decidedBy: { id: admin.userId },
    });
    const until = new Date(approveAccessRequest.grantedUntil).getTime();
    expect(until).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(until).toBeLessThan(Date.now() + 30 * 60_000 + 1000);
    await expectAuditEvent(app.db, {
      mutation: 'approveAccessRequest',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessRequest.approved',
      actorId: admin.userId,
      targetId: requestAccess.id,
    });
    const me = await requester.client.ok(ME);
    expect(me.viewer.role.id).toBe('builder');
    expect(me.members.nodes.find((m: { id: string }) => m.id === requester.userId)).toMatchObject({
      roleExpiresAt: approveAccessRequest.grantedUntil,
      roleAfterExpiry: { id: 'consumer' },
    });
    await smtp.waitFor(requester.email, /was approved/);
    expect(errorCode(await admin.client.request(APPROVE, { input: { id: requestAccess.id } }))).toBe('CONFLICT');
  });

  it('nobody decides their own request (refused and recorded), even an Admin', async () => {
    const admin = await signUp(app);
    const workspaceId = await createWorkspace(admin.client);
    const other = await addMember(app, admin, 'consumer');
    await admin.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: other.userId, roleId: 'viewer' } });
    const { requestAccess } = await other.client.ok(REQUEST, {
      input: { roleId: 'contributor', workspaceId, durationMinutes: 60, reason: 'Fixing a typo' },
    });
    const self = await other.client.request(APPROVE, { input: { id: requestAccess.id } });
    expect(errorCode(self)).toBe('FORBIDDEN');
    const refused = await expectAuditEvent(app.db, {
      mutation: 'approveAccessRequest',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessRequest.approved',
      actorId: other.userId,
      targetId: requestAccess.id,
      outcome: 'FAILURE',
    });
    expect(refused.failure_reason).toMatch(/your own/);
    // An Admin's own request (for a workspace role it effectively holds anyway) is refused too.
    const { requestAccess: own } = await admin.client.ok(REQUEST, {
      input: { roleId: 'viewer', workspaceId, durationMinutes: 60, reason: 'Mine' },
    });
    expect(errorCode(await admin.client.request(DENY, { input: { id: own.id, comment: 'no' } }))).toBe('FORBIDDEN');
  });

  it('an approver who could not grant the role is refused and not asked', async () => {
    const admin = await signUp(app);
    const { createRole: memberManager } = await admin.client.ok(CREATE_ROLE, {
      input: { name: 'Member manager', scope: 'TENANT', permissions: ['members:read', 'members:manage'] },
    });
    const narrow = await addMember(app, admin, memberManager.id);
    const workspaceId = await createWorkspace(admin.client);
    const { createRole: steward } = await admin.client.ok(CREATE_ROLE, {
      input: { name: 'Steward', scope: 'WORKSPACE', permissions: ['workspace:read', 'workspace:members:manage'] },
    });
    const wsSteward = await addMember(app, admin, 'consumer');
    await admin.client.ok(SET_WORKSPACE_ROLE, {
      input: { workspaceId, principalId: wsSteward.userId, roleId: steward.id },
    });
    const requester = await addMember(app, admin, 'consumer');
    await admin.client.ok(SET_WORKSPACE_ROLE, {
      input: { workspaceId, principalId: requester.userId, roleId: 'viewer' },
    });

    const { requestAccess: asAdmin } = await requester.client.ok(REQUEST, {
      input: { roleId: 'admin', durationMinutes: 60, reason: 'Incident' },
    });
    const { requestAccess: asOwner } = await requester.client.ok(REQUEST, {
      input: { roleId: 'owner', workspaceId, durationMinutes: 60, reason: 'Incident' },
    });
    expect((await narrow.client.ok(LIST)).accessRequests).toEqual([]);
    expect((await wsSteward.client.ok(LIST)).accessRequests).toEqual([]);
    expect(errorCode(await narrow.client.request(APPROVE, { input: { id: asAdmin.id } }))).toBe('FORBIDDEN');
    expect(errorCode(await wsSteward.client.request(APPROVE, { input: { id: asOwner.id } }))).toBe('FORBIDDEN');
    await expectAuditEvent(app.db, {
      mutation: 'approveAccessRequest',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessRequest.approved',
      actorId: wsSteward.userId,
      targetId: asOwner.id,
      outcome: 'FAILURE',
    });
    const emailed = smtp.emails.filter((e) => e.raw.includes('asks for') && e.to.includes(narrow.email.toLowerCase()));
    expect(emailed).toEqual([]);
    // The Admin can grant both.
    const { approveAccessRequest } = await admin.client.ok(APPROVE, { input: { id: asOwner.id } });
    expect(approveAccessRequest.status).toBe('APPROVED');
  });

  it('denies with a comment the requester sees', async () => {
    const admin = await signUp(app);
    const requester = await addMember(app, admin, 'consumer');
    const { requestAccess } = await requester.client.ok(REQUEST, {
      input: { roleId: 'builder', durationMinutes: 60, reason: 'Curious' },
    });
    const duplicate = await requester.client.request(REQUEST, {
      input: { roleId: 'builder', durationMinutes: 30, reason: 'Again' },
    });
    expect(errorCode(duplicate)).toBe('CONFLICT');
    expect(errorCode(await admin.client.request(DENY, { input: { id: requestAccess.id, comment: '' } }))).toBe(
      'BAD_USER_INPUT',
    );
    await admin.client.ok(DENY, { input: { id: requestAccess.id, comment: 'Ask your lead first' } });
    await expectAuditEvent(app.db, {
      mutation: 'denyAccessRequest',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessRequest.denied',
      actorId: admin.userId,
      targetId: requestAccess.id,
    });
    expect((await requester.client.ok(LIST)).accessRequests).toEqual([
      expect.objectContaining({ status: 'DENIED', decisionComment: 'Ask your lead first', grantedUntil: null }),
    ]);
    expect((await requester.client.ok(ME)).viewer.role.id).toBe('consumer');
  });

  it("answers NOT_FOUND for another organization's requests, workspaces and roles", async () => {
    const a = await signUp(app);
    const b = await signUp(app);
    const requester = await addMember(app, a, 'consumer');
    const { requestAccess } = await requester.client.ok(REQUEST, {
      input: { roleId: 'builder', durationMinutes: 60, reason: 'Work' },
    });
    expect(errorCode(await b.client.request(APPROVE, { input: { id: requestAccess.id } }))).toBe('NOT_FOUND');
    expect(errorCode(await b.client.request(DENY, { input: { id: requestAccess.id, comment: 'x' } }))).toBe(
      'NOT_FOUND',
    );
    expect((await b.client.ok(LIST)).accessRequests).toEqual([]);
    const workspaceB = await createWorkspace(b.client);
    const { createRole } = await b.client.ok(CREATE_ROLE, {
      input: { name: 'B only', scope: 'TENANT', permissions: ['members:read'] },
    });
    const input = { durationMinutes: 60, reason: 'Sneaky' };
    expect(
      errorCode(
        await requester.client.request(REQUEST, { input: { ...input, roleId: 'viewer', workspaceId: workspaceB } }),
      ),
    ).toBe('NOT_FOUND');
    expect(errorCode(await requester.client.request(REQUEST, { input: { ...input, roleId: createRole.id } }))).toBe(
      'NOT_FOUND',
    );
  });
});
