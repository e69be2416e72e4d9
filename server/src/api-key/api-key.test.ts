import {
  ServerProcess,
  SignedUp,
  TestApp,
  TestClient,
  errorCode,
  signUp,
  startServerProcess,
  startTestApp,
} from '../test/harness';
import { addAnotherAdmin, addMember, createWorkspace } from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';

const KEY_FIELDS =
  'id name description maskedKey isDefault status scopes createdAt expiresAt lastUsedAt lastUsedIp revokedAt previousSecretExpiresAt';
const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { ${KEY_FIELDS} } } }`;
const LIST = `query($ownerId: ID) { apiKeys(ownerId: $ownerId) { ${KEY_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateApiKeyInput!) { updateApiKey(id: $id, input: $input) { ${KEY_FIELDS} } }`;
const ROTATE = `mutation($id: ID!, $grace: Int) { rotateApiKey(id: $id, gracePeriodSeconds: $grace) { secret apiKey { ${KEY_FIELDS} } } }`;
const END_PREVIOUS = `mutation($id: ID!) { endPreviousSecret(id: $id) { ${KEY_FIELDS} } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteApiKey(id: $id) }`;
const VIEWER = `{ viewer { user { id } organization { id } permissions apiKey { id name } } }`;
const INVALID_KEY_MESSAGE = 'The API key is not valid. Check it, or create a new one.';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function createKey(owner: SignedUp | TestClient, input: Record<string, unknown> = {}) {
  const client = 'client' in owner ? owner.client : owner;
  const data = await client.ok(CREATE, { input: { name: `key-${Math.random().toString(36).slice(2, 8)}`, ...input } });
  return data.createApiKey as { secret: string; apiKey: Record<string, any> };
}

function withKey(secret: string, base: { client(): TestClient } = app): TestClient {
  const client = base.client();
  client.bearer = secret;
  return client;
}

async function defaultKeyId(owner: SignedUp): Promise<string> {
  const { apiKeys } = await owner.client.ok(LIST);
  return apiKeys.find((key: { isDefault: boolean }) => key.isDefault).id;
}

/** Cache invalidation travels by NOTIFY: give it up to a second, as the spec allows. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 1000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('default key', () => {
  it('exists for every member from the start, never shown, never expiring', async () => {
    const owner = await signUp(app);
    const { apiKeys } = await owner.client.ok(LIST);
    expect(apiKeys).toEqual([
      expect.objectContaining({
        name: 'Default key',
        isDefault: true,
        status: 'ACTIVE',
        scopes: ['*'],
        expiresAt: null,
      }),
    ]);
    expect(apiKeys[0].maskedKey).toMatch(/^gth_[0-9A-Za-z]{4}…[0-9A-Za-z]{4}$/);
  });

  it('can be neither revoked nor deleted', async () => {
    const owner = await signUp(app);
    const id = await defaultKeyId(owner);
    expect(errorCode(await owner.client.request(REVOKE, { id }))).toBe('CONFLICT');
    expect(errorCode(await owner.client.request(DELETE, { id }))).toBe('CONFLICT');
    await expect(app.db.query('DELETE FROM api_keys WHERE id = $1', [id])).rejects.toThrow(/default API key/);
    expect((await owner.client.ok(LIST)).apiKeys).toHaveLength(1);
  });

  it('is rotated to reveal a new secret once; the old one stops at once without a grace period', async () => {
    const owner = await signUp(app);
    const id = await defaultKeyId(owner);
    const first = (await owner.client.ok(ROTATE, { id })).rotateApiKey;
    expect(first.secret).toMatch(/^gth_/);
    expect((await withKey(first.secret).ok(VIEWER)).viewer.apiKey.id).toBe(id);
    const second = (await owner.client.ok(ROTATE, { id, grace: 0 })).rotateApiKey;
    expect(
      await eventually(async () => errorCode(await withKey(first.secret).request(VIEWER)) === 'UNAUTHENTICATED'),
    ).toBe(true);
    expect((await withKey(second.secret).ok(VIEWER)).viewer.apiKey.id).toBe(id);
    expect(second.apiKey.maskedKey).toBe(`${second.secret.slice(0, 8)}…${second.secret.slice(-4)}`);
  });

  it('keeps the old secret working during the chosen grace period', async () => {
    const owner = await signUp(app);
    const id = await defaultKeyId(owner);
    const old = (await owner.client.ok(ROTATE, { id })).rotateApiKey.secret;
    const fresh = (await owner.client.ok(ROTATE, { id, grace: 3600 })).rotateApiKey.secret;
    expect((await withKey(old).ok(VIEWER)).viewer.apiKey.id).toBe(id);
    expect((await withKey(fresh).ok(VIEWER)).viewer.apiKey.id).toBe(id);
  });

  it('shows until when the previous secret works, and ends it early on request', async () => {
    const owner = await signUp(app);
    const id = await defaultKeyId(owner);
    const old = (await owner.client.ok(ROTATE, { id })).rotateApiKey.secret;
    const rotated = (await owner.client.ok(ROTATE, { id, grace: 3600 })).rotateApiKey;
    const validUntil = new Date(rotated.apiKey.previousSecretExpiresAt).getTime();
    expect(Math.abs(validUntil - (Date.now() + 3_600_000))).toBeLessThan(60_000);
    // The old secret is in the authenticator's cache before it is ended.
    expect((await withKey(old).ok(VIEWER)).viewer.apiKey.id).toBe(id);

    const { endPreviousSecret } = await owner.client.ok(END_PREVIOUS, { id });
    expect(endPreviousSecret.previousSecretExpiresAt).toBeNull();
    expect(await eventually(async () => errorCode(await withKey(old).request(VIEWER)) === 'UNAUTHENTICATED')).toBe(
      true,
    );
    expect((await withKey(rotated.secret).ok(VIEWER)).viewer.apiKey.id).toBe(id);
    const event = await expectAuditEvent(app.db, {
      mutation: 'endPreviousSecret',
      organizationId: owner.organizationId,
      category: 'USER_ACTIONS',
      action: 'apiKey.previousSecretEnded',
      actorId: owner.userId,
      targetId: id,
    });
    expect(event.changes.previousSecretExpiresAt.before).toBe(rotated.apiKey.previousSecretExpiresAt);
    expect(JSON.stringify(event)).not.toContain(old.slice(4, 44));
    expect((await owner.client.ok(LIST)).apiKeys[0].previousSecretExpiresAt).toBeNull();
    // Nothing left to end: said plainly, and nothing is recorded.
    expect(errorCode(await owner.client.request(END_PREVIOUS, { id }))).toBe('CONFLICT');
  });

  it('has no previous secret after a rotation without a grace period', async () => {
    const owner = await signUp(app);
    const id = await defaultKeyId(owner);
    const rotated = (await owner.client.ok(ROTATE, { id, grace: 0 })).rotateApiKey;
    expect(rotated.apiKey.previousSecretExpiresAt).toBeNull();
    expect(errorCode(await owner.client.request(END_PREVIOUS, { id }))).toBe('CONFLICT');
  });

  it('refuses a grace period not on offer, and rotation of other keys', async () => {
    const owner = await signUp(app);
    const result = await owner.client.request(ROTATE, { id: await defaultKeyId(owner), grace: 5 });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('gracePeriodSeconds');
    const { apiKey } = await createKey(owner);
    expect(errorCode(await owner.client.request(ROTATE, { id: apiKey.id }))).toBe('CONFLICT');
  });
});

describe('createApiKey', () => {
  it('shows the secret once, stores only its hash, and lists the key masked', async () => {
    const owner = await signUp(app);
    const { secret, apiKey } = await createKey(owner, { name: 'CI deploys', description: 'GitHub Actions' });
    expect(secret).toMatch(/^gth_[0-9A-Za-z]{46}$/);
    expect(apiKey).toMatchObject({
      name: 'CI deploys',
      description: 'GitHub Actions',
      status: 'ACTIVE',
      scopes: ['*'],
    });
    const inOneYear = Date.now() + 365 * 86_400_000;
    expect(Math.abs(new Date(apiKey.expiresAt).getTime() - inOneYear)).toBeLessThan(60_000);
    const [row] = await app.db.query('SELECT row_to_json(k)::text AS row FROM api_keys k WHERE id = $1', [apiKey.id]);
    expect(row.row).not.toContain(secret.slice(4, 44));
    const listed = (await owner.client.ok(LIST)).apiKeys.find((k: { id: string }) => k.id === apiKey.id);
    expect(listed.maskedKey).toBe(`${secret.slice(0, 8)}…${secret.slice(-4)}`);
    expect(JSON.stringify(await owner.client.ok(LIST))).not.toContain(secret);
  });

  it.each([
    ['name', { name: '' }],
    ['name', { name: 'n'.repeat(65) }],
    ['description', { description: 'd'.repeat(257) }],
    ['expiresAt', { expiresAt: new Date(Date.now() - 60_000).toISOString() }],
    ['expiresAt', { expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() }],
    ['neverExpires', { neverExpires: true }],
    ['scopes', { scopes: ['members:read', 'no:such'] }],
    ['scopes', { scopes: ['*', 'members:read'] }],
    ['scopes', { scopes: [] }],
  ])('refuses a bad %s with BAD_USER_INPUT and creates nothing', async (field, input) => {
    const owner = await signUp(app);
    const result = await owner.client.request(CREATE, { input: { name: 'valid', ...input } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe(field);
    expect((await owner.client.ok(LIST)).apiKeys).toHaveLength(1);
  });

  it('publishes on the organization the lifetime policy that creation enforces', async () => {
    const owner = await signUp(app);
    const { viewer } = await owner.client.ok(
      '{ viewer { organization { apiKeyLifetime { maxLifetimeDays allowNeverExpiring } } } }',
    );
    const { maxLifetimeDays, allowNeverExpiring } = viewer.organization.apiKeyLifetime;
    expect({ maxLifetimeDays, allowNeverExpiring }).toEqual({ maxLifetimeDays: 365, allowNeverExpiring: false });
    const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    await createKey(owner, { expiresAt: at(maxLifetimeDays - 0.01) });
    const tooLate = await owner.client.request(CREATE, {
      input: { name: 'too-late', expiresAt: at(maxLifetimeDays + 1) },
    });
    expect(errorCode(tooLate)).toBe('BAD_USER_INPUT');
  });

  it('refuses a duplicate name among the owner’s keys, whatever its case', async () => {
    const owner = await signUp(app);
    await createKey(owner, { name: 'Reporting' });
    const result = await owner.client.request(CREATE, { input: { name: 'reporting' } });
    expect(errorCode(result)).toBe('CONFLICT');
    expect(result.errors![0].extensions!.field).toBe('name');
    await createKey(await signUp(app), { name: 'Reporting' });
  });

  it('refuses the sixth key, counting the default and revoked keys, until one is deleted', async () => {
    const owner = await signUp(app);
    const keys = [];
    for (let i = 0; i < 4; i += 1) keys.push(await createKey(owner));
    await owner.client.ok(REVOKE, { id: keys[0].apiKey.id });
    const sixth = await owner.client.request(CREATE, { input: { name: 'sixth' } });
    expect(errorCode(sixth)).toBe('LIMIT_EXCEEDED');
    expect(sixth.errors![0].message).toMatch(/5 API keys/);
    await owner.client.ok(DELETE, { id: keys[0].apiKey.id });
    await createKey(owner, { name: 'sixth' });
    expect((await owner.client.ok(LIST)).apiKeys).toHaveLength(5);
  });

  it('does not let a narrow key create a broader one', async () => {
    const owner = await signUp(app);
    const narrow = await createKey(owner, { scopes: ['apiKeys:read', 'apiKeys:manage'] });
    const client = withKey(narrow.secret);
    expect(errorCode(await client.request(CREATE, { input: { name: 'wide' } }))).toBe('FORBIDDEN');
    expect(errorCode(await client.request(CREATE, { input: { name: 'wide', scopes: ['members:manage'] } }))).toBe(
      'FORBIDDEN',
    );
    const same = await client.ok(CREATE, { input: { name: 'same', scopes: ['apiKeys:read'] } });
    expect(same.createApiKey.apiKey.scopes).toEqual(['apiKeys:read']);
  });

  it('records an audit event for each key action, never with the secret', async () => {
    const owner = await signUp(app);
    const { secret, apiKey } = await createKey(owner, { name: 'audited' });
    await owner.client.ok(UPDATE, { id: apiKey.id, input: { name: 'audited-2' } });
    await owner.client.ok(REVOKE, { id: apiKey.id });
    await owner.client.ok(DELETE, { id: apiKey.id });
    await owner.client.ok(ROTATE, { id: await defaultKeyId(owner) });
    const events = await app.db.query(
      `SELECT action, category, actor_id, target_id, changes::text FROM audit_events
       WHERE organization_id = $1 AND action LIKE 'apiKey.%' ORDER BY sequence`,
      [owner.organizationId],
    );
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'apiKey.created',
      'apiKey.created',
      'apiKey.updated',
      'apiKey.revoked',
      'apiKey.deleted',
      'apiKey.rotated',
    ]);
    expect(events.slice(1, 5).every((e: { target_id: string }) => e.target_id === apiKey.id)).toBe(true);
    expect(
      events.every(
        (e: { category: string; actor_id: string }) => e.category === 'USER_ACTIONS' && e.actor_id === owner.userId,
      ),
    ).toBe(true);
    expect(JSON.stringify(events)).not.toContain(secret.slice(4, 44));
  });
});

describe('updateApiKey', () => {
  it('renames and describes a key, and refuses a taken name', async () => {
    const owner = await signUp(app);
    const { apiKey } = await createKey(owner, { name: 'first' });
    await createKey(owner, { name: 'second' });
    const { updateApiKey } = await owner.client.ok(UPDATE, {
      id: apiKey.id,
      input: { name: 'renamed', description: 'now described' },
    });
    expect(updateApiKey).toMatchObject({ name: 'renamed', description: 'now described' });
    const clash = await owner.client.request(UPDATE, { id: apiKey.id, input: { name: 'second' } });
    expect(errorCode(clash)).toBe('CONFLICT');
    const empty = await owner.client.request(UPDATE, { id: apiKey.id, input: { name: '' } });
    expect(errorCode(empty)).toBe('BAD_USER_INPUT');
  });
});

describe('authentication with a key', () => {
  it('acts as its owner in its organization, with the owner’s permissions', async () => {
    const owner = await signUp(app);
    const { secret, apiKey } = await createKey(owner);
    const { viewer } = await withKey(secret).ok(VIEWER);
    expect(viewer).toMatchObject({
      user: { id: owner.userId },
      organization: { id: owner.organizationId },
      apiKey: { id: apiKey.id },
    });
    expect(viewer.permissions).toContain('members:manage');
  });

  it('is limited to its scopes', async () => {
    const owner = await signUp(app);
    const { secret } = await createKey(owner, { scopes: ['apiKeys:read', 'profile:read'] });
    const client = withKey(secret);
    expect((await client.ok(VIEWER)).viewer.permissions).toEqual(['apiKeys:read', 'profile:read']);
    expect((await client.ok(LIST)).apiKeys.length).toBe(2);
    const update = await client.request('mutation { updateProfile(input: { firstName: "Scoped" }) { id } }');
    expect(errorCode(update)).toBe('FORBIDDEN');
  });

  it('works only in its own organization and for no interactive action', async () => {
    const owner = await signUp(app);
    const { secret } = await createKey(owner);
    await owner.client.ok('mutation { createOrganization(input: { name: "Second" }) { organization { id } } }');
    const client = withKey(secret);
    expect((await client.ok(VIEWER)).viewer.organization.id).toBe(owner.organizationId);
    const switched = await client.request(
      `mutation($id: ID!) { switchOrganization(organizationId: $id) { user { id } } }`,
      {
        id: owner.organizationId,
      },
    );
    expect(errorCode(switched)).toBe('FORBIDDEN');
    expect(errorCode(await client.request('mutation { signOut }'))).toBe('FORBIDDEN');
  });

  it('answers unknown, malformed, revoked and expired keys alike', async () => {
    const owner = await signUp(app);
    const revoked = await createKey(owner);
    const expired = await createKey(owner);
    await owner.client.ok(REVOKE, { id: revoked.apiKey.id });
    await app.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expired.apiKey.id,
    ]);
    const wellFormedUnknown = (await createKey(await signUp(app))).secret.replace(/^(gth_.{10})./, '$1');
    const answers = await Promise.all(
      ['gth_short', 'not-a-key', wellFormedUnknown, revoked.secret, expired.secret].map((secret) =>
        withKey(secret).request(VIEWER),
      ),
    );
    for (const answer of answers) {
      expect(answer.data).toBeNull();
      expect(answer.errors).toEqual([
        expect.objectContaining({ message: INVALID_KEY_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
    }
  });

  it('stops at once when revoked or deleted after being used', async () => {
    const owner = await signUp(app);
    const revoked = await createKey(owner);
    const deleted = await createKey(owner);
    expect((await withKey(revoked.secret).ok(VIEWER)).viewer).not.toBeNull();
    expect((await withKey(deleted.secret).ok(VIEWER)).viewer).not.toBeNull();
    await owner.client.ok(REVOKE, { id: revoked.apiKey.id });
    await owner.client.ok(DELETE, { id: deleted.apiKey.id });
    expect(
      await eventually(async () => errorCode(await withKey(revoked.secret).request(VIEWER)) === 'UNAUTHENTICATED'),
    ).toBe(true);
    expect(
      await eventually(async () => errorCode(await withKey(deleted.secret).request(VIEWER)) === 'UNAUTHENTICATED'),
    ).toBe(true);
  });

  it('follows its owner’s current access: demoted or deactivated owners’ keys change at once', async () => {
    const owner = await signUp(app);
    const { secret } = await createKey(owner);
    const client = withKey(secret);
    expect((await client.ok(VIEWER)).viewer.permissions).toContain('members:manage');
    await addAnotherAdmin(app.db, owner.organizationId);
    await app.db.query(`UPDATE memberships SET role_id = 'consumer' WHERE user_id = $1`, [owner.userId]);
    expect(await eventually(async () => !(await client.ok(VIEWER)).viewer.permissions.includes('members:manage'))).toBe(
      true,
    );
    await app.db.query(`UPDATE memberships SET status = 'INACTIVE' WHERE user_id = $1`, [owner.userId]);
    expect(await eventually(async () => errorCode(await client.request(VIEWER)) === 'UNAUTHENTICATED')).toBe(true);
  });

  it('records the last use (time and IP) behind the request, not with a write per request', async () => {
    const owner = await signUp(app);
    const { secret, apiKey } = await createKey(owner);
    const client = withKey(secret);
    for (let i = 0; i < 5; i += 1) await client.ok(VIEWER);
    const [before] = await app.db.query('SELECT last_used_at FROM api_keys WHERE id = $1', [apiKey.id]);
    expect(before.last_used_at).toBeNull();
    await app.flushLastUsed();
    const listed = (await owner.client.ok(LIST)).apiKeys.find((k: { id: string }) => k.id === apiKey.id);
    expect(listed.lastUsedIp).toBe(client.ip);
    expect(Date.now() - new Date(listed.lastUsedAt).getTime()).toBeLessThan(60_000);
  });
});

describe('no secret wider than its caller', () => {
  const SERVICE_ACCOUNT = `mutation($input: CreateServiceAccountInput!) {
    createServiceAccount(input: $input) { secret apiKey { id maskedKey } serviceAccount { id } }
  }`;

  async function maskedKey(owner: SignedUp, id: string, ownerId?: string): Promise<string> {
    const { apiKeys } = await owner.client.ok(LIST, { ownerId });
    return apiKeys.find((key: { id: string }) => key.id === id).maskedKey;
  }

  /** A member whose custom role manages service accounts and API keys, and nothing else. */
  async function keyManager(admin: SignedUp): Promise<SignedUp> {
    const roleId = `sa-keys-${admin.userId}`;
    await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions)
       VALUES ($1, $2, 'Key manager', 'TENANT', '{serviceAccounts:read,serviceAccounts:manage,apiKeys:read,apiKeys:manage}')`,
      [roleId, admin.organizationId],
    );
    return addMember(app, admin, roleId);
  }

  it('refuses a narrow key rotating its owner’s default (all-scopes) key, which stays as it was', async () => {
    const owner = await signUp(app);
    const id = await defaultKeyId(owner);
    const before = await maskedKey(owner, id);
    const narrow = withKey((await createKey(owner, { scopes: ['apiKeys:read', 'apiKeys:manage'] })).secret);
    const result = await narrow.request(ROTATE, { id });
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data).toBeNull();
    expect(await maskedKey(owner, id)).toBe(before);
  });

  it('refuses a service-account manager the secret of an Admin service account', async () => {
    const admin = await signUp(app);
    const { createServiceAccount } = await admin.client.ok(SERVICE_ACCOUNT, {
      input: { name: 'Admin bot', roleId: 'admin' },
    });
    const { serviceAccount, apiKey, secret } = createServiceAccount;
    const manager = await keyManager(admin);
    const rotated = await manager.client.request(ROTATE, { id: apiKey.id });
    expect(errorCode(rotated)).toBe('FORBIDDEN');
    expect(await maskedKey(admin, apiKey.id, serviceAccount.id)).toBe(apiKey.maskedKey);
    expect((await withKey(secret).ok(VIEWER)).viewer.user.id).toBe(serviceAccount.id);
    const created = await manager.client.request(CREATE, { input: { name: 'admin too', ownerId: serviceAccount.id } });
    expect(errorCode(created)).toBe('FORBIDDEN');
  });

  it('counts workspace roles: no key that acts where the caller cannot', async () => {
    const admin = await signUp(app);
    const workspaceId = await createWorkspace(admin.client);
    const { createServiceAccount } = await admin.client.ok(SERVICE_ACCOUNT, {
      input: { name: 'Workspace bot', roleId: 'consumer', workspaceRoles: [{ workspaceId, roleId: 'owner' }] },
    });
    const manager = await keyManager(admin);
    const ownerId = createServiceAccount.serviceAccount.id;
    const inWorkspace = await manager.client.request(CREATE, {
      input: { name: 'delete it', ownerId, scopes: ['workspace:delete'] },
    });
    expect(errorCode(inWorkspace)).toBe('FORBIDDEN');
    const { createApiKey } = await admin.client.ok(CREATE, {
      input: { name: 'delete it', ownerId, scopes: ['workspace:delete'] },
    });
    expect(createApiKey.apiKey.scopes).toEqual(['workspace:delete']);
  });

  it('lets a caller who holds everything the key can do rotate it, and the new secret works', async () => {
    const admin = await signUp(app);
    const { createServiceAccount } = await admin.client.ok(SERVICE_ACCOUNT, {
      input: { name: 'Admin bot', roleId: 'admin' },
    });
    const { serviceAccount, apiKey } = createServiceAccount;
    const { rotateApiKey } = await admin.client.ok(ROTATE, { id: apiKey.id });
    const { viewer } = await withKey(rotateApiKey.secret).ok(VIEWER);
    expect(viewer.user.id).toBe(serviceAccount.id);
    expect(viewer.permissions).toContain('members:manage');

    const consumer = await addMember(app, admin, 'consumer');
    const { viewer: self } = await consumer.client.ok(VIEWER);
    const everything = withKey((await createKey(consumer, { scopes: self.permissions })).secret);
    const own = await everything.ok(ROTATE, { id: await defaultKeyId(consumer) });
    expect((await withKey(own.rotateApiKey.secret).ok(VIEWER)).viewer.user.id).toBe(consumer.userId);
  });
});

