import { INVITE, uniqueDomain, verifiedDomain } from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';
import { getRedirect } from '../test/redirects';
import { type GitHubFixture, startGitHubFake } from '../test/github-fake';
import { type TestApp, TestClient, errorCode, signUp, startTestApp, uniqueEmail } from '../test/harness';
import { type OidcProviderFixture, startOidcProvider } from '../test/oidc-provider';

let app: TestApp;
let google: OidcProviderFixture;
let microsoft: OidcProviderFixture;
let github: GitHubFixture;

beforeAll(async () => {
  // The stand-ins listen on loopback; they learn the app's callback URLs, the app learns theirs.
  app = await startTestApp({ allowPrivateNetwork: true });
  const callback = (provider: string) => [`${app.url}/api/auth/${provider}/callback`];
  [google, microsoft, github] = await Promise.all([
    startOidcProvider({ redirectUris: callback('google') }),
    // A tenant's own authority: its issuer is the multi-tenant template with this tenant in it.
    startOidcProvider({ redirectUris: callback('microsoft'), issuer: 'http://127.0.0.1:{port}/tenant-a/v2.0' }),
    startGitHubFake({ redirectUris: callback('github') }),
  ]);
  app.config.social = {
    google: { clientId: google.clientId, clientSecret: google.clientSecret, issuer: google.issuer },
    microsoft: {
      clientId: microsoft.clientId,
      clientSecret: microsoft.clientSecret,
      authority: microsoft.url,
      issuer: `${microsoft.url}/{tenantid}/v2.0`,
    },
    github: { clientId: github.clientId, clientSecret: github.clientSecret, baseUrl: github.url, apiUrl: github.url },
  };
});
afterAll(async () => {
  await Promise.all([google?.stop(), microsoft?.stop(), github?.stop()]);
  await app?.close();
});

type Provider = 'google' | 'microsoft' | 'github';

const get = getRedirect;

const standIn = (provider: Provider) => ({ google, microsoft, github })[provider];

/** A person at a stand-in, with a login of their own. */
async function person(provider: Provider, email = uniqueEmail(provider), extra: Record<string, unknown> = {}) {
  const login = `${provider}${Math.random().toString(36).slice(2, 10)}`;
  if (provider === 'github') {
    await github.setAccount(login, {
      id: Math.floor(Math.random() * 1e9),
      name: 'Gita Hub',
      emails: [{ email, primary: true, verified: true }],
      ...extra,
    });
  } else {
    await standIn(provider).setAccount(login, {
      sub: `sub-${login}`,
      email,
      given_name: 'Sam',
      family_name: 'Social',
      ...(provider === 'microsoft' ? { tid: 'tenant-a' } : {}),
      ...extra,
    });
  }
  return { login, email };
}

/** Starts at Gatehouse, signs in at the stand-in, and stops before the callback. */
async function startSignIn(provider: Provider, login: string, cookies = new Map<string, string>(), query = '') {
  const started = await get(`${app.url}/api/auth/${provider}/start${query}`, cookies);
  expect(started.status).toBe(303);
  expect(started.location.startsWith(standIn(provider).url)).toBe(true);
  return { callbackUrl: await standIn(provider).signIn(started.location, login), cookies: started.cookies };
}

/** The whole flow: where Gatehouse sends the browser, and a client with the session it set (if any). */
async function socialSignIn(provider: Provider, login: string, cookies?: Map<string, string>, query?: string) {
  const { callbackUrl, cookies: jar } = await startSignIn(provider, login, cookies, query);
  const finished = await get(callbackUrl, jar);
  expect(finished.status).toBe(303);
  const client = new TestClient(app.url);
  const session = finished.cookies.get('gatehouse_session');
  client.cookie = session ? `gatehouse_session=${session}` : null;
  return { location: finished.location, client, session, callbackUrl, startCookies: jar };
}

