import { STRONG_PASSWORD, TestApp, errorCode, signUp, startTestApp, uniqueEmail } from '../test/harness';
import { expectAuditEvent } from '../test/audit';
import { SmtpCatcher, decodeQuotedPrintable, startSmtpCatcher } from '../test/smtp-catcher';

const REQUEST = `mutation($email: String!) { requestPasswordReset(email: $email) }`;
const RESET = `mutation($input: ResetPasswordInput!) { resetPassword(input: $input) }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }`;
const NEW_PASSWORD = 'Fresh-Harbor-Lamp-77';

let app: TestApp;
let smtp: SmtpCatcher;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
  app = await startTestApp({ smtpUrl: smtp.url });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

const LINK = /reset-password\?token=([A-Za-z0-9_%-]+)/;

/** The token of a reset link emailed to `email` that is not among `seen` (older links). */
async function linkToken(email: string, seen: readonly string[] = []): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const tokens = smtp.emails
      .filter((caught) => caught.to.includes(email))
      .map((caught) => LINK.exec(decodeQuotedPrintable(caught.raw))?.[1])
      .filter((token): token is string => !!token)
      .map(decodeURIComponent);
    const fresh = tokens.find((token) => !seen.includes(token));
    if (fresh) return fresh;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no new reset link reached ${email}`);
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

describe('password reset', () => {
  it('answers alike, in about the same time, for known and unknown emails; only a known one gets an email', async () => {
    const known = await signUp(app);
    const unknown = uniqueEmail('nobody');
    const client = app.client();
    const knownAnswer = await client.request(REQUEST, { email: known.email });
    const unknownAnswer = await client.request(REQUEST, { email: unknown });
    expect(knownAnswer.data).toEqual({ requestPasswordReset: true });
    expect(unknownAnswer.data).toEqual(knownAnswer.data);
    expect(unknownAnswer.errors).toBeUndefined();
    await linkToken(known.email);
    expect(smtp.emails.filter((caught) => caught.to.includes(unknown))).toEqual([]);

    const knownTimes = [];
    const unknownTimes = [];
    for (let i = 0; i < 3; i += 1) {
      knownTimes.push(await timed(() => client.request(REQUEST, { email: known.email })));
      unknownTimes.push(await timed(() => client.request(REQUEST, { email: uniqueEmail('nobody') })));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1];
    expect(Math.min(...knownTimes, ...unknownTimes)).toBeGreaterThanOrEqual(290);
    expect(Math.abs(median(knownTimes) - median(unknownTimes))).toBeLessThan(150);
  });

  it('sets a new password from the emailed link once, ends every session, and still asks to sign in', async () => {
    const user = await signUp(app);
    await app.client().ok(REQUEST, { email: user.email });
    const token = await linkToken(user.email);
    await expectAuditEvent(app.db, {
      mutation: 'requestPasswordReset',
      organizationId: user.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.passwordResetRequested',
      actorId: null,
      targetId: user.userId,
    });

    const weak = await app.client().request(RESET, { input: { token, newPassword: 'short' } });
    expect([errorCode(weak), weak.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'newPassword']);

    const stranger = app.client();
    expect(await stranger.ok(RESET, { input: { token, newPassword: NEW_PASSWORD } })).toEqual({ resetPassword: true });
    expect(stranger.cookie).toBeNull();
    await expectAuditEvent(app.db, {
      mutation: 'resetPassword',
      organizationId: user.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.passwordReset',
      actorId: user.userId,
      targetId: user.userId,
    });
    expect((await user.client.request(`{ viewer { user { id } } }`)).data!.viewer).toBeNull();

    const again = await app.client().request(RESET, { input: { token, newPassword: 'Another-Fresh-Lamp-78' } });
    expect([errorCode(again), again.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'token']);
    expect(
      errorCode(await app.client().request(SIGN_IN, { input: { email: user.email, password: STRONG_PASSWORD } })),
    ).toBe('UNAUTHENTICATED');
    await app.client().ok(SIGN_IN, { input: { email: user.email, password: NEW_PASSWORD } });
  });

  it('voids older links when a new one is sent, and refuses expired ones', async () => {
    const user = await signUp(app);
    await app.client().ok(REQUEST, { email: user.email });
    const first = await linkToken(user.email);
    await app.db.query(
      `UPDATE password_reset_tokens SET created_at = now() - interval '2 minutes' WHERE user_id = $1`,
      [user.userId],
    );
    await app.client().ok(REQUEST, { email: user.email });
    const second = await linkToken(user.email, [first]);
    expect(second).not.toBe(first);
    const voided = await app.client().request(RESET, { input: { token: first, newPassword: NEW_PASSWORD } });
    expect(errorCode(voided)).toBe('BAD_USER_INPUT');

    await app.db.query(`UPDATE password_reset_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      user.userId,
    ]);
    const expired = await app.client().request(RESET, { input: { token: second, newPassword: NEW_PASSWORD } });
    expect([errorCode(expired), expired.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'token']);
  });

  it('sends nothing more within the cooldown, and refuses a malformed email', async () => {
    const user = await signUp(app);
    await app.client().ok(REQUEST, { email: user.email });
    await linkToken(user.email);
    await app.client().ok(REQUEST, { email: user.email });
    const [{ count }] = await app.db.query(
      'SELECT count(*)::int AS count FROM password_reset_tokens WHERE user_id = $1',
      [user.userId],
    );
    expect(count).toBe(1);
    const bad = await app.client().request(REQUEST, { email: 'not-an-email' });
    expect([errorCode(bad), bad.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'email']);
  });
});
