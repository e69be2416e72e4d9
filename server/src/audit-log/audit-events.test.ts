import { STRONG_PASSWORD, TestApp, signUp, startTestApp, uniqueEmail } from '../test/harness';
import { ACCEPT, CREATE_API_KEY, INVITE, createGroup, createWorkspace, invitationToken } from '../test/access-fixtures';
import { expectAuditEvent, type ExpectedAuditEvent } from '../test/audit';

/**
 * One walk through every mutation, asserting the event each one records: its category, action,
 * actor and target. The audit coverage test fails when a mutation has no such assertion.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type Expected = Omit<ExpectedAuditEvent, 'organizationId' | 'actorId'>;

describe('every mutation records its event', () => {
  it('records personal actions as User actions', async () => {
    const admin = await signUp(app);
    const expectEvent = (expected: Expected, actorId: string = admin.userId) =>
      expectAuditEvent(app.db, { organizationId: admin.organizationId, actorId, ...expected });
    const self = { targetId: admin.userId, category: 'USER_ACTIONS' } as const;

    await expectEvent({ mutation: 'signUp', action: 'user.signedUp', ...self });

    const browser = app.client();
    await browser.ok(`mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }`, {
      input: { email: admin.email, password: admin.password },
    });
    await expectEvent({ mutation: 'signIn', action: 'user.signedIn', ...self });
    await browser.request(`mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }`, {
      input: { email: admin.email, password: 'Wrong-password-1' },
    });
    await expectEvent({ mutation: 'signIn', action: 'user.signInFailed', outcome: 'FAILURE', ...self });

    await admin.client.ok(`mutation { updateProfile(input: { firstName: "Grace" }) { id } }`);
    await expectEvent({ mutation: 'updateProfile', action: 'user.profileUpdated', ...self });

    await admin.client.ok(`mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`, {
      input: { currentPassword: admin.password, newPassword: 'Another-Secret-99' },
    });
    await expectEvent({ mutation: 'changePassword', action: 'user.passwordChanged', ...self });

    const { createApiKey } = await admin.client.ok(CREATE_API_KEY, { input: { name: 'Deploy' } });
    const keyId = createApiKey.apiKey.id;
    const key = { targetId: keyId, category: 'USER_ACTIONS' } as const;
    await expectEvent({ mutation: 'createApiKey', action: 'apiKey.created', ...key });
    await admin.client.ok(`mutation($id: ID!) { updateApiKey(id: $id, input: { name: "Deploy 2" }) { id } }`, {
      id: keyId,
    });
    await expectEvent({ mutation: 'updateApiKey', action: 'apiKey.updated', ...key });
    await admin.client.ok(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: keyId });
    await expectEvent({ mutation: 'revokeApiKey', action: 'apiKey.revoked', ...key });
    await admin.client.ok(`mutation($id: ID!) { deleteApiKey(id: $id) }`, { id: keyId });
    await expectEvent({ mutation: 'deleteApiKey', action: 'apiKey.deleted', ...key });
    const { apiKeys } = await admin.client.ok(`{ apiKeys { id isDefault } }`);
    const defaultKey = apiKeys.find((candidate: { isDefault: boolean }) => candidate.isDefault).id;
    await admin.client.ok(`mutation($id: ID!) { rotateApiKey(id: $id) { secret } }`, { id: defaultKey });
    await expectEvent({
      mutation: 'rotateApiKey',
      action: 'apiKey.rotated',
      targetId: defaultKey,
      category: 'USER_ACTIONS',
    });

    const { createOrganization } = await admin.client.ok(
      `mutation { createOrganization(input: { name: "Second" }) { organization { id } } }`,
    );
    await admin.client.ok(`mutation($id: ID!) { switchOrganization(organizationId: $id) { user { id } } }`, {
      id: admin.organizationId,
    });
    await expectEvent({
      mutation: 'switchOrganization',
      action: 'organization.switched',
      targetId: admin.organizationId,
      category: 'USER_ACTIONS',
    });
    expect(createOrganization.organization.id).not.toBe(admin.organizationId);

    await admin.client.ok(`mutation { signOut }`);
    await expectEvent({ mutation: 'signOut', action: 'user.signedOut', ...self });
  });

  it('records changes to members, invitations, service accounts, groups, roles and workspaces as System configuration', async () => {
    const admin = await signUp(app);
    const expectEvent = (expected: Omit<Expected, 'category'>, actorId: string = admin.userId) =>
      expectAuditEvent(app.db, {
        organizationId: admin.organizationId,
        actorId,
        category: 'SYSTEM_CONFIGURATION',
        ...expected,
      });

    const email = uniqueEmail('audited');
    const [invitation] = (await admin.client.ok(INVITE, { input: { invitations: [{ email, roleId: 'consumer' }] } }))
      .inviteMembers;
    await expectEvent({ mutation: 'inviteMembers', action: 'invitation.created', targetId: invitation.id });
    await admin.client.ok(`mutation($id: ID!) { resendInvitation(id: $id) { id } }`, { id: invitation.id });
    await expectEvent({ mutation: 'resendInvitation', action: 'invitation.resent', targetId: invitation.id });
    const accepted = await app.client().ok(ACCEPT, {
      input: {
        token: await invitationToken(app.db, email),
        firstName: 'Ada',
        lastName: 'L',
        password: STRONG_PASSWORD,
      },
    });
    const newcomer = accepted.acceptInvitation.user.id;
    await expectEvent(
      { mutation: 'acceptInvitation', action: 'invitation.accepted', targetId: invitation.id },
      newcomer,
    );

    const cancelled = (
      await admin.client.ok(INVITE, { input: { invitations: [{ email: uniqueEmail('cancel'), roleId: 'consumer' }] } })
    ).inviteMembers[0];
    await admin.client.ok(`mutation($id: ID!) { cancelInvitation(id: $id) }`, { id: cancelled.id });
    await expectEvent({ mutation: 'cancelInvitation', action: 'invitation.cancelled', targetId: cancelled.id });

    await admin.client.ok(`mutation($input: UpdateMemberInput!) { updateMember(input: $input) { id } }`, {
      input: { userId: newcomer, roleId: 'builder' },
    });
    await expectEvent({ mutation: 'updateMember', action: 'member.updated', targetId: newcomer });

    const { createServiceAccount } = await admin.client.ok(
      `mutation { createServiceAccount(input: { name: "CI", roleId: "consumer" }) { serviceAccount { id } } }`,
    );
    const accountId = createServiceAccount.serviceAccount.id;
    await expectEvent({ mutation: 'createServiceAccount', action: 'serviceAccount.created', targetId: accountId });
    await admin.client.ok(`mutation($id: ID!) { updateServiceAccount(id: $id, input: { name: "CI 2" }) { id } }`, {
      id: accountId,
    });
    await expectEvent({ mutation: 'updateServiceAccount', action: 'serviceAccount.updated', targetId: accountId });

    const groupId = await createGroup(admin.client);
    await expectEvent({ mutation: 'createGroup', action: 'group.created', targetId: groupId });
    await admin.client.ok(`mutation($id: ID!) { updateGroup(id: $id, input: { description: "On call" }) { id } }`, {
      id: groupId,
    });
    await expectEvent({ mutation: 'updateGroup', action: 'group.updated', targetId: groupId });
    const members = { groupId, principalIds: [newcomer, accountId] };
    await admin.client.ok(
      `mutation($groupId: ID!, $principalIds: [ID!]!) { addGroupMembers(groupId: $groupId, principalIds: $principalIds) { id } }`,
      members,
    );
    await expectEvent({ mutation: 'addGroupMembers', action: 'group.membersAdded', targetId: groupId });
    await admin.client.ok(
      `mutation($groupId: ID!, $principalIds: [ID!]!) { removeGroupMembers(groupId: $groupId, principalIds: $principalIds) { id } }`,
      members,
    );
    await expectEvent({ mutation: 'removeGroupMembers', action: 'group.membersRemoved', targetId: groupId });

    const workspaceId = await createWorkspace(admin.client);
    await expectEvent({ mutation: 'createWorkspace', action: 'workspace.created', targetId: workspaceId });
    await admin.client.ok(`mutation($id: ID!) { updateWorkspace(id: $id, input: { description: "Lake" }) { id } }`, {
      id: workspaceId,
    });
    await expectEvent({ mutation: 'updateWorkspace', action: 'workspace.updated', targetId: workspaceId });
    await admin.client.ok(`mutation($input: SetWorkspaceRoleInput!) { setWorkspaceRole(input: $input) { id } }`, {
      input: { workspaceId, principalId: groupId, roleId: 'viewer' },
    });
    const roleSet = await expectEvent({ mutation: 'setWorkspaceRole', action: 'workspace.roleSet', targetId: groupId });
    expect(roleSet.workspace_id).toBe(workspaceId);
    await admin.client.ok(
      `mutation($w: ID!, $p: ID!) { removeWorkspaceMember(workspaceId: $w, principalId: $p) { id } }`,
      { w: workspaceId, p: groupId },
    );
    await expectEvent({ mutation: 'removeWorkspaceMember', action: 'workspace.memberRemoved', targetId: groupId });
    await admin.client.ok(`mutation($id: ID!) { deleteWorkspace(id: $id) }`, { id: workspaceId });
    await expectEvent({ mutation: 'deleteWorkspace', action: 'workspace.deleted', targetId: workspaceId });

    const { createRole } = await admin.client.ok(
      `mutation { createRole(input: { name: "Readers", scope: TENANT, permissions: ["members:read"] }) { id } }`,
    );
    await expectEvent({ mutation: 'createRole', action: 'role.created', targetId: createRole.id });
    await admin.client.ok(`mutation($id: ID!) { updateRole(id: $id, input: { description: "Read only" }) { id } }`, {
      id: createRole.id,
    });
    await expectEvent({ mutation: 'updateRole', action: 'role.updated', targetId: createRole.id });
    await admin.client.ok(`mutation($id: ID!) { deleteRole(id: $id) }`, { id: createRole.id });
    await expectEvent({ mutation: 'deleteRole', action: 'role.deleted', targetId: createRole.id });

    await admin.client.ok(`mutation($id: ID!) { deleteGroup(id: $id) }`, { id: groupId });
    await expectEvent({ mutation: 'deleteGroup', action: 'group.deleted', targetId: groupId });
    await admin.client.ok(`mutation($id: ID!) { deleteServiceAccount(id: $id) }`, { id: accountId });
    await expectEvent({ mutation: 'deleteServiceAccount', action: 'serviceAccount.deleted', targetId: accountId });
    await admin.client.ok(`mutation($id: ID!) { removeMember(userId: $id) }`, { id: newcomer });
    await expectEvent({ mutation: 'removeMember', action: 'member.removed', targetId: newcomer });
  });
});