const VIEWER = '{ viewer { user { id email firstName hasPassword } role { id } organization { id name } } }';
const SIGN_UP = `mutation($input: ProviderSignUpInput!) { signUpWithProvider(input: $input) { user { id email hasPassword } organization { id name } role { id } } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }`;
const CONNECTED = '{ connectedSignInMethods { provider name email } }';
const DISCONNECT = 'mutation($provider: SocialProvider!) { disconnectSignInMethod(provider: $provider) { provider } }';

async function identities(userId: string): Promise<string[]> {
  const rows = await app.db.query('SELECT provider FROM social_identities WHERE user_id = $1 ORDER BY provider', [
    userId,
  ]);
  return rows.map((row: { provider: string }) => row.provider);
}

/** A new person through the sign-up page: the token in the redirect, then their organization's name. */
async function signUpThrough(provider: Provider) {
  const someone = await person(provider);
  const first = await socialSignIn(provider, someone.login);
  expect(first.session).toBeUndefined();
  const url = new URL(first.location, app.url);
  expect(url.pathname).toBe('/signup');
  const signUpToken = url.searchParams.get('provider_signup')!;
  const client = app.client();
  const { pendingProviderSignUp } = await client.ok(
    'query($t: String!) { pendingProviderSignUp(signUpToken: $t) { provider providerName email } }',
    { t: signUpToken },
  );
  expect(pendingProviderSignUp).toEqual({ provider, providerName: expect.any(String), email: someone.email });
  const { signUpWithProvider } = await client.ok(SIGN_UP, {
    input: { signUpToken, firstName: 'New', lastName: 'Person', organizationName: `${provider} people` },
  });
  expect(signUpWithProvider).toMatchObject({
    user: { email: someone.email, hasPassword: false },
    organization: { name: `${provider} people` },
    role: { id: 'admin' },
  });
  return { ...someone, client, userId: signUpWithProvider.user.id as string, signUpToken };
}

describe('signInMethods', () => {
  it('lists the enabled providers to anyone', async () => {
    const { signInMethods } = await app.client().ok('{ signInMethods { id name startUrl } }');
    expect(signInMethods).toEqual([
      { id: 'google', name: 'Google', startUrl: '/api/auth/google/start' },
      { id: 'microsoft', name: 'Microsoft', startUrl: '/api/auth/microsoft/start' },
      { id: 'github', name: 'GitHub', startUrl: '/api/auth/github/start' },
    ]);
  });
});

describe.each<Provider>(['google', 'microsoft', 'github'])('sign-in with %s', (provider) => {
  it('signs a new person up without a password, then signs them in again by subject', async () => {
    const someone = await signUpThrough(provider);
    expect(await identities(someone.userId)).toEqual([provider]);
    await expectAuditEvent(app.db, {
      mutation: 'signUpWithProvider',
      organizationId: (await someone.client.ok(VIEWER)).viewer.organization.id,
      category: 'USER_ACTIONS',
      action: 'user.signedUp',
      actorId: someone.userId,
      targetId: someone.userId,
    });

    const again = await socialSignIn(provider, someone.login);
    expect(again.location).toBe('/');
    expect((await again.client.ok(VIEWER)).viewer.user).toMatchObject({ id: someone.userId, hasPassword: false });
    // The token was for one sign-up: the account exists now.
    const replayed = await app.client().request(SIGN_UP, {
      input: { signUpToken: someone.signUpToken, firstName: 'A', lastName: 'B', organizationName: 'Again' },
    });
    expect(errorCode(replayed)).toBe('CONFLICT');
  });

  it('never signs a provider account into an existing password account by its email', async () => {
    const owner = await signUp(app);
    const squatter = await person(provider, owner.email);
    const attempt = await socialSignIn(provider, squatter.login);
    expect(attempt.session).toBeUndefined();
    const url = new URL(attempt.location, app.url);
    expect(url.pathname).toBe('/signin');
    expect(await identities(owner.userId)).toEqual([]);

    // Linking needs the account's password, in this flow.
    const linkToken = url.searchParams.get('link')!;
    const wrong = await app.client().request(SIGN_IN, {
      input: { email: owner.email, password: 'Not-the-password-1', linkToken },
    });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(await identities(owner.userId)).toEqual([]);

    const linked = app.client();
    await linked.ok(SIGN_IN, { input: { email: owner.email, password: owner.password, linkToken } });
    expect(await identities(owner.userId)).toEqual([provider]);
    await expectAuditEvent(app.db, {
      mutation: 'signIn',
      organizationId: owner.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.signInMethodConnected',
      actorId: owner.userId,
      targetId: owner.userId,
    });
    const after = await socialSignIn(provider, squatter.login);
    expect((await after.client.ok(VIEWER)).viewer.user.id).toBe(owner.userId);
  });
});

