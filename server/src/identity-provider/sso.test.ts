import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretBox } from '../auth/secret-box';
import {
  CREATE_IDENTITY_PROVIDER,
  UPDATE_IDENTITY_PROVIDER,
  createGroup,
  unique,
  uniqueDomain,
  verifiedDomain,
} from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';
import { getRedirect } from '../test/redirects';
import {
  type SignedUp,
  type TestApp,
  TestClient,
  errorCode,
  signUp,
  startServerProcess,
  startTestApp,
} from '../test/harness';
import { type OidcProviderFixture, startOidcProvider } from '../test/oidc-provider';

let app: TestApp;
let idp: OidcProviderFixture;
beforeAll(async () => {
  // The test provider listens on loopback.
  app = await startTestApp({ allowPrivateNetwork: true });
  idp = await startOidcProvider({ redirectUris: [`${app.url}/api/sso/callback`] });
});
afterAll(async () => {
  await idp?.stop();
  await app?.close();
});

const SSO_COOKIE = 'gatehouse_sso';

interface Setup {
  admin: SignedUp;
  providerId: string;
  domain: string;
  domainId: string;
  engineeringGroup: string;
  input: Record<string, unknown>;
}

/** An organization whose provider maps "engineering" to Builder + the Engineering group and "it" to Admin. */
async function organizationWithProvider(overrides: Record<string, unknown> = {}): Promise<Setup> {
  const admin = await signUp(app);
  const engineeringGroup = await createGroup(admin.client, unique('Engineering'));
  const domain = uniqueDomain();
  const claim = await verifiedDomain(admin.client, domain);
  const input = {
    name: 'Corporate login',
    issuer: idp.url,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    groupsClaim: 'groups',
    emailDomains: [domain],
    enabled: true,
    groupMappings: [
      { idpGroup: 'engineering', roleId: 'builder', groupId: engineeringGroup },
      { idpGroup: 'it', roleId: 'admin' },
    ],
    ...overrides,
  };
  const { createIdentityProvider } = await admin.client.ok(CREATE_IDENTITY_PROVIDER, { input });
  return { admin, providerId: createIdentityProvider.id, domain, domainId: claim.id, engineeringGroup, input };
}

/** A person at the identity provider, with a login of their own. */
async function person(setup: Setup, groups: string[], email = `${unique('p').replace(/\W/g, '')}@${setup.domain}`) {
  const login = unique('login').replace(/\W/g, '');
  await idp.setAccount(login, { sub: `sub-${login}`, email, given_name: 'Sam', family_name: 'Single', groups });
  return { login, email, sub: `sub-${login}` };
}

const get = getRedirect;

/** Starts at Gatehouse, signs in at the provider, and stops before the callback. */
async function startSignIn(start: string, login: string, base = app.url) {
  const started = await get(`${base}/api/sso/start?${start}`);
  expect(started.status).toBe(303);
  expect(started.location.startsWith(idp.url)).toBe(true);
  return { callbackUrl: await idp.signIn(started.location, login), cookies: started.cookies };
}

/** The whole flow; answers where Gatehouse finally sends the browser, and a client with its session. */
async function ssoSignIn(start: string, login: string) {
  const { callbackUrl, cookies } = await startSignIn(start, login);
  const finished = await get(callbackUrl, cookies);
  expect(finished.status).toBe(303);
  const client = new TestClient(app.url);
  const session = finished.cookies.get('gatehouse_session');
  client.cookie = session ? `gatehouse_session=${session}` : null;
  return { location: finished.location, client, cookies: finished.cookies };
}

/** The refusal's audit event: a failed sign-in in the provider's organization, of the person when known. */
function expectFailedSignIn(setup: Setup, userId: string | null) {
  return expectAuditEvent(app.db, {
    mutation: 'signInWithSso',
    organizationId: setup.admin.organizationId,
    category: 'USER_ACTIONS',
    action: 'user.signInFailed',
    actorId: userId,
    targetId: userId,
    outcome: 'FAILURE',
  });
}

const VIEWER = '{ viewer { user { id email firstName hasPassword } role { id } organization { id } } }';
const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }';