describe('permissions and isolation', () => {
  it('needs a signed-in caller', async () => {
    expect(errorCode(await app.client().request(LIST))).toBe('UNAUTHENTICATED');
    expect(errorCode(await app.client().request(CREATE, { input: { name: 'x' } }))).toBe('UNAUTHENTICATED');
  });

  it('needs apiKeys:read to list and apiKeys:manage to change', async () => {
    const owner = await signUp(app);
    const roleId = `no-keys-${owner.userId}`;
    await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES ($1, $2, 'No keys', 'TENANT', '{profile:read}')`,
      [roleId, owner.organizationId],
    );
    await addAnotherAdmin(app.db, owner.organizationId);
    await app.db.query('UPDATE memberships SET role_id = $1 WHERE user_id = $2', [roleId, owner.userId]);
    expect(errorCode(await owner.client.request(LIST))).toBe('FORBIDDEN');
    expect(errorCode(await owner.client.request(CREATE, { input: { name: 'x' } }))).toBe('FORBIDDEN');
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [[key]] = await app.db.query(
      `UPDATE api_keys SET previous_secret_hash = sha256(random()::text::bytea), previous_secret_expires_at = now() + interval '1 hour'
        WHERE owner_id = $1 AND is_default RETURNING id`,
      [owner.userId],
    );
    expect(errorCode(await owner.client.request(END_PREVIOUS, { id: key.id }))).toBe('FORBIDDEN');
    const [kept] = await app.db.query('SELECT previous_secret_hash FROM api_keys WHERE id = $1', [key.id]);
    expect(kept.previous_secret_hash).not.toBeNull();
  });

  it("answers another organization's key ids like missing ones and changes nothing", async () => {
    const victim = await signUp(app);
    const { apiKey } = await createKey(victim, { name: 'victim-key' });
    const victimDefault = await defaultKeyId(victim);
    const victimOld = (await victim.client.ok(ROTATE, { id: victimDefault })).rotateApiKey.secret;
    await victim.client.ok(ROTATE, { id: victimDefault, grace: 3600 });
    const attacker = await signUp(app);
    const operations = [
      () => attacker.client.request(UPDATE, { id: apiKey.id, input: { name: 'pwned' } }),
      () => attacker.client.request(REVOKE, { id: apiKey.id }),
      () => attacker.client.request(DELETE, { id: apiKey.id }),
      () => attacker.client.request(ROTATE, { id: victimDefault }),
      () => attacker.client.request(END_PREVIOUS, { id: victimDefault }),
      () => attacker.client.request(LIST, { ownerId: victim.userId }),
    ];
    for (const operation of operations) {
      const result = await operation();
      expect(errorCode(result)).toBe('NOT_FOUND');
      expect(result.errors![0].message).not.toContain('victim');
    }
    const { apiKeys } = await victim.client.ok(LIST);
    expect(apiKeys.find((k: { id: string }) => k.id === apiKey.id)).toMatchObject({
      name: 'victim-key',
      status: 'ACTIVE',
    });
    expect(apiKeys.find((k: { id: string }) => k.id === victimDefault).previousSecretExpiresAt).not.toBeNull();
    expect((await withKey(victimOld).ok(VIEWER)).viewer.apiKey.id).toBe(victimDefault);
  });

  it("answers a fellow member's keys as not found: keys are personal", async () => {
    const owner = await signUp(app);
    const { apiKey } = await createKey(owner);
    const colleague = await app.db.query(`INSERT INTO users (email, first_name) VALUES ($1, 'Col') RETURNING id`, [
      `colleague-${owner.userId}@example.test`,
    ]);
    expect(colleague).toHaveLength(1);
    const result = await owner.client.request(LIST, { ownerId: colleague[0].id });
    expect(errorCode(result)).toBe('NOT_FOUND');
    const missingId = apiKey.id.slice(0, -1) + (apiKey.id.endsWith('0') ? '1' : '0');
    expect(errorCode(await owner.client.request(DELETE, { id: missingId }))).toBe('NOT_FOUND');
  });

  it('lets an admin manage a service account’s keys, and nobody without serviceAccounts:manage', async () => {
    const admin = await signUp(app);
    const [serviceAccount] = await app.db.query(
      `INSERT INTO users (kind, first_name) VALUES ('SERVICE_ACCOUNT', 'Bot') RETURNING id`,
    );
    await app.db.query(`INSERT INTO memberships (organization_id, user_id, role_id) VALUES ($1, $2, 'consumer')`, [
      admin.organizationId,
      serviceAccount.id,
    ]);
    const { createApiKey } = await admin.client.ok(CREATE, {
      input: { name: 'bot key', ownerId: serviceAccount.id, scopes: ['profile:read'] },
    });
    expect((await withKey(createApiKey.secret).ok(VIEWER)).viewer.user.id).toBe(serviceAccount.id);
    expect((await admin.client.ok(LIST, { ownerId: serviceAccount.id })).apiKeys).toHaveLength(1);

    const roleId = `keys-only-${admin.userId}`;
    await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions) VALUES ($1, $2, 'Keys only', 'TENANT', '{apiKeys:read,apiKeys:manage}')`,
      [roleId, admin.organizationId],
    );
    await addAnotherAdmin(app.db, admin.organizationId);
    await app.db.query('UPDATE memberships SET role_id = $1 WHERE user_id = $2', [roleId, admin.userId]);
    expect(errorCode(await admin.client.request(LIST, { ownerId: serviceAccount.id }))).toBe('FORBIDDEN');
    expect(errorCode(await admin.client.request(DELETE, { id: createApiKey.apiKey.id }))).toBe('FORBIDDEN');
  });
});

