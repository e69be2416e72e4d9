import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import { expectAuditEvent } from '../test/audit';
import { totpCode } from './totp';

const START = `mutation { startTwoFactorEnrollment { secret otpauthUrl } }`;
const CONFIRM = `mutation($code: String!) { confirmTwoFactorEnrollment(code: $code) }`;
const DISABLE = `mutation($password: String!, $code: String!) { disableTwoFactor(password: $password, code: $code) }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { user { id twoFactorEnabled } } }`;
const STEP_MS = 30_000;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type User = Awaited<ReturnType<typeof signUp>>;

/**
 * Turns 2FA on for the user with the previous step's code, so the current code stays unused;
 * answers the secret and the recovery codes.
 */
async function enroll(user: User): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { startTwoFactorEnrollment } = await user.client.ok(START);
  const { confirmTwoFactorEnrollment } = await user.client.ok(CONFIRM, {
    code: totpCode(startTwoFactorEnrollment.secret, Date.now() - STEP_MS),
  });
  return { secret: startTwoFactorEnrollment.secret, recoveryCodes: confirmTwoFactorEnrollment };
}

function signIn(user: User, factor: { totpCode?: string; recoveryCode?: string } = {}, client = app.client()) {
  return client.request(SIGN_IN, { input: { email: user.email, password: user.password, ...factor } });
}

describe('two-factor authentication', () => {
  it('enrolls with a code, then asks for one at sign-in; a code works once', async () => {
    const user = await signUp(app);
    const { startTwoFactorEnrollment } = await user.client.ok(START);
    expect(startTwoFactorEnrollment.otpauthUrl).toMatch(
      /^otpauth:\/\/totp\/Gatehouse%3A.+\?secret=[A-Z2-7]+&issuer=Gatehouse/,
    );
    await expectAuditEvent(app.db, {
      mutation: 'startTwoFactorEnrollment',
      organizationId: user.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.twoFactorEnrollmentStarted',
      actorId: user.userId,
      targetId: user.userId,
    });
    const wrong = await user.client.request(CONFIRM, {
      code: '000000' === totpCode(startTwoFactorEnrollment.secret) ? '111111' : '000000',
    });
    expect([errorCode(wrong), wrong.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'code']);

    // The code of the previous step: the one confirmation uses must not work again at sign-in.
    const secret = startTwoFactorEnrollment.secret;
    const { confirmTwoFactorEnrollment: codes } = await user.client.ok(CONFIRM, {
      code: totpCode(secret, Date.now() - STEP_MS),
    });
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    await expectAuditEvent(app.db, {
      mutation: 'confirmTwoFactorEnrollment',
      organizationId: user.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.twoFactorEnabled',
      actorId: user.userId,
      targetId: user.userId,
    });
    const [{ totp_secret }] = await app.db.query('SELECT totp_secret FROM users WHERE id = $1', [user.userId]);
    expect(totp_secret).not.toContain(secret);

    const required = await signIn(user);
    expect(errorCode(required)).toBe('TWO_FACTOR_REQUIRED');
    expect(errorCode(await signIn(user, { totpCode: totpCode(secret, Date.now() - STEP_MS) }))).toBe('UNAUTHENTICATED');
    const code = totpCode(secret);
    const first = await signIn(user, { totpCode: code });
    expect(first.data!.signIn.user.twoFactorEnabled).toBe(true);
    expect(errorCode(await signIn(user, { totpCode: code }))).toBe('UNAUTHENTICATED');
  });

  it('accepts each recovery code once instead of a code', async () => {
    const user = await signUp(app);
    const { recoveryCodes } = await enroll(user);
    expect((await signIn(user, { recoveryCode: recoveryCodes[3].toUpperCase() })).errors).toBeUndefined();
    expect(errorCode(await signIn(user, { recoveryCode: recoveryCodes[3] }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await signIn(user, { recoveryCode: 'zzzz-zzzz' }))).toBe('UNAUTHENTICATED');
    const [{ failures }] = await app.db.query(
      `SELECT count(*)::int AS failures FROM audit_events WHERE target_id = $1 AND action = 'user.signInFailed' AND failure_reason = 'invalid_second_factor'`,
      [user.userId],
    );
    expect(failures).toBe(2);
  });

  it('throttles wrong codes like wrong passwords, and the right password does not reset the count', async () => {
    const user = await signUp(app);
    await enroll(user);
    const guesser = app.client();
    const results = [];
    for (let i = 0; i < 3; i += 1) {
      results.push(await signIn(user, { totpCode: '12345' }, guesser));
      results.push(await signIn(user, {}, guesser));
    }
    expect(results.map(errorCode)).toEqual([
      'UNAUTHENTICATED',
      'TWO_FACTOR_REQUIRED',
      'UNAUTHENTICATED',
      'TWO_FACTOR_REQUIRED',
      'UNAUTHENTICATED',
      'RATE_LIMITED',
    ]);
    expect(results[5].errors![0].extensions!.retryAfterSeconds).toBe(1);
  });

  it('throttles the password check of turning it off', async () => {
    const user = await signUp(app);
    const { secret } = await enroll(user);
    const tries = [];
    for (let i = 0; i < 4; i += 1) {
      tries.push(errorCode(await user.client.request(DISABLE, { password: `Wrong-password-${i}`, code: '000000' })));
    }
    expect(tries).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'RATE_LIMITED']);
    const right = await user.client.request(DISABLE, { password: user.password, code: totpCode(secret) });
    expect(errorCode(right)).toBe('RATE_LIMITED');
  });

  it('turns off with the password and a code, and ends the other sessions', async () => {
    const user = await signUp(app);
    const { secret, recoveryCodes } = await enroll(user);
    const other = app.client();
    await other.ok(SIGN_IN, { input: { email: user.email, password: user.password, recoveryCode: recoveryCodes[0] } });
    const badPassword = await user.client.request(DISABLE, { password: 'Wrong-password-1', code: totpCode(secret) });
    expect([errorCode(badPassword), badPassword.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'password']);
    const badCode = await user.client.request(DISABLE, { password: user.password, code: '99999a' });
    expect([errorCode(badCode), badCode.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'code']);
    expect(await user.client.ok(DISABLE, { password: user.password, code: totpCode(secret) })).toEqual({
      disableTwoFactor: true,
    });
    await expectAuditEvent(app.db, {
      mutation: 'disableTwoFactor',
      organizationId: user.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.twoFactorDisabled',
      actorId: user.userId,
      targetId: user.userId,
    });
    expect((await other.request(`{ viewer { user { id } } }`)).data!.viewer).toBeNull();
    expect((await signIn(user)).errors).toBeUndefined();
  });
});
