import {
  STRONG_PASSWORD,
  TestApp,
  TestClient,
  VIEWER_FIELDS,
  errorCode,
  signUp,
  startTestApp,
  uniqueEmail,
} from '../test/harness';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${VIEWER_FIELDS} } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { ${VIEWER_FIELDS} } }`;
const VIEWER = `{ viewer { ${VIEWER_FIELDS} } }`;

let app: TestApp;
beforeAll(async () => {
  // No progressive delay here, so the counts are exact; its own tests below turn it on.
  app = await startTestApp({
    signInMaxFailuresPerAccountAndIp: 5,
    signInMaxFailuresPerAccount: 8,
    signInDelayAfterFailures: 1000,
  });
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

  const attempt = (client: TestClient, email: string, password = 'Wrong-Password-1') =>
    client.request(SIGN_IN, { input: { email, password } });

  it("blocks the guesser's address after repeated failures, even with the right password, but not the owner's", async () => {
    const { email, password } = await signUp(app);
    const attacker = app.client();
    for (let i = 0; i < 5; i += 1) expect(errorCode(await attempt(attacker, email))).toBe('UNAUTHENTICATED');
    const blocked = await attempt(attacker, email, password);
    expect(errorCode(blocked)).toBe('RATE_LIMITED');
    expect(blocked.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect((await attempt(app.client(), email, password)).errors).toBeUndefined();
  });

  it("stops a guesser spread over many addresses at the account's ceiling", async () => {
    const { email, password } = await signUp(app);
    for (let i = 0; i < 8; i += 1) expect(errorCode(await attempt(app.client(), email))).toBe('UNAUTHENTICATED');
    expect(errorCode(await attempt(app.client(), email, password))).toBe('RATE_LIMITED');
    const [failure] = await app.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.signInFailed' AND failure_reason = 'rate_limited' AND target_id = (SELECT id::text FROM users WHERE email = $1)`,
      [email],
    );
    expect(failure.n).toBe(1);
  });

  it('does not count refused attempts towards the ceiling, so a blocked guesser cannot lock the account', async () => {
    const { email, password } = await signUp(app);
    const attacker = app.client();
    for (let i = 0; i < 20; i += 1) await attempt(attacker, email);
    // 5 failures counted for the account (of 8): the owner still gets in.
    expect((await attempt(app.client(), email, password)).errors).toBeUndefined();
  });

  it('lets no more than the limits through when attempts arrive in parallel on two instances', async () => {
    const second = await startTestApp(app.config);
    try {
      const { email } = await signUp(app);
      const { ip } = app.client();
      const sameAddress = await Promise.all(
        Array.from({ length: 20 }, (_, i) => attempt((i % 2 ? app : second).client(ip), email)),
      );
      expect(sameAddress.map(errorCode).filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(5);
      const manyAddresses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => attempt((i % 2 ? app : second).client(), email)),
      );
      // The account's ceiling of 8 holds across instances: 3 more after the pair's 5.
      expect(manyAddresses.map(errorCode).filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(3);
    } finally {
      await second.close();
    }
  });

  it('makes each attempt after a few failures wait longer, on every instance', async () => {
    const delayed = await startTestApp({ signInDelayAfterFailures: 2, signInMaxDelaySeconds: 2 });
    const second = await startTestApp(delayed.config);
    try {
      const { email, password } = await signUp(delayed);
      const guesser = delayed.client();
      const fromSecond = second.client(guesser.ip);
      expect(errorCode(await attempt(guesser, email))).toBe('UNAUTHENTICATED');
      expect(errorCode(await attempt(guesser, email))).toBe('UNAUTHENTICATED');
      const early = await attempt(fromSecond, email, password);
      expect([errorCode(early), early.errors![0].extensions!.retryAfterSeconds]).toEqual(['RATE_LIMITED', 1]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(errorCode(await attempt(fromSecond, email))).toBe('UNAUTHENTICATED');
      const later = await attempt(guesser, email, password);
      expect([errorCode(later), later.errors![0].extensions!.retryAfterSeconds]).toEqual(['RATE_LIMITED', 2]);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      // The right password after the wait gets in, and forgets the pair's failures.
      expect((await attempt(guesser, email, password)).errors).toBeUndefined();
      expect(errorCode(await attempt(guesser, email))).toBe('UNAUTHENTICATED');
    } finally {
      await second.close();
      await delayed.close();
    }
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
