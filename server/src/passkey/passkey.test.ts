import { expectAuditEvent } from '../test/audit';
import { STRONG_PASSWORD, type TestApp, type TestClient, errorCode, signUp, startTestApp } from '../test/harness';
import { SoftwareAuthenticator } from '../test/software-authenticator';
import { totpCode } from '../two-factor/totp';

const START_REGISTRATION = 'mutation { startPasskeyRegistration }';
const FINISH_REGISTRATION = `mutation($input: FinishPasskeyRegistrationInput!) {
  finishPasskeyRegistration(input: $input) { id name createdAt lastUsedAt backedUp } }`;
const PASSKEYS = '{ passkeys { id name createdAt lastUsedAt } }';
const RENAME = 'mutation($input: RenamePasskeyInput!) { renamePasskey(input: $input) { id name } }';
const DELETE = 'mutation($id: ID!) { deletePasskey(id: $id) }';
const SIGN_IN_OPTIONS = '{ passkeySignInOptions }';
const FINISH_SIGN_IN = `mutation($input: FinishPasskeySignInInput!) {
  finishPasskeySignIn(input: $input) { user { id } organization { id } } }`;
const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }';
const STEP_MS = 30_000;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type User = Awaited<ReturnType<typeof signUp>>;

async function addPasskey(user: User, name = 'Laptop'): Promise<{ authenticator: SoftwareAuthenticator; id: string }> {
  const authenticator = new SoftwareAuthenticator(app.config.publicUrl);
  const { startPasskeyRegistration } = await user.client.ok(START_REGISTRATION);
  const { finishPasskeyRegistration } = await user.client.ok(FINISH_REGISTRATION, {
    input: { name, response: authenticator.register(startPasskeyRegistration) },
  });
  return { authenticator, id: finishPasskeyRegistration.id };
}

async function passwordlessSignIn(
  authenticator: SoftwareAuthenticator,
  options: { origin?: string; signCount?: number } = {},
  client: TestClient = app.client(),
) {
  const { passkeySignInOptions } = await client.ok(SIGN_IN_OPTIONS);
  const response = authenticator.authenticate(passkeySignInOptions, options);
  return { response, result: await client.request(FINISH_SIGN_IN, { input: { response } }) };
}

async function enrollTotp(user: User): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { startTwoFactorEnrollment } = await user.client.ok('mutation { startTwoFactorEnrollment { secret } }');
  const secret = startTwoFactorEnrollment.secret;
  const { confirmTwoFactorEnrollment } = await user.client.ok(
    'mutation($code: String!) { confirmTwoFactorEnrollment(code: $code) }',
    { code: totpCode(secret, Date.now() - STEP_MS) },
  );
  return { secret, recoveryCodes: confirmTwoFactorEnrollment };
}

/** The newest event in the user's organization, done by (or attempted as) the user. */
const event = (user: User, expected: { mutation: string; action: string; targetId: string; outcome?: 'FAILURE' }) =>
  expectAuditEvent(app.db, {
    organizationId: user.organizationId,
    category: 'USER_ACTIONS',
    actorId: user.userId,
    ...expected,
  });

