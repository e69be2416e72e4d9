import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import { CREATE_API_KEY, addMember, createWorkspace } from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';

const DELETE = `mutation($c: String!) { deleteAccount(confirmation: $c) }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('account deletion', () => {
  it('needs the confirmation phrase, and is refused to the last Admin of an organization with other members', async () => {
    const admin = await signUp(app);
    await addMember(app, admin);
    const typo = await admin.client.request(DELETE, { c: 'delete my acount' });
    expect([errorCode(typo), typo.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'confirmation']);
    const refused = await admin.client.request(DELETE, { c: 'delete my account' });
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors![0].message).toMatch(/last Admin of .+, which has other members/);
    expect((await admin.client.request(`{ viewer { user { id } } }`)).data!.viewer).not.toBeNull();
  });

  it('erases personal data, ends sessions and keys, deletes organizations it alone was in, and keeps the audit trail', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin);
    await createWorkspace(admin.client);
    const { createApiKey } = await member.client.ok(CREATE_API_KEY, { input: { name: 'Mine' } });
    const solo = (
      await member.client.ok(`mutation { createOrganization(input: { name: "Solo" }) { organization { id } } }`)
    ).createOrganization.organization.id;

    expect(await member.client.ok(DELETE, { c: 'Delete my account' })).toEqual({ deleteAccount: true });
    await expectAuditEvent(app.db, {
      mutation: 'deleteAccount',
      organizationId: admin.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.deleted',
      actorId: member.userId,
      targetId: member.userId,
    });
    const [user] = await app.db.query(
      'SELECT email, first_name, last_name, username, password_hash FROM users WHERE id = $1',
      [member.userId],
    );
    expect(user).toEqual({
      email: `deleted-${member.userId}@deleted.invalid`,
      first_name: 'Deleted',
      last_name: 'user',
      username: null,
      password_hash: null,
    });
    const [{ memberships, keys, organizations }] = await app.db.query(
      `SELECT (SELECT count(*)::int FROM memberships WHERE user_id = $1) AS memberships,
              (SELECT count(*)::int FROM api_keys WHERE owner_id = $1) AS keys,
              (SELECT count(*)::int FROM organizations WHERE id = $2) AS organizations`,
      [member.userId, solo],
    );
    expect({ memberships, keys, organizations }).toEqual({ memberships: 0, keys: 0, organizations: 0 });
    expect((await member.client.request(`{ viewer { user { id } } }`)).data!.viewer).toBeNull();
    const key = app.client();
    key.bearer = createApiKey.secret;
    expect(errorCode(await key.request(`{ viewer { user { id } } }`))).toBe('UNAUTHENTICATED');
    expect(
      errorCode(await app.client().request(SIGN_IN, { input: { email: member.email, password: member.password } })),
    ).toBe('UNAUTHENTICATED');
    const [{ events }] = await app.db.query(
      'SELECT count(*)::int AS events FROM audit_events WHERE organization_id = $1 AND actor_id = $2',
      [admin.organizationId, member.userId],
    );
    expect(events).toBeGreaterThan(1);
    const verify = await admin.client.ok(`{ verifyAuditLog { ok } }`);
    expect(verify.verifyAuditLog.ok).toBe(true);
  });
});