describe('provider-specific checks', () => {
  it('refuses a GitHub account whose primary email is not verified', async () => {
    const someone = await person('github', uniqueEmail('unverified'), {
      emails: [
        { email: uniqueEmail('primary'), primary: true, verified: false },
        { email: uniqueEmail('other'), primary: false, verified: true },
      ],
    });
    const attempt = await socialSignIn('github', someone.login);
    expect(attempt.location).toBe('/signin?sso_error=email_missing');
    expect(attempt.session).toBeUndefined();
  });

  it('refuses a Google account whose email Google did not verify', async () => {
    const someone = await person('google', uniqueEmail('unverified'), { email_verified: false });
    expect((await socialSignIn('google', someone.login)).location).toBe('/signin?sso_error=email_missing');
  });

  it("refuses a Microsoft token whose issuer is not its own tenant's", async () => {
    const someone = await person('microsoft', uniqueEmail('tenant'), { tid: 'tenant-b' });
    const attempt = await socialSignIn('microsoft', someone.login);
    expect(attempt.location).toBe('/signin?sso_error=rejected');
    expect(attempt.session).toBeUndefined();
    const [event] = await app.db.query(
      "SELECT failure_reason FROM audit_events WHERE action = 'user.signInFailed' AND failure_reason LIKE 'microsoft:%' ORDER BY sequence DESC LIMIT 1",
    );
    // RFC 9207's iss parameter or the ID token's iss: either way, checked against tenant-b's issuer.
    expect(event.failure_reason).toMatch(/^microsoft: rejected: (iss mismatch|unexpected iss value)$/);
  });

  it('joins the organization that invited the email, without asking for an organization', async () => {
    const admin = await signUp(app);
    const email = uniqueEmail('invited');
    await admin.client.ok(INVITE, { input: { invitations: [{ email, roleId: 'builder' }] } });
    const someone = await person('microsoft', email);
    const joined = await socialSignIn('microsoft', someone.login);
    expect(joined.location).toBe('/');
    const { viewer } = await joined.client.ok(VIEWER);
    expect(viewer).toMatchObject({
      user: { email, hasPassword: false },
      role: { id: 'builder' },
      organization: { id: admin.organizationId },
    });
  });
});

describe('state and callbacks', () => {
  it('refuses a replayed callback, a callback without its cookie and a changed state', async () => {
    const someone = await signUpThrough('google');
    const first = await socialSignIn('google', someone.login);
    expect(first.location).toBe('/');
    // The same code and cookie again: the cookie is gone after one use, and the code is spent at the provider.
    const replay = await get(first.callbackUrl, first.startCookies);
    expect(replay.location).toMatch(/^\/signin\?sso_error=(rejected|expired)$/);
    expect(replay.cookies.get('gatehouse_session')).toBeUndefined();

    const { callbackUrl } = await startSignIn('google', someone.login);
    expect((await get(callbackUrl)).location).toBe('/signin?sso_error=expired');

    const started = await startSignIn('google', someone.login);
    const tampered = new URL(started.callbackUrl);
    tampered.searchParams.set('state', 'forged');
    expect((await get(tampered.href, started.cookies)).location).toBe('/signin?sso_error=rejected');
  });

  it('does not finish one provider’s flow at another provider’s callback', async () => {
    const someone = await person('github');
    const { callbackUrl, cookies } = await startSignIn('github', someone.login);
    const elsewhere = callbackUrl.replace('/api/auth/github/', '/api/auth/google/');
    expect((await get(elsewhere, cookies)).location).toBe('/signin?sso_error=expired');
  });
});