describe('passkeys', () => {
  it('registers, lists, renames and deletes a passkey, each audited', async () => {
    const user = await signUp(app);
    const { startPasskeyRegistration: options } = await user.client.ok(START_REGISTRATION);
    expect(options).toMatchObject({
      rp: { id: '127.0.0.1', name: 'Gatehouse' },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    await event(user, {
      mutation: 'startPasskeyRegistration',
      action: 'user.passkeyRegistrationStarted',
      targetId: user.userId,
    });
    const authenticator = new SoftwareAuthenticator(app.config.publicUrl);
    const { finishPasskeyRegistration: added } = await user.client.ok(FINISH_REGISTRATION, {
      input: { name: ' Work laptop ', response: authenticator.register(options) },
    });
    expect(added).toMatchObject({ name: 'Work laptop', lastUsedAt: null, backedUp: false });
    await event(user, { mutation: 'finishPasskeyRegistration', action: 'user.passkeyAdded', targetId: added.id });
    const [stored] = await app.db.query('SELECT sign_count, backed_up, device_type FROM passkeys WHERE id = $1', [
      added.id,
    ]);
    expect(stored).toEqual({ sign_count: '0', backed_up: false, device_type: 'singleDevice' });

    const { renamePasskey } = await user.client.ok(RENAME, { input: { id: added.id, name: 'Desk key' } });
    expect(renamePasskey.name).toBe('Desk key');
    const renamed = await event(user, { mutation: 'renamePasskey', action: 'user.passkeyRenamed', targetId: added.id });
    expect(renamed.changes).toEqual({ name: { before: 'Work laptop', after: 'Desk key' } });
    expect((await user.client.ok(PASSKEYS)).passkeys).toEqual([
      { id: added.id, name: 'Desk key', createdAt: expect.any(String), lastUsedAt: null },
    ]);

    // Someone else's passkey answers like a missing one.
    const other = await signUp(app);
    expect(errorCode(await other.client.request(DELETE, { id: added.id }))).toBe('NOT_FOUND');
    expect(errorCode(await other.client.request(RENAME, { input: { id: added.id, name: 'Mine' } }))).toBe('NOT_FOUND');

    expect(await user.client.ok(DELETE, { id: added.id })).toEqual({ deletePasskey: true });
    await event(user, { mutation: 'deletePasskey', action: 'user.passkeyRemoved', targetId: added.id });
    expect((await user.client.ok(PASSKEYS)).passkeys).toEqual([]);
  });

  it('refuses a replayed registration and one from another origin', async () => {
    const user = await signUp(app);
    const { startPasskeyRegistration: options } = await user.client.ok(START_REGISTRATION);
    const authenticator = new SoftwareAuthenticator(app.config.publicUrl);
    const phished = authenticator.register(options, { origin: 'https://gatehouse.example.evil' });
    const wrongOrigin = await user.client.request(FINISH_REGISTRATION, { input: { name: 'Key', response: phished } });
    expect([errorCode(wrongOrigin), wrongOrigin.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'response']);
    // The refused attempt used the challenge up: the right origin cannot reuse it.
    const replay = await user.client.request(FINISH_REGISTRATION, {
      input: { name: 'Key', response: authenticator.register(options) },
    });
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect((await user.client.ok(PASSKEYS)).passkeys).toEqual([]);
  });

  it('signs in with a passkey alone, once per challenge, and records the last use', async () => {
    const user = await signUp(app);
    const { authenticator, id } = await addPasskey(user);
    const client = app.client();
    const { response, result } = await passwordlessSignIn(authenticator, {}, client);
    expect(result.data?.finishPasskeySignIn).toEqual({
      user: { id: user.userId },
      organization: { id: user.organizationId },
    });
    await event(user, { mutation: 'finishPasskeySignIn', action: 'user.signedIn', targetId: user.userId });
    const { passkeys } = await client.ok(PASSKEYS);
    expect(passkeys[0]).toMatchObject({ id, lastUsedAt: expect.any(String) });

    const replayed = await app.client().request(FINISH_SIGN_IN, { input: { response } });
    expect(errorCode(replayed)).toBe('UNAUTHENTICATED');
    const failure = await event(user, {
      mutation: 'finishPasskeySignIn',
      action: 'user.signInFailed',
      targetId: user.userId,
      outcome: 'FAILURE',
    });
    expect(failure.failure_reason).toBe('passkey_challenge_invalid');
  });

  it('refuses an assertion made for another origin', async () => {
    const user = await signUp(app);
    const { authenticator } = await addPasskey(user);
    const { result } = await passwordlessSignIn(authenticator, { origin: 'https://gatehouse.example.evil' });
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    const failure = await event(user, {
      mutation: 'finishPasskeySignIn',
      action: 'user.signInFailed',
      targetId: user.userId,
      outcome: 'FAILURE',
    });
    expect(failure.failure_reason).toBe('invalid_passkey_response');
    // The same passkey from the right origin still works.
    expect((await passwordlessSignIn(authenticator)).result.data?.finishPasskeySignIn).toBeTruthy();
  });

  it('refuses and records a signature counter that goes back (a cloned authenticator)', async () => {
    const user = await signUp(app);
    const { authenticator, id } = await addPasskey(user);
    expect((await passwordlessSignIn(authenticator, { signCount: 5 })).result.errors).toBeUndefined();
    const clone = await passwordlessSignIn(authenticator, { signCount: 3 });
    expect(errorCode(clone.result)).toBe('UNAUTHENTICATED');
    const regressed = await event(user, {
      mutation: 'finishPasskeySignIn',
      action: 'user.passkeyCounterRegressed',
      targetId: id,
      outcome: 'FAILURE',
    });
    expect(regressed.failure_reason).toMatch(/counter 3 is not above 5/);
    const [stored] = await app.db.query('SELECT sign_count FROM passkeys WHERE id = $1', [id]);
    expect(stored.sign_count).toBe('5');
    expect((await passwordlessSignIn(authenticator, { signCount: 6 })).result.errors).toBeUndefined();
  });

  it('stands in for the authenticator app code; recovery codes still work without it', async () => {
    const user = await signUp(app);
    const { recoveryCodes } = await enrollTotp(user);
    const { authenticator } = await addPasskey(user);
    const client = app.client();
    const input = { email: user.email, password: user.password };
    const firstStep = await client.request(SIGN_IN, { input });
    expect(errorCode(firstStep)).toBe('TWO_FACTOR_REQUIRED');
    const { authenticatorApp, passkeyOptions } = firstStep.errors![0].extensions!;
    expect(authenticatorApp).toBe(true);
    // A passwordless challenge does not confirm a password sign-in.
    const { passkeySignInOptions } = await client.ok(SIGN_IN_OPTIONS);
    const wrongPurpose = await client.request(SIGN_IN, {
      input: { ...input, passkeyResponse: authenticator.authenticate(passkeySignInOptions) },
    });
    expect(errorCode(wrongPurpose)).toBe('UNAUTHENTICATED');
    const passkeyResponse = authenticator.authenticate(passkeyOptions);
    const signedIn = await client.ok(SIGN_IN, { input: { ...input, passkeyResponse } });
    expect(signedIn.signIn.user.id).toBe(user.userId);
    // Replaying the second step with the password fails.
    expect(errorCode(await app.client().request(SIGN_IN, { input: { ...input, passkeyResponse } }))).toBe(
      'UNAUTHENTICATED',
    );
    // Losing the passkey: the password and a recovery code still sign in.
    const recovered = await app.client().ok(SIGN_IN, { input: { ...input, recoveryCode: recoveryCodes[0] } });
    expect(recovered.signIn.user.id).toBe(user.userId);
  });

  it("counts for an organization's 2FA requirement, and its last second factor stays", async () => {
    const admin = await signUp(app);
    const { id } = await addPasskey(admin);
    await admin.client.ok(
      'mutation { updateOrganizationSettings(input: { security: { requireTwoFactor: true } }) { general { name } } }',
    );
    const { viewer } = await admin.client.ok('{ viewer { twoFactorSetupRequired } }');
    expect(viewer.twoFactorSetupRequired).toBe(false);
    // The password alone no longer signs in: the passkey is the required second factor.
    const firstStep = await app.client().request(SIGN_IN, { input: { email: admin.email, password: STRONG_PASSWORD } });
    expect(errorCode(firstStep)).toBe('TWO_FACTOR_REQUIRED');
    expect(firstStep.errors![0].extensions).toMatchObject({
      authenticatorApp: false,
      passkeyOptions: { rpId: '127.0.0.1' },
    });

    const refused = await admin.client.request(DELETE, { id });
    expect(errorCode(refused)).toBe('CONFLICT');
    expect((await admin.client.ok(PASSKEYS)).passkeys).toHaveLength(1);

    // With an authenticator app as well, the passkey may go; then the app is the last one.
    const { secret } = await enrollTotp(admin);
    await admin.client.ok(DELETE, { id });
    const disable = await admin.client.request(
      'mutation($password: String!, $code: String!) { disableTwoFactor(password: $password, code: $code) }',
      { password: STRONG_PASSWORD, code: totpCode(secret) },
    );
    expect(errorCode(disable)).toBe('CONFLICT');
    const [row] = await app.db.query('SELECT totp_enabled_at IS NOT NULL AS on FROM users WHERE id = $1', [
      admin.userId,
    ]);
    expect(row.on).toBe(true);
  });

  it('throttles passkey sign-in like passwords', async () => {
    const throttled = await startTestApp({ signInMaxFailuresPerAccountAndIp: 2, signInDelayAfterFailures: 100 });
    try {
      const user = await signUp(throttled);
      const authenticator = new SoftwareAuthenticator(throttled.config.publicUrl);
      const { startPasskeyRegistration } = await user.client.ok(START_REGISTRATION);
      await user.client.ok(FINISH_REGISTRATION, {
        input: { name: 'Key', response: authenticator.register(startPasskeyRegistration) },
      });
      const client = throttled.client(`198.51.100.${Math.floor(Math.random() * 250) + 1}`);
      const attempt = async (origin?: string) => {
        const { passkeySignInOptions } = await client.ok(SIGN_IN_OPTIONS);
        const response = authenticator.authenticate(passkeySignInOptions, origin ? { origin } : {});
        return errorCode(await client.request(FINISH_SIGN_IN, { input: { response } }));
      };
      expect(await attempt('https://evil.example')).toBe('UNAUTHENTICATED');
      expect(await attempt('https://evil.example')).toBe('UNAUTHENTICATED');
      expect(await attempt()).toBe('RATE_LIMITED');
    } finally {
      await throttled.close();
    }
  });
});
