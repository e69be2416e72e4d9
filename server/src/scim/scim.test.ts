import { type SignedUp, type TestApp, STRONG_PASSWORD, errorCode, signUp, startTestApp } from '../test/harness';
import { CREATE_API_KEY, addMember, eventually, uniqueDomain, withKey } from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';

/**
 * Okta's and Microsoft Entra ID's documented provisioning sequences, replayed over HTTP against
 * the real server, with what they leave behind: members, groups, sessions, keys and audit events.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const CREATE_TOKEN = `mutation($name: String!) { createScimToken(name: $name) { secret scimToken { id name maskedToken createdAt lastUsedAt } } }`;

interface Org {
  admin: SignedUp;
  domain: string;
  token: string;
  tokenId: string;
}

async function organizationWithScim(): Promise<Org> {
  const admin = await signUp(app);
  const domain = uniqueDomain('scim');
  await app.db.query(
    `INSERT INTO organization_domains (organization_id, domain, status, verification_token, verified_at)
     VALUES ($1, $2, 'VERIFIED', 'test', now())`,
    [admin.organizationId, domain],
  );
  const { createScimToken } = await admin.client.ok(CREATE_TOKEN, { name: 'Okta' });
  return { admin, domain, token: createScimToken.secret, tokenId: createScimToken.scimToken.id };
}

async function scim(token: string | null, method: string, path: string, body?: unknown) {
  const response = await fetch(`${app.url}/scim/v2${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: text ? JSON.parse(text) : null };
}

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function oktaUser(email: string, extra: Record<string, unknown> = {}) {
  return {
    schemas: [USER],
    userName: email,
    name: { givenName: 'Grace', familyName: 'Hopper' },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: 'Grace Hopper',
    locale: 'en-US',
    externalId: '00u1abcd',
    groups: [],
    password: 'ignored-by-gatehouse',
    active: true,
    ...extra,
  };
}

async function membership(org: Org, userId: string) {
  const [row] = await app.db.query(
    `SELECT m.status, m.role_id, u.email, u.first_name, u.last_name, u.password_hash, sm.external_id
     FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN scim_members sm ON sm.membership_id = m.id
     WHERE m.organization_id = $1 AND m.user_id = $2`,
    [org.admin.organizationId, userId],
  );
  return row ?? null;
}

async function liveSession(org: Org, userId: string) {
  await app.db.query(
    `INSERT INTO sessions (user_id, organization_id, token_hash, expires_at) VALUES ($1, $2, decode(md5(random()::text), 'hex'), now() + interval '1 day')`,
    [userId, org.admin.organizationId],
  );
}

const openSessions = async (org: Org, userId: string) =>
  Number(
    (
      await app.db.query(
        'SELECT count(*) AS n FROM sessions WHERE user_id = $1 AND organization_id = $2 AND revoked_at IS NULL',
        [userId, org.admin.organizationId],
      )
    )[0].n,
  );

const groupMemberIds = async (groupId: string): Promise<string[]> =>
  (await app.db.query('SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id', [groupId])).map(
    (row: { user_id: string }) => row.user_id,
  );

describe('SCIM discovery', () => {
  it('is public and answers in application/scim+json', async () => {
    const config = await scim(null, 'GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.type).toContain('application/scim+json');
    expect(config.body.patch.supported).toBe(true);
    const types = await scim(null, 'GET', '/ResourceTypes');
    expect(types.body.Resources.map((t: { id: string }) => t.id)).toEqual(['User', 'Group']);
    const schemas = await scim(null, 'GET', '/Schemas');
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([USER, GROUP]);
  });
});

describe('Okta', () => {
  it('creates, looks up, updates, deactivates, reactivates and pushes groups', async () => {
    const org = await organizationWithScim();
    const email = `grace@${org.domain}`;

    // Okta's connection test, then its lookup before creating.
    const first = await scim(org.token, 'GET', '/Users?startIndex=1&count=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(first.body.Resources[0].userName).toBe(org.admin.email);
    const lookup = await scim(
      org.token,
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}&startIndex=1&count=100`,
    );
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await scim(org.token, 'POST', '/Users', oktaUser(email));
    expect(created.status).toBe(201);
    expect(created.type).toContain('application/scim+json');
    const id = created.body.id;
    expect(created.body).toMatchObject({
      userName: email,
      active: true,
      externalId: '00u1abcd',
      name: { givenName: 'Grace' },
    });
    expect(await membership(org, id)).toMatchObject({
      status: 'ACTIVE',
      role_id: 'consumer',
      email,
      password_hash: null,
      external_id: '00u1abcd',
    });
    await expectAuditEvent(app.db, {
      mutation: 'scimCreateUser',
      organizationId: org.admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.userCreated',
      actorId: org.tokenId,
      targetId: id,
    });
    const [event] = await app.db.query(
      `SELECT actor_type, actor_name FROM audit_events WHERE action = 'scim.userCreated' AND target_id = $1`,
      [id],
    );
    expect(event).toEqual({ actor_type: 'SCIM_TOKEN', actor_name: 'SCIM token Okta' });

    // A second create of the same person is a uniqueness conflict.
    const again = await scim(org.token, 'POST', '/Users', oktaUser(email));
    expect(again.status).toBe(409);
    expect(again.body.scimType).toBe('uniqueness');

    const found = await scim(
      org.token,
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${email.toUpperCase()}"`)}`,
    );
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(id);

    // Okta updates profiles with PUT.
    const put = await scim(
      org.token,
      'PUT',
      `/Users/${id}`,
      oktaUser(email, { id, name: { givenName: 'Grace', familyName: 'Murray' } }),
    );
    expect(put.status).toBe(200);
    expect((await membership(org, id)).last_name).toBe('Murray');

    // Deactivation ends sessions and keys at once.
    await liveSession(org, id);
    expect(await openSessions(org, id)).toBe(1);
    const deactivated = await scim(org.token, 'PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect((await membership(org, id)).status).toBe('INACTIVE');
    expect(await openSessions(org, id)).toBe(0);
    const event2 = await expectAuditEvent(app.db, {
      mutation: 'scimPatchUser',
      organizationId: org.admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.userUpdated',
      actorId: org.tokenId,
      targetId: id,
    });
    expect(event2.changes.status).toEqual({ before: 'ACTIVE', after: 'INACTIVE' });

    const reactivated = await scim(org.token, 'PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(reactivated.body.active).toBe(true);
    expect((await membership(org, id)).status).toBe('ACTIVE');

    // Group push: create with a member, then Okta's PATCH adds and removes.
    const group = await scim(org.token, 'POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Engineering',
      members: [],
    });
    expect(group.status).toBe(201);
    const groupId = group.body.id;
    const add = await scim(org.token, 'PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: id, display: email }, { value: org.admin.userId }] }],
    });
    expect(add.status).toBe(200);
    expect(await groupMemberIds(groupId)).toEqual([id, org.admin.userId].sort());
    const removal = await scim(org.token, 'PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `members[value eq "${org.admin.userId}"]` }],
    });
    expect(removal.body.members).toEqual([{ value: id, display: 'Grace Murray' }]);
    expect(await groupMemberIds(groupId)).toEqual([id]);
    const event3 = await expectAuditEvent(app.db, {
      mutation: 'scimPatchGroup',
      organizationId: org.admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.groupUpdated',
      actorId: org.tokenId,
      targetId: groupId,
    });
    expect(event3.changes.membersRemoved).toEqual({ before: [org.admin.userId], after: null });
    const renamed = await scim(org.token, 'PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { id: groupId, displayName: 'Engineers' } }],
    });
    expect(renamed.body.displayName).toBe('Engineers');

    // Managed members and groups refuse the manual edits SCIM would overwrite; roles stay editable.
    const refusedStatus = await org.admin.client.request(
      `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { id } }`,
      { input: { userId: id, status: 'INACTIVE' } },
    );
    expect(errorCode(refusedStatus)).toBe('CONFLICT');
    expect(refusedStatus.errors![0].extensions!.reason).toBe('MANAGED_BY_IDENTITY_PROVIDER');
    const role = await org.admin.client.request(
      `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { id } }`,
      { input: { userId: id, roleId: 'builder' } },
    );
    expect(role.errors).toBeUndefined();
    const rename = await org.admin.client.request(
      `mutation($id: ID!, $input: UpdateGroupInput!) { updateGroup(id: $id, input: $input) { id } }`,
      { id: groupId, input: { name: 'Mine' } },
    );
    expect(errorCode(rename)).toBe('CONFLICT');
    const listed = await org.admin.client.ok(
      `{ groups { id managedByIdentityProvider } members(first: 10) { edges { node { id managedByIdentityProvider } } } }`,
    );
    expect(listed.groups.find((g: { id: string }) => g.id === groupId).managedByIdentityProvider).toBe(true);
    const nodes = listed.members.edges.map((e: { node: { id: string; managedByIdentityProvider: boolean } }) => e.node);
    expect(nodes.find((n: { id: string }) => n.id === id).managedByIdentityProvider).toBe(true);
    expect(nodes.find((n: { id: string }) => n.id === org.admin.userId).managedByIdentityProvider).toBe(false);

    // The Security tab's last sync activity.
    const { scimProvisioning } = await org.admin.client.ok(
      `{ scimProvisioning { baseUrl lastSyncAt lastSyncAction } }`,
    );
    expect(scimProvisioning).toMatchObject({ baseUrl: `${app.url}/scim/v2`, lastSyncAction: 'scim.groupUpdated' });
  });
});

describe('Microsoft Entra ID', () => {
  it('filters on userName and externalId, patches with capitalised ops and "False", pushes groups and deletes', async () => {
    const org = await organizationWithScim();
    const email = `alan@${org.domain}`;
    // Entra's probe for a user that does not exist.
    const probe = await scim(
      org.token,
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "7b6d2a2e-0000-4f6f-9a5e-000000000000"')}`,
    );
    expect(probe.body.totalResults).toBe(0);

    const created = await scim(org.token, 'POST', '/Users', {
      schemas: [USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: 'alan',
      userName: email,
      active: true,
      emails: [{ primary: true, type: 'work', value: email }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Alan Turing', familyName: 'Turing', givenName: 'Alan' },
      roles: [],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const both = await scim(
      org.token,
      'GET',
      `/Users?filter=${encodeURIComponent(`externalId eq "alan" and userName eq "${email}"`)}`,
    );
    expect(both.body.Resources.map((u: { id: string }) => u.id)).toEqual([id]);

    const patched = await scim(org.token, 'PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'name.familyName', value: 'Mathison-Turing' },
        { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Research' },
        { op: 'Replace', path: 'externalId', value: 'alan-2' },
      ],
    });
    expect(patched.status).toBe(200);
    expect(await membership(org, id)).toMatchObject({ last_name: 'Mathison-Turing', external_id: 'alan-2' });

    await liveSession(org, id);
    const disabled = await scim(org.token, 'PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(disabled.body.active).toBe(false);
    expect((await membership(org, id)).status).toBe('INACTIVE');
    expect(await openSessions(org, id)).toBe(0);
    await scim(org.token, 'PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect((await membership(org, id)).status).toBe('ACTIVE');

    // Group push: Entra creates without members, then adds and removes with PATCH.
    const group = await scim(org.token, 'POST', '/Groups', {
      schemas: [GROUP],
      externalId: 'g-1',
      displayName: 'Research',
      members: [],
    });
    const groupId = group.body.id;
    const byName = await scim(
      org.token,
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Research"')}`,
    );
    expect(byName.body.Resources).toEqual([expect.objectContaining({ id: groupId, externalId: 'g-1' })]);
    expect(byName.body.Resources[0].members).toBeUndefined();
    await scim(org.token, 'PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: id }] }],
    });
    expect(await groupMemberIds(groupId)).toEqual([id]);
    await scim(org.token, 'PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: id }] }],
    });
    expect(await groupMemberIds(groupId)).toEqual([]);

    const deletedGroup = await scim(org.token, 'DELETE', `/Groups/${groupId}`);
    expect(deletedGroup.status).toBe(204);
    await expectAuditEvent(app.db, {
      mutation: 'scimDeleteGroup',
      organizationId: org.admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.groupDeleted',
      actorId: org.tokenId,
      targetId: groupId,
    });
    const deleted = await scim(org.token, 'DELETE', `/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(await membership(org, id)).toBeNull();
    expect((await scim(org.token, 'GET', `/Users/${id}`)).status).toBe(404);
    await expectAuditEvent(app.db, {
      mutation: 'scimDeleteUser',
      organizationId: org.admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.userDeleted',
      actorId: org.tokenId,
      targetId: id,
    });
  });
});

describe('an existing member taken over by SCIM', () => {
  it('stops their keys and sessions at once when deactivated, and refuses manual removal', async () => {
    const org = await organizationWithScim();
    const member = await addMember(app, org.admin);
    const { createApiKey } = await member.client.ok(CREATE_API_KEY, { input: { name: 'laptop' } });
    const key = withKey(app, createApiKey.secret);
    const WHO = '{ viewer { user { id } } }';
    expect((await key.ok(WHO)).viewer.user.id).toBe(member.userId);
    // Entra matches the existing member by userName, then takes them over with a PATCH.
    const found = await scim(org.token, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${member.email}"`)}`);
    expect(found.body.Resources.map((u: { id: string }) => u.id)).toEqual([member.userId]);
    await scim(org.token, 'PATCH', `/Users/${member.userId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: 'externalId', value: 'ext-1' }],
    });
    expect((await membership(org, member.userId)).external_id).toBe('ext-1');

    await scim(org.token, 'PATCH', `/Users/${member.userId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(await eventually(async () => errorCode(await key.request(WHO)) === 'UNAUTHENTICATED', 1000)).toBe(true);
    expect(errorCode(await member.client.request('{ scimTokens { id } }'))).toBe('UNAUTHENTICATED');

    const removal = await org.admin.client.request('mutation($id: ID!) { removeMember(userId: $id) }', {
      id: member.userId,
    });
    expect(errorCode(removal)).toBe('CONFLICT');
    expect(await membership(org, member.userId)).not.toBeNull();

    await scim(org.token, 'PATCH', `/Users/${member.userId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect((await key.ok(WHO)).viewer.user.id).toBe(member.userId);
  });
});

describe('SCIM refusals', () => {
  it('answers malformed filters with invalidFilter and bad PATCH paths with invalidPath, changing nothing', async () => {
    const org = await organizationWithScim();
    const email = `ada@${org.domain}`;
    const { body } = await scim(org.token, 'POST', '/Users', oktaUser(email));
    const before = await membership(org, body.id);
    for (const filter of ['userName eq', 'userName xx "a"', 'password eq "x"']) {
      const answer = await scim(org.token, 'GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(answer.status).toBe(400);
      expect(answer.type).toContain('application/scim+json');
      expect(answer.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    }
    for (const path of ['members[value eq', 'nickName.first', 'password']) {
      const answer = await scim(org.token, 'PATCH', `/Users/${body.id}`, {
        schemas: [PATCH],
        Operations: [
          { op: 'replace', path: 'name.familyName', value: 'Changed' },
          { op: 'replace', path, value: 'x' },
        ],
      });
      expect(answer.status).toBe(400);
      expect(answer.body.scimType).toBe('invalidPath');
    }
    expect(await membership(org, body.id)).toEqual(before);
    const broken = await scim(org.token, 'POST', '/Users', '{"userName": ');
    expect(broken.status).toBe(400);
    expect(broken.body.scimType).toBe('invalidSyntax');
    expect(JSON.stringify(broken.body)).not.toMatch(/at .*\.js/);
  });

  it('refuses an address outside the verified domains', async () => {
    const org = await organizationWithScim();
    const answer = await scim(org.token, 'POST', '/Users', oktaUser('someone@unverified.example.net'));
    expect(answer.status).toBe(400);
    expect(answer.body.scimType).toBe('invalidValue');
  });

  it("shows a token nothing of another organization's members or groups", async () => {
    const mine = await organizationWithScim();
    const theirs = await organizationWithScim();
    const { body: user } = await scim(theirs.token, 'POST', '/Users', oktaUser(`bob@${theirs.domain}`));
    const { body: group } = await scim(theirs.token, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Theirs' });
    const list = await scim(mine.token, 'GET', '/Users');
    expect(list.body.Resources.map((u: { id: string }) => u.id)).toEqual([mine.admin.userId]);
    expect((await scim(mine.token, 'GET', '/Groups')).body.totalResults).toBe(0);
    expect((await scim(mine.token, 'GET', `/Users/${user.id}`)).status).toBe(404);
    expect((await scim(mine.token, 'DELETE', `/Users/${user.id}`)).status).toBe(404);
    expect(
      (
        await scim(mine.token, 'PATCH', `/Groups/${group.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'remove', path: 'members' }],
        })
      ).status,
    ).toBe(404);
    // Nor can it put their people in its groups.
    const { body: own } = await scim(mine.token, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Mine' });
    const sneak = await scim(mine.token, 'PATCH', `/Groups/${own.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }],
    });
    expect(sneak.status).toBe(400);
    expect(await groupMemberIds(own.id)).toEqual([]);
  });

  it('refuses a revoked token, a missing one, and a SCIM token on the GraphQL API', async () => {
    const org = await organizationWithScim();
    expect((await scim(null, 'GET', '/Users')).status).toBe(401);
    const session = await fetch(`${app.url}/scim/v2/Users`, { headers: { cookie: org.admin.client.cookie! } });
    expect(session.status).toBe(401);
    const graphql = app.client();
    graphql.bearer = org.token;
    expect(errorCode(await graphql.request('{ scimTokens { id } }'))).toBe('UNAUTHENTICATED');

    const { revokeScimToken } = await org.admin.client.ok(`mutation($id: ID!) { revokeScimToken(id: $id) }`, {
      id: org.tokenId,
    });
    expect(revokeScimToken).toBe(org.tokenId);
    await expectAuditEvent(app.db, {
      mutation: 'revokeScimToken',
      organizationId: org.admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.tokenRevoked',
      actorId: org.admin.userId,
      targetId: org.tokenId,
    });
    const refused = await scim(org.token, 'GET', '/Users');
    expect(refused.status).toBe(401);
    expect(refused.type).toContain('application/scim+json');
    expect(refused.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect((await org.admin.client.ok('{ scimTokens { id } }')).scimTokens).toEqual([]);
  });
});

describe('SCIM tokens', () => {
  it('are created by security:manage with the secret shown once, and refused to others', async () => {
    const org = await organizationWithScim();
    const { scimTokens } = await org.admin.client.ok('{ scimTokens { id name maskedToken lastUsedAt } }');
    expect(scimTokens).toEqual([
      { id: org.tokenId, name: 'Okta', maskedToken: expect.stringMatching(/^gth_scim_\w{4}…\w{4}$/), lastUsedAt: null },
    ]);
    expect(org.token).toMatch(/^gth_scim_[0-9A-Za-z]{46}$/);
    await expectAuditEvent(app.db, {
      mutation: 'createScimToken',
      organizationId: org.admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'scim.tokenCreated',
      actorId: org.admin.userId,
      targetId: org.tokenId,
    });
    const stored = await app.db.query('SELECT secret_hash FROM scim_tokens WHERE id = $1', [org.tokenId]);
    expect(stored[0].secret_hash.toString()).not.toContain(org.token);

    // A member without security:manage.
    const other = await signUp(app);
    const email = `member-${Date.now()}@${org.domain}`;
    await scim(org.token, 'POST', '/Users', oktaUser(email));
    await app.db.query(
      'UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = $1) WHERE email = $2',
      [other.userId, email],
    );
    const member = app.client();
    await member.ok(`mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }`, {
      input: { email, password: STRONG_PASSWORD },
    });
    expect(errorCode(await member.request(CREATE_TOKEN, { name: 'x' }))).toBe('FORBIDDEN');
    expect(errorCode(await member.request('{ scimTokens { id } }'))).toBe('FORBIDDEN');
    expect(
      errorCode(await member.request(`mutation($id: ID!) { revokeScimToken(id: $id) }`, { id: org.tokenId })),
    ).toBe('FORBIDDEN');
  });
});