describe('organizations that require single sign-on', () => {
  async function organizationRequiringSso() {
    const admin = await signUp(app);
    const domain = uniqueDomain('ssoonly');
    await verifiedDomain(admin.client, domain);
    await admin.client.ok(
      'mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { security { requireSso } } }',
      { input: { security: { requireSso: true } } },
    );
    return { admin, domain };
  }

  it('refuses social sign-in for the emails of its verified domains', async () => {
    const { domain } = await organizationRequiringSso();
    for (const provider of ['google', 'github'] as const) {
      const someone = await person(provider, `${provider}@${domain}`);
      const attempt = await socialSignIn(provider, someone.login);
      expect(attempt.location).toBe('/signin?sso_error=sso_required');
      expect(attempt.session).toBeUndefined();
    }
  });

  it('refuses password sign-in for its members, but keeps it for Admins (break-glass)', async () => {
    const { admin, domain } = await organizationRequiringSso();
    const email = `member@${domain}`;
    await admin.client.ok(INVITE, { input: { invitations: [{ email, roleId: 'builder' }] } });
    // The member accepted before the requirement mattered: their password exists.
    const member = await signUp(app, { email });
    const refused = await app.client().request(SIGN_IN, { input: { email, password: member.password } });
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.errors?.[0].message).toMatch(/requires single sign-on/);

    const adminEmail = `boss@${domain}`;
    await app.db.query('UPDATE users SET email = $1 WHERE id = $2', [adminEmail, admin.userId]);
    await app.client().ok(SIGN_IN, { input: { email: adminEmail, password: admin.password } });
  });
});

describe('connected sign-in methods', () => {
  it('connects while signed in, and refuses to disconnect the last way in', async () => {
    const someone = await signUpThrough('github');
    const { connectedSignInMethods } = await someone.client.ok(CONNECTED);
    expect(connectedSignInMethods).toEqual([{ provider: 'github', name: 'GitHub', email: someone.email }]);

    const refused = await someone.client.request(DISCONNECT, { provider: 'github' });
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(await identities(someone.userId)).toEqual(['github']);

    // Connect Google from Profile: the session started the flow and proves the account.
    const googleAccount = await person('google', uniqueEmail('second'));
    const session = new Map([['gatehouse_session', someone.client.cookie!.split('=')[1]]]);
    const connected = await socialSignIn('google', googleAccount.login, session, '?connect=1');
    expect(connected.location).toBe('/settings/profile');
    expect(await identities(someone.userId)).toEqual(['github', 'google']);

    await someone.client.ok(DISCONNECT, { provider: 'github' });
    expect(await identities(someone.userId)).toEqual(['google']);
    await expectAuditEvent(app.db, {
      mutation: 'disconnectSignInMethod',
      organizationId: (await someone.client.ok(VIEWER)).viewer.organization.id,
      category: 'USER_ACTIONS',
      action: 'user.signInMethodDisconnected',
      actorId: someone.userId,
      targetId: someone.userId,
    });
  });

  it('lets a password account disconnect its only provider, and refuses to connect one held by someone else', async () => {
    const owner = await signUp(app);
    const taken = await signUpThrough('google');
    const session = new Map([['gatehouse_session', owner.client.cookie!.split('=')[1]]]);
    const attempt = await socialSignIn('google', taken.login, session, '?connect=1');
    expect(attempt.location).toBe('/signin?sso_error=identity_in_use');
    expect(await identities(owner.userId)).toEqual([]);

    const mine = await person('google');
    await socialSignIn('google', mine.login, session, '?connect=1');
    await owner.client.ok(DISCONNECT, { provider: 'google' });
    expect(await identities(owner.userId)).toEqual([]);
  });

  it('needs a signed-in browser session to connect', async () => {
    const started = await get(`${app.url}/api/auth/google/start?connect=1`);
    expect(started.location).toBe('/signin?sso_error=expired');
  });
});
