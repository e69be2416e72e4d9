import { type SignedUp, type TestApp, signUp, startTestApp } from '../test/harness';
import { generateApiKeySecret } from './api-key-secret';

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`;
const CREATE_SERVICE_ACCOUNT = `mutation($input: CreateServiceAccountInput!) {
  createServiceAccount(input: $input) { secret serviceAccount { id } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** Each test its own organization (an owner holds at most five keys) with its verifying service account. */
let admin: SignedUp;
let verifier: string;
beforeEach(async () => {
  admin = await signUp(app);
  verifier = await serviceAccountKey(admin, 'admin');
});

async function serviceAccountKey(owner: SignedUp, roleId: string): Promise<string> {
  const { createServiceAccount } = await owner.client.ok(CREATE_SERVICE_ACCOUNT, {
    input: { name: `verifier-${Math.random().toString(36).slice(2, 8)}`, roleId },
  });
  return createServiceAccount.secret;
}

async function createKey(owner: SignedUp, input: Record<string, unknown> = {}) {
  const { createApiKey } = await owner.client.ok(CREATE_KEY, {
    input: { name: `key-${Math.random().toString(36).slice(2, 8)}`, ...input },
  });
  return createApiKey as { secret: string; apiKey: { id: string } };
}

async function verify(body: Record<string, unknown>, credential: string | null = verifier) {
  const response = await fetch(`${app.url}/api/keys/verify`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': '10.99.0.1',
      ...(credential ? { authorization: `Bearer ${credential}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('POST /api/keys/verify', () => {
  it('answers VALID with the organization, owner and permissions of a working key', async () => {
    const { secret } = await createKey(admin, { scopes: ['profile:read', 'members:read'] });
    const { status, body } = await verify({ key: secret, permission: 'members:read' });
    expect(status).toBe(200);
    expect(body).toEqual({
      valid: true,
      code: 'VALID',
      organizationId: admin.organizationId,
      ownerId: admin.userId,
      permissions: ['members:read', 'profile:read'],
    });
  });

  it('answers FORBIDDEN for a permission the key lacks, NOT_FOUND for unknown keys and other organizations', async () => {
    const { secret } = await createKey(admin, { scopes: ['profile:read'] });
    expect((await verify({ key: secret, permission: 'members:manage' })).body).toMatchObject({
      valid: false,
      code: 'FORBIDDEN',
      ownerId: admin.userId,
    });
    expect((await verify({ key: generateApiKeySecret() })).body).toEqual({
      valid: false,
      code: 'NOT_FOUND',
      organizationId: null,
      ownerId: null,
      permissions: [],
    });
    expect((await verify({ key: 'not a key' })).body.code).toBe('NOT_FOUND');
    const stranger = await signUp(app);
    const theirs = await createKey(stranger);
    expect((await verify({ key: theirs.secret })).body).toMatchObject({
      valid: false,
      code: 'NOT_FOUND',
      ownerId: null,
    });
    await stranger.client.ok(REVOKE, { id: theirs.apiKey.id });
    expect((await verify({ key: theirs.secret })).body.code).toBe('NOT_FOUND');
  });

  it('answers REVOKED, EXPIRED, IP_NOT_ALLOWED (with the address given) and RATE_LIMITED', async () => {
    const revoked = await createKey(admin);
    await admin.client.ok(REVOKE, { id: revoked.apiKey.id });
    expect((await verify({ key: revoked.secret })).body).toMatchObject({ valid: false, code: 'REVOKED' });

    const expired = await createKey(admin);
    await app.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expired.apiKey.id,
    ]);
    expect((await verify({ key: expired.secret })).body).toMatchObject({ valid: false, code: 'EXPIRED' });

    const fenced = await createKey(admin, { allowedIps: ['192.0.2.0/24'] });
    expect((await verify({ key: fenced.secret, ip: '192.0.2.9' })).body.code).toBe('VALID');
    expect((await verify({ key: fenced.secret, ip: '198.51.100.1' })).body).toMatchObject({
      valid: false,
      code: 'IP_NOT_ALLOWED',
    });

    const limited = await createKey(admin, { rateLimit: { requests: 1, windowSeconds: 3600 } });
    expect((await verify({ key: limited.secret })).body.code).toBe('VALID');
    const spent = (await verify({ key: limited.secret })).body;
    expect(spent).toMatchObject({ valid: false, code: 'RATE_LIMITED' });
    expect(spent.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('needs a service account key holding keys:verify', async () => {
    const { secret } = await createKey(admin);
    const withoutPermission = await serviceAccountKey(admin, 'builder');
    expect((await verify({ key: secret }, withoutPermission)).status).toBe(403);
    // A member's own key, even an Admin's, is not a service credential.
    const own = await createKey(admin);
    const member = await verify({ key: secret }, own.secret);
    expect([member.status, member.body.errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
    expect((await verify({ key: secret }, null)).status).toBe(401);
    const bad = await verify({ permission: 'profile:read' });
    expect([bad.status, bad.body.errors[0].extensions]).toEqual([400, { code: 'BAD_USER_INPUT', field: 'key' }]);
  });
});
