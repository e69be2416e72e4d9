import { STRONG_PASSWORD, TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import { addAnotherAdmin } from '../test/access-fixtures';

const UPDATE_PROFILE = `mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) { id username firstName lastName theme }
}`;
const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }`;
const VIEWER = `{ viewer { user { id username firstName lastName theme } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const uniqueUsername = () => `u.${Math.random().toString(36).slice(2, 12)}`;

describe('updateProfile', () => {
  it('saves each field on its own and records what changed', async () => {
    const { client, userId, organizationId } = await signUp(app);
    const username = uniqueUsername();
    await client.ok(UPDATE_PROFILE, { input: { username } });
    const result = await client.ok(UPDATE_PROFILE, { input: { firstName: ' Augusta ', theme: 'DARK' } });
    expect(result.updateProfile).toEqual({
      id: userId,
      username,
      firstName: 'Augusta',
      lastName: 'Lovelace',
      theme: 'DARK',
    });
    expect((await client.ok(VIEWER)).viewer.user.theme).toBe('DARK');
    const [event] = await app.db.query(
      `SELECT changes FROM audit_events WHERE organization_id = $1 AND action = 'user.profileUpdated' ORDER BY sequence DESC LIMIT 1`,
      [organizationId],
    );
    expect(event.changes).toEqual({
      firstName: { before: 'Ada', after: 'Augusta' },
      theme: { before: 'SYSTEM', after: 'DARK' },
    });
  });

  it('refuses a username someone else has, with CONFLICT at the field', async () => {
    const taken = uniqueUsername();
    await (await signUp(app)).client.ok(UPDATE_PROFILE, { input: { username: taken } });
    const { client } = await signUp(app);
    const result = await client.request(UPDATE_PROFILE, { input: { username: taken } });
    expect(errorCode(result)).toBe('CONFLICT');
    expect(result.errors![0].extensions!.field).toBe('username');
    expect(result.errors![0].message).toBe('That username is taken.');
  });

  it.each([['ab'], ['Upper.Case'], ['has space'], ['x'.repeat(33)], ['emoji😀x']])(
    'refuses the username %j with BAD_USER_INPUT and changes nothing',
    async (username) => {
      const { client } = await signUp(app);
      const result = await client.request(UPDATE_PROFILE, { input: { username, firstName: 'Changed' } });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe('username');
      expect((await client.ok(VIEWER)).viewer.user).toMatchObject({ username: null, firstName: 'Ada' });
    },
  );

  it('refuses an overlong name and an unknown theme', async () => {
    const { client } = await signUp(app);
    const long = await client.request(UPDATE_PROFILE, { input: { lastName: 'x'.repeat(65) } });
    expect(errorCode(long)).toBe('BAD_USER_INPUT');
    expect(long.errors![0].extensions!.field).toBe('lastName');
    expect(errorCode(await client.request(UPDATE_PROFILE, { input: { theme: 'PINK' } }))).toBe('BAD_USER_INPUT');
  });

  it('needs a signed-in caller', async () => {
    const result = await app.client().request(UPDATE_PROFILE, { input: { firstName: 'Nobody' } });
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
  });

  it('needs the profile:update permission', async () => {
    const { client, userId, organizationId } = await signUp(app);
    const roleId = `read-only-${userId}`;
    await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES ($1, $2, 'Read only', 'TENANT', '{profile:read}')`,
      [roleId, organizationId],
    );
    await addAnotherAdmin(app.db, organizationId);
    await app.db.query('UPDATE memberships SET role_id = $1 WHERE user_id = $2', [roleId, userId]);
    const result = await client.request(UPDATE_PROFILE, { input: { firstName: 'Blocked' } });
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect((await client.ok(VIEWER)).viewer.user.firstName).toBe('Ada');
  });
});

describe('changePassword', () => {
  const NEW_PASSWORD = 'Brand-New-Secret-42';

  it('changes the password, keeps this session and ends the others', async () => {
    const { client, email } = await signUp(app);
    const otherDevice = app.client();
    await otherDevice.ok(SIGN_IN, { input: { email, password: STRONG_PASSWORD } });

    await client.ok(CHANGE_PASSWORD, { input: { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD } });

    expect((await client.ok(VIEWER)).viewer).not.toBeNull();
    expect((await otherDevice.ok(VIEWER)).viewer).toBeNull();
    const old = await app.client().request(SIGN_IN, { input: { email, password: STRONG_PASSWORD } });
    expect(errorCode(old)).toBe('UNAUTHENTICATED');
    await app.client().ok(SIGN_IN, { input: { email, password: NEW_PASSWORD } });
  });

  it('refuses a wrong current password at its field and records the failure', async () => {
    const { client, organizationId } = await signUp(app);
    const result = await client.request(CHANGE_PASSWORD, {
      input: { currentPassword: 'Not-The-Password-1', newPassword: NEW_PASSWORD },
    });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('currentPassword');
    const [event] = await app.db.query(
      `SELECT outcome FROM audit_events WHERE organization_id = $1 AND action = 'user.passwordChangeFailed'`,
      [organizationId],
    );
    expect(event.outcome).toBe('FAILURE');
  });

  it.each([['weak'], ['Password1!'], [`Aa1!${'x'.repeat(69)}`], [STRONG_PASSWORD]])(
    'refuses the new password %j and keeps the old one',
    async (newPassword) => {
      const { client, email } = await signUp(app);
      const result = await client.request(CHANGE_PASSWORD, {
        input: { currentPassword: STRONG_PASSWORD, newPassword },
      });
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe('newPassword');
      await app.client().ok(SIGN_IN, { input: { email, password: STRONG_PASSWORD } });
    },
  );

  it('refuses a new password containing the username', async () => {
    const { client } = await signUp(app);
    const username = uniqueUsername();
    await client.ok(UPDATE_PROFILE, { input: { username } });
    const result = await client.request(CHANGE_PASSWORD, {
      input: { currentPassword: STRONG_PASSWORD, newPassword: `Xy9!${username}` },
    });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(/email or username/);
  });

  it('needs a signed-in caller', async () => {
    const result = await app.client().request(CHANGE_PASSWORD, {
      input: { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
  });
});