async function groupMembers(groupId: string): Promise<string[]> {
  const rows = await app.db.query('SELECT user_id FROM group_members WHERE group_id = $1', [groupId]);
  return rows.map((row: { user_id: string }) => row.user_id);
}

describe('single sign-on with OpenID Connect', () => {
  it('creates the account on the first sign-in, without a password, with the mapped role and group', async () => {
    const setup = await organizationWithProvider();
    const alice = await person(setup, ['engineering', 'unrelated']);
    const { location, client } = await ssoSignIn(`email=${encodeURIComponent(alice.email)}`, alice.login);
    expect(location).toBe('/');
    const { viewer } = await client.ok(VIEWER);
    expect(viewer).toEqual({
      user: { id: expect.any(String), email: alice.email, firstName: 'Sam', hasPassword: false },
      role: { id: 'builder' },
      organization: { id: setup.admin.organizationId },
    });
    expect(await groupMembers(setup.engineeringGroup)).toEqual([viewer.user.id]);
    const signedIn = await expectAuditEvent(app.db, {
      mutation: 'signInWithSso',
      organizationId: setup.admin.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.signedInWithSso',
      actorId: viewer.user.id,
      targetId: viewer.user.id,
    });
    expect(signedIn.changes.identityProvider.after).toBe('Corporate login');
    await expectAuditEvent(app.db, {
      mutation: 'signInWithSso',
      organizationId: setup.admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'member.joinedThroughSso',
      actorId: viewer.user.id,
      targetId: viewer.user.id,
    });

    // No password and no 2FA of their own: the provider handles both.
    const changePassword = await client.request(
      'mutation($input: ChangePasswordInput!) { changePassword(input: $input) }',
      { input: { currentPassword: 'anything', newPassword: 'Another!Pass2026' } },
    );
    expect(errorCode(changePassword)).toBe('FORBIDDEN');
    expect(errorCode(await client.request('mutation { startTwoFactorEnrollment { secret } }'))).toBe('FORBIDDEN');
    const passwordSignIn = await app
      .client()
      .request('mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }', {
        input: { email: alice.email, password: 'Gatehouse!2026x' },
      });
    expect(errorCode(passwordSignIn)).toBe('UNAUTHENTICATED');
  });

  it("applies the provider's groups again at every sign-in, and refuses people no mapping admits", async () => {
    const setup = await organizationWithProvider();
    const bob = await person(setup, ['engineering']);
    const first = await ssoSignIn(`provider=${setup.providerId}`, bob.login);
    const userId = (await first.client.ok(VIEWER)).viewer.user.id;

    await idp.setAccount(bob.login, { sub: bob.sub, email: bob.email, groups: ['it'] });
    const second = await ssoSignIn(`provider=${setup.providerId}`, bob.login);
    expect((await second.client.ok(VIEWER)).viewer.role.id).toBe('admin');
    expect(await groupMembers(setup.engineeringGroup)).toEqual([]);
    const roleChange = await expectAuditEvent(app.db, {
      mutation: 'signInWithSso',
      organizationId: setup.admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'member.updated',
      actorId: userId,
      targetId: userId,
    });
    expect(roleChange.changes.roleId).toEqual({ before: 'builder', after: 'admin' });
    await expectAuditEvent(app.db, {
      mutation: 'signInWithSso',
      organizationId: setup.admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'member.groupsSyncedThroughSso',
      actorId: null,
      targetId: userId,
    });

    await idp.setAccount(bob.login, { sub: bob.sub, email: bob.email, groups: ['marketing'] });
    const refused = await ssoSignIn(`provider=${setup.providerId}`, bob.login);
    expect(refused.location).toBe('/signin?sso_error=no_access');
    expect(refused.cookies.has('gatehouse_session')).toBe(false);
    const failure = await expectFailedSignIn(setup, userId);
    expect(failure.failure_reason).toContain('marketing');
    const [{ role_id }] = await app.db.query('SELECT role_id FROM memberships WHERE user_id = $1', [userId]);
    expect(role_id).toBe('admin');
  });

  it("keeps the organization's last Admin: a sign-in that would demote them is refused", async () => {
    const setup = await organizationWithProvider();
    const grace = await person(setup, ['it']);
    const signedIn = await ssoSignIn(`provider=${setup.providerId}`, grace.login);
    const graceId = (await signedIn.client.ok(VIEWER)).viewer.user.id;
    await signedIn.client.ok('mutation($u: ID!) { updateMember(input: { userId: $u, roleId: "consumer" }) { id } }', {
      u: setup.admin.userId,
    });
    await idp.setAccount(grace.login, { sub: grace.sub, email: grace.email, groups: ['engineering'] });
    const refused = await ssoSignIn(`provider=${setup.providerId}`, grace.login);
    expect(refused.location).toBe('/signin?sso_error=last_admin');
    const [{ role_id }] = await app.db.query('SELECT role_id FROM memberships WHERE user_id = $1', [graceId]);
    expect(role_id).toBe('admin');
  });

  it('rejects an answer whose state does not match the one this browser started with', async () => {
    const setup = await organizationWithProvider();
    const carol = await person(setup, ['engineering']);
    const { callbackUrl, cookies } = await startSignIn(`provider=${setup.providerId}`, carol.login);
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set('state', 'forged-state');
    const finished = await get(tampered.href, cookies);
    expect(finished.location).toBe('/signin?sso_error=rejected');
    expect(finished.cookies.has('gatehouse_session')).toBe(false);
    const failure = await expectFailedSignIn(setup, null);
    expect(failure.failure_reason).toMatch(/state mismatch/);
    const [{ count }] = await app.db.query('SELECT count(*)::int AS count FROM users WHERE email = $1', [carol.email]);
    expect(count).toBe(0);

    // Another browser's answer (no attempt started here) is refused too.
    expect((await get(callbackUrl)).location).toBe('/signin?sso_error=expired');
  });

  it('rejects an ID token whose nonce is not the one sent', async () => {
    const setup = await organizationWithProvider();
    const dan = await person(setup, ['engineering']);
    const { callbackUrl, cookies } = await startSignIn(`provider=${setup.providerId}`, dan.login);
    const box = SecretBox.fromConfig(app.config);
    const pending = JSON.parse(box.open(decodeURIComponent(cookies.get(SSO_COOKIE)!)));
    cookies.set(SSO_COOKIE, encodeURIComponent(box.seal(JSON.stringify({ ...pending, nonce: 'another-nonce' }))));
    const finished = await get(callbackUrl, cookies);
    expect(finished.location).toBe('/signin?sso_error=rejected');
    const failure = await expectFailedSignIn(setup, null);
    expect(failure.failure_reason).toMatch(/nonce mismatch/);
  });

  it('refuses a provider whose discovery document names another issuer', async () => {
    const impostor = await startOidcProvider({
      redirectUris: [`${app.url}/api/sso/callback`],
      issuer: 'http://localhost:{port}',
    });
    try {
      expect(impostor.issuer).not.toBe(impostor.url);
      const setup = await organizationWithProvider({
        issuer: impostor.url,
        clientId: impostor.clientId,
        clientSecret: impostor.clientSecret,
      });
      const started = await get(`${app.url}/api/sso/start?provider=${setup.providerId}`);
      expect(started.location).toBe('/signin?sso_error=rejected');
      expect(started.cookies.has(SSO_COOKIE)).toBe(false);
    } finally {
      await impostor.stop();
    }
  });

  it('refuses a turned-off provider, also when it was turned off during the sign-in', async () => {
    const setup = await organizationWithProvider();
    const erin = await person(setup, ['engineering']);
    const { callbackUrl, cookies } = await startSignIn(`provider=${setup.providerId}`, erin.login);
    await setup.admin.client.ok(UPDATE_IDENTITY_PROVIDER, {
      id: setup.providerId,
      input: { ...setup.input, clientSecret: null, enabled: false },
    });
    expect((await get(callbackUrl, cookies)).location).toBe('/signin?sso_error=provider_unavailable');
    expect((await get(`${app.url}/api/sso/start?provider=${setup.providerId}`)).location).toBe(
      '/signin?sso_error=provider_unavailable',
    );
    expect((await get(`${app.url}/api/sso/start?email=${encodeURIComponent(erin.email)}`)).location).toBe(
      '/signin?sso_error=no_provider',
    );
    const [{ count }] = await app.db.query('SELECT count(*)::int AS count FROM users WHERE email = $1', [erin.email]);
    expect(count).toBe(0);
  });

  it("holds people to the organization's authorized email domains, except those the mappings make Admin", async () => {
    const setup = await organizationWithProvider();
    await setup.admin.client.ok(
      'mutation { updateOrganizationSettings(input: { security: { authorizedEmailDomains: ["elsewhere.example.org"] } }) { general { name } } }',
    );
    const builder = await person(setup, ['engineering']);
    expect((await ssoSignIn(`provider=${setup.providerId}`, builder.login)).location).toBe(
      '/signin?sso_error=unauthorized_domain',
    );
    const [{ count }] = await app.db.query(
      'SELECT count(*)::int AS count FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1',
      [builder.email],
    );
    expect(count).toBe(0);
    const admin = await person(setup, ['it']);
    const signedIn = await ssoSignIn(`provider=${setup.providerId}`, admin.login);
    expect((await signedIn.client.ok(VIEWER)).viewer.role.id).toBe('admin');
  });

  it('links an existing password account only after its password, then signs it in by subject', async () => {
    const setup = await organizationWithProvider();
    const existing = await signUp(app, { email: `owner-${unique('x').replace(/\W/g, '')}@${setup.domain}` });
    const claimer = await person(setup, ['it'], existing.email);
    const { location, cookies } = await ssoSignIn(`provider=${setup.providerId}`, claimer.login);
    expect(cookies.has('gatehouse_session')).toBe(false);
    const url = new URL(location, app.url);
    expect(url.pathname).toBe('/signin');
    expect(url.searchParams.get('email')).toBe(existing.email);
    const identities = () => app.db.query('SELECT subject FROM user_identities WHERE user_id = $1', [existing.userId]);
    const memberships = async () =>
      (await app.db.query('SELECT count(*)::int AS count FROM memberships WHERE user_id = $1', [existing.userId]))[0]
        .count;
    expect(await identities()).toEqual([]);
    expect(await memberships()).toBe(1);

    // The email claim alone links nothing: the account's password is needed, in this flow.
    const linkToken = url.searchParams.get('link')!;
    const wrong = await app.client().request(SIGN_IN, {
      input: { email: existing.email, password: 'Not-the-password-1', linkToken },
    });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(await identities()).toEqual([]);

    const linked = app.client();
    await linked.ok(SIGN_IN, { input: { email: existing.email, password: existing.password, linkToken } });
    expect(await identities()).toEqual([{ subject: claimer.sub }]);
    const connected = await expectAuditEvent(app.db, {
      mutation: 'signIn',
      organizationId: existing.organizationId,
      category: 'USER_ACTIONS',
      action: 'user.signInMethodConnected',
      actorId: existing.userId,
      targetId: existing.userId,
    });
    expect(connected.changes.signInMethod.after).toBe('Corporate login');
    const { connectedSignInMethods } = await linked.ok('{ connectedSignInMethods { provider name } }');
    expect(connectedSignInMethods).toEqual([{ provider: 'sso', name: 'Corporate login' }]);

    // Found by subject now; the mappings still decide the role in the provider's organization.
    const after = await ssoSignIn(`provider=${setup.providerId}`, claimer.login);
    expect(after.location).toBe('/');
    expect((await after.client.ok(VIEWER)).viewer).toMatchObject({
      user: { id: existing.userId, hasPassword: true },
      role: { id: 'admin' },
      organization: { id: setup.admin.organizationId },
    });
    expect(await memberships()).toBe(2);
  });

  it('never takes over an existing account without a password', async () => {
    const setup = await organizationWithProvider();
    const first = await person(setup, ['engineering']);
    const created = await ssoSignIn(`provider=${setup.providerId}`, first.login);
    const userId = (await created.client.ok(VIEWER)).viewer.user.id;
    // A second provider account claiming the same email: no password to prove the account with.
    const claimer = await person(setup, ['it'], first.email);
    const { location, cookies } = await ssoSignIn(`provider=${setup.providerId}`, claimer.login);
    expect(location).toBe('/signin?sso_error=account_exists');
    expect(cookies.has('gatehouse_session')).toBe(false);
    const identities = await app.db.query('SELECT subject FROM user_identities WHERE user_id = $1', [userId]);
    expect(identities).toEqual([{ subject: first.sub }]);
  });

  it('signs in a person provisioned over SCIM, who has no password, and links their identity', async () => {
    const setup = await organizationWithProvider();
    const { createScimToken } = await setup.admin.client.ok('mutation { createScimToken(name: "IdP") { secret } }');
    const email = `${unique('scim').replace(/\W/g, '')}@${setup.domain}`;
    const provisioned = await fetch(`${app.url}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${createScimToken.secret}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: email, active: true }),
    });
    expect(provisioned.status).toBe(201);
    const { id } = await provisioned.json();
    const hana = await person(setup, ['engineering'], email);
    const { location, client } = await ssoSignIn(`email=${encodeURIComponent(email)}`, hana.login);
    expect(location).toBe('/');
    expect((await client.ok(VIEWER)).viewer).toMatchObject({
      user: { id, email, hasPassword: false },
      role: { id: 'builder' },
    });
    const identities = await app.db.query('SELECT subject FROM user_identities WHERE user_id = $1', [id]);
    expect(identities).toEqual([{ subject: hana.sub }]);
    // Another account at the provider with the same email does not take the person over.
    const other = await person(setup, ['it'], email);
    expect((await ssoSignIn(`email=${encodeURIComponent(email)}`, other.login)).location).toBe(
      '/signin?sso_error=account_exists',
    );
  });

  it("routes by email only to the organization that verified the domain, never to a squatter's claim", async () => {
    const setup = await organizationWithProvider();
    const squatter = await signUp(app);
    await squatter.client.ok('mutation($d: String!) { addDomain(domain: $d) { id } }', { d: setup.domain });
    const gina = await person(setup, ['engineering']);
    const { location, client } = await ssoSignIn(`email=${encodeURIComponent(gina.email)}`, gina.login);
    expect(location).toBe('/');
    expect((await client.ok(VIEWER)).viewer.organization.id).toBe(setup.admin.organizationId);

    // A provider row that names a domain its organization never verified (as before domains were
    // verified) routes no one.
    const legacy = uniqueDomain('legacy');
    await app.db.query(
      'INSERT INTO identity_provider_domains (identity_provider_id, organization_id, domain) VALUES ($1, $2, $3)',
      [setup.providerId, setup.admin.organizationId, legacy],
    );
    expect((await get(`${app.url}/api/sso/start?email=${encodeURIComponent(`x@${legacy}`)}`)).location).toBe(
      '/signin?sso_error=no_provider',
    );
  });

  it("refuses an email at a domain the provider's organization has not verified, subdomains unless flagged", async () => {
    const setup = await organizationWithProvider();
    for (const email of [`victim@${uniqueDomain('elsewhere')}`, `sub@eu.${setup.domain}`]) {
      const claimer = await person(setup, ['it'], email);
      const refused = await ssoSignIn(`provider=${setup.providerId}`, claimer.login);
      expect(refused.location).toBe('/signin?sso_error=unverified_domain');
      expect(refused.cookies.has('gatehouse_session')).toBe(false);
      const failure = await expectFailedSignIn(setup, null);
      expect(failure.failure_reason).toBe(`sso: ${email.split('@')[1]} is not a verified domain`);
      const [{ count }] = await app.db.query('SELECT count(*)::int AS count FROM users WHERE email = $1', [email]);
      expect(count).toBe(0);
    }
    await setup.admin.client.ok(
      'mutation($id: ID!) { updateDomain(id: $id, input: { includeSubdomains: true }) { id } }',
      {
        id: setup.domainId,
      },
    );
    const signedIn = await ssoSignIn(
      `provider=${setup.providerId}`,
      (await person(setup, ['it'], `ok@eu.${setup.domain}`)).login,
    );
    expect(signedIn.location).toBe('/');
  });

  it('finishes on another server instance than the one that started it', async () => {
    const setup = await organizationWithProvider();
    const frank = await person(setup, ['engineering']);
    const other = await startServerProcess({
      PUBLIC_URL: app.url,
      DATABASE_URL: process.env.DATABASE_URL!,
      ALLOW_PRIVATE_NETWORK: 'true',
    });
    try {
      const { callbackUrl, cookies } = await startSignIn(`provider=${setup.providerId}`, frank.login, other.url);
      const finished = await get(callbackUrl, cookies);
      expect(finished.location).toBe('/');
      const client = new TestClient(app.url);
      client.cookie = `gatehouse_session=${finished.cookies.get('gatehouse_session')}`;
      expect((await client.ok(VIEWER)).viewer.user.email).toBe(frank.email);
    } finally {
      await other.stop();
    }
  });
});

/** A stand-in for an identity provider on loopback: each issuer path misbehaves its own way. */
async function standInProvider() {
  const connections = { count: 0 };
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const path = req.url!.replace('/.well-known/openid-configuration', '');
    if (path === '/broken') return res.writeHead(500, 'secret-status-text').end('secret-body-text');
    if (path === '/huge') return res.end(Buffer.alloc(2 * 1024 * 1024, 'a'));
    if (path === '/slow') return res.writeHead(200).write('{');
    // A valid document whose token endpoint is the cloud metadata service.
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        issuer: `${base}${path}`,
        authorization_endpoint: `${base}${path}/authorize`,
        token_endpoint: 'http://169.254.169.254/latest/meta-data/iam',
        jwks_uri: `${base}${path}/jwks`,
      }),
    );
  });
  server.on('connection', () => connections.count++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('single sign-on never reaches into the private network', () => {
  /** A server with the default configuration (ALLOW_PRIVATE_NETWORK off), on the same database. */
  let strict: TestApp;
  let standIn: Awaited<ReturnType<typeof standInProvider>>;
  beforeAll(async () => {
    strict = await startTestApp();
    standIn = await standInProvider();
  });
  afterAll(async () => {
    await standIn?.close();
    await strict?.close();
  });

  async function lastFailure(setup: Setup) {
    return (await expectFailedSignIn(setup, null)).failure_reason as string;
  }

  it('an anonymous sign-in link to a provider with a loopback issuer makes no connection at all', async () => {
    // Saved where the private network is allowed, used where it is not (as after a configuration change).
    const setup = await organizationWithProvider({ issuer: `${standIn.url}/valid` });
    const before = standIn.connections.count;
    const started = await get(`${strict.url}/api/sso/start?provider=${setup.providerId}`);
    expect(started.location).toBe('/signin?sso_error=unreachable');
    expect(standIn.connections.count).toBe(before);
    expect(await lastFailure(setup)).toBe('sso: unreachable: FORBIDDEN_TARGET');
  });

  it('checks the endpoints the discovery document names: a metadata token endpoint is refused', async () => {
    const setup = await organizationWithProvider({ issuer: `${standIn.url}/valid` });
    const started = await get(`${app.url}/api/sso/start?provider=${setup.providerId}`);
    const authorization = new URL(started.location);
    expect(authorization.pathname).toBe('/valid/authorize');
    const callback = `${app.url}/api/sso/callback?code=forged&state=${authorization.searchParams.get('state')}`;
    const finished = await get(callback, started.cookies);
    expect(finished.location).toBe('/signin?sso_error=unreachable');
    expect(await lastFailure(setup)).toBe('sso: unreachable: FORBIDDEN_TARGET');
  });

  it.each([
    ['/broken', 'sso: unreachable: BAD_RESPONSE'],
    ['/huge', 'sso: unreachable: TOO_LARGE'],
    ['/slow', 'sso: unreachable: TIMEOUT'],
  ])('records a fixed reason, never the provider’s words, when discovery at %s fails', async (path, reason) => {
    const setup = await organizationWithProvider({ issuer: `${standIn.url}${path}` });
    const started = await get(`${app.url}/api/sso/start?provider=${setup.providerId}`);
    expect(started.location).toBe('/signin?sso_error=unreachable');
    expect(started.cookies.has(SSO_COOKIE)).toBe(false);
    expect(await lastFailure(setup)).toBe(reason);
    const [{ events }] = await app.db.query(
      `SELECT string_agg(row_to_json(e)::text, '') AS events FROM audit_events e WHERE organization_id = $1`,
      [setup.admin.organizationId],
    );
    expect(events).not.toContain('secret-');
  });
});