describe('across server instances', () => {
  let other: ServerProcess;
  beforeAll(async () => {
    other = await startServerProcess();
  });
  afterAll(() => other.stop());

  it('leaves exactly five keys after twenty parallel creates over two processes', async () => {
    const owner = await signUp(app);
    const remote = other.client();
    remote.cookie = owner.client.cookie;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? remote : owner.client).request(CREATE, { input: { name: `parallel-${i}` } }),
      ),
    );
    const codes = results.map((result) => errorCode(result) ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(4);
    expect(codes.filter((code) => code === 'LIMIT_EXCEEDED')).toHaveLength(16);
    const [{ count }] = await app.db.query('SELECT count(*)::int AS count FROM api_keys WHERE owner_id = $1', [
      owner.userId,
    ]);
    expect(count).toBe(5);
  });

  it('stops a key on the other instance within a second of its revocation', async () => {
    const owner = await signUp(app);
    const { secret, apiKey } = await createKey(owner);
    const remote = withKey(secret, other);
    expect((await remote.ok(VIEWER)).viewer.apiKey.id).toBe(apiKey.id);
    await owner.client.ok(REVOKE, { id: apiKey.id });
    const revokedAt = Date.now();
    expect(await eventually(async () => errorCode(await remote.request(VIEWER)) === 'UNAUTHENTICATED', 1000)).toBe(
      true,
    );
    expect(Date.now() - revokedAt).toBeLessThan(1500);
  });
});
