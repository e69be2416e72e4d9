import { STRONG_PASSWORD, TestApp, VIEWER_FIELDS, errorCode, signUp, startTestApp, uniqueEmail } from '../test/harness';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${VIEWER_FIELDS} } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { ${VIEWER_FIELDS} } }`;
const VIEWER = `{ viewer { ${VIEWER_FIELDS} } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ signInMaxFailuresPerAccount: 5 });
});
afterAll(() => app.close());

const signUpInput = (overrides: Record<string, string> = {}) => ({
  email: uniqueEmail(),
  password: STRONG_PASSWORD,
  firstName: 'Grace',
  lastName: 'Hopper',
  organizationName: 'Navy Labs',
  ...overrides,
});

async function auditActions(organizationId: string): Promise<string[]> {
  const rows = await app.db.query('SELECT action FROM audit_events WHERE organization_id = $1 ORDER BY sequence', [
    organizationId,
  ]);
  return rows.map((row: { action: string }) => row.action);
}

describe('signUp', () => {
  it('creates the user and an organization with the user as Admin, signed in by an HttpOnly cookie', async () => {
    const client = app.client();
    const input = signUpInput({ email: uniqueEmail().toUpperCase() });
    const result = await client.request(SIGN_UP, { input });
    expect(result.errors).toBeUndefined();
    const viewer = result.data!.signUp;
    expect(viewer.user.email).toBe(input.email.toLowerCase());
    expect(viewer.organization.name).toBe('Navy Labs');
    expect(viewer.role).toEqual({ id: 'admin', name: 'Admin' });
    expect(viewer.permissions).toContain('members:manage');
    const cookie = result.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^gatehouse_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    const again = await client.ok(VIEWER);
    expect(again.viewer.user.id).toBe(viewer.user.id);
    expect(await auditActions(viewer.organization.id)).toEqual([
      'user.signedUp',
      'organization.created',
      'apiKey.created',
    ]);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const { email } = await signUp(app);
    const result = await app.client().request(SIGN_UP, { input: signUpInput({ email: email.toUpperCase() }) });
    expect(errorCode(result)).toBe('CONFLICT');
    expect(result.errors![0].extensions!.field).toBe('email');
  });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['firstName', { firstName: 'x'.repeat(65) }],
    ['lastName', { lastName: '' }],
    ['organizationName', { organizationName: 'o'.repeat(65) }],
    ['password', { password: 'short1!' }],
    ['password', { password: 'alllowercase1!' }],
    ['password', { password: 'ALLUPPERCASE1!' }],
    ['password', { password: 'NoDigitsHere!' }],
    ['password', { password: 'NoSpecial1234' }],
    ['password', { password: 'Password1!' }],
    ['password', { password: `Aa1!${'é'.repeat(35)}` }],
  ])('refuses an invalid %s with BAD_USER_INPUT and creates nothing', async (field, overrides) => {
    const input = signUpInput(overrides);
    const result = await app.client().request(SIGN_UP, { input });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe(field);
    expect(result.errors![0].message).not.toMatch(/error|exception|sql/i);
    const [{ count }] = await app.db.query('SELECT count(*)::int AS count FROM users WHERE email = $1', [
      input.email.toLowerCase(),
    ]);
    expect(count).toBe(0);
  });

  it("refuses a password containing the user's email", async () => {
    const email = uniqueEmail('ada');
    const result = await app.client().request(SIGN_UP, {
      input: signUpInput({ email, password: `X!9${email.split('@')[0]}` }),
    });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(/email or username/);
  });
});

describe('signIn', () => {
  it('signs in with a new session token each time', async () => {
    const { email, password, client: first } = await signUp(app);
    const second = app.client();
    const result = await second.request(SIGN_IN, { input: { email: email.toUpperCase(), password } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.signIn.user.email).toBe(email);
    expect(second.cookie).toBeTruthy();
    expect(second.cookie).not.toBe(first.cookie);

    const previous = second.cookie;
    await second.ok(SIGN_IN, { input: { email, password } });
    expect(second.cookie).not.toBe(previous);
    const stale = app.client();
    stale.cookie = previous;
    expect((await stale.ok(VIEWER)).viewer).toBeNull();
  });

  it('answers a wrong password and an unknown email with the same error', async () => {
    const { email } = await signUp(app);
    const wrong = await app.client().request(SIGN_IN, { input: { email, password: 'Wrong-Password-1' } });
    const unknown = await app.client().request(SIGN_IN, {
      input: { email: uniqueEmail('nobody'), password: 'Wrong-Password-1' },
    });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.errors).toEqual(unknown.errors);
    const [failure] = await app.db.query(
      `SELECT outcome, failure_reason FROM audit_events WHERE action = 'user.signInFailed' AND target_id = (SELECT id::text FROM users WHERE email = $1)`,
      [email],
    );
    expect(failure).toEqual({ outcome: 'FAILURE', failure_reason: 'invalid_credentials' });
  });

  it('throttles an account after repeated failures, even with the right password', async () => {
    const { email, password } = await signUp(app);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const result = await app.client().request(SIGN_IN, { input: { email, password: 'Wrong-Password-1' } });
      expect(errorCode(result)).toBe('UNAUTHENTICATED');
    }
    const blocked = await app.client().request(SIGN_IN, { input: { email, password } });
    expect(errorCode(blocked)).toBe('RATE_LIMITED');
  });

  it('lets no more than the limit through when attempts arrive in parallel', async () => {
    const { email } = await signUp(app);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.client().request(SIGN_IN, { input: { email, password: 'Wrong-Password-1' } }),
      ),
    );
    const codes = results.map(errorCode);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(5);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(15);
  });

  it('throttles one IP address across accounts', async () => {
    const limited = await startTestApp({ signInMaxFailuresPerIp: 3 });
    try {
      const client = limited.client();
      const attempt = () => client.request(SIGN_IN, { input: { email: uniqueEmail(), password: 'Wrong-Password-1' } });
      for (let i = 0; i < 3; i += 1) expect(errorCode(await attempt())).toBe('UNAUTHENTICATED');
      expect(errorCode(await attempt())).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('signOut', () => {
  it('ends the session and clears the cookie', async () => {
    const { client } = await signUp(app);
    const token = client.cookie;
    expect((await client.ok('mutation { signOut }')).signOut).toBe(true);
    expect(client.cookie).toBeNull();
    const replay = app.client();
    replay.cookie = token;
    expect((await replay.ok(VIEWER)).viewer).toBeNull();
  });

  it('needs a signed-in caller', async () => {
    expect(errorCode(await app.client().request('mutation { signOut }'))).toBe('UNAUTHENTICATED');
  });
});

describe('viewer', () => {
  it('is null for an anonymous caller and for a made-up cookie', async () => {
    expect((await app.client().ok(VIEWER)).viewer).toBeNull();
    const forged = app.client();
    forged.cookie = 'gatehouse_session=forged-token';
    expect((await forged.ok(VIEWER)).viewer).toBeNull();
  });
});
