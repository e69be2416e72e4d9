import {
  type ServerProcess,
  type TestApp,
  TestClient,
  errorCode,
  signUp,
  startServerProcess,
  startTestApp,
} from '../test/harness';
import { expectAuditEvent } from '../test/audit';

const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id allowedIps rateLimit { requests windowSeconds } } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateApiKeyInput!) {
  updateApiKey(id: $id, input: $input) { id allowedIps rateLimit { requests windowSeconds } } }`;
const VIEWER = '{ viewer { user { id } } }';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function ownerWithKey(input: Record<string, unknown>) {
  const owner = await signUp(app);
  const { createApiKey } = await owner.client.ok(CREATE, { input: { name: 'guarded', ...input } });
  return { owner, key: createApiKey as { secret: string; apiKey: Record<string, any> } };
}

function keyClient(url: string, secret: string, ip?: string): TestClient {
  const client = new TestClient(url, ip);
  client.bearer = secret;
  return client;
}

async function restStatus(url: string, secret: string, ip: string, path: string) {
  const response = await fetch(`${url}${path}`, {
    headers: { authorization: `Bearer ${secret}`, 'x-forwarded-for': ip },
  });
  return { status: response.status, body: await response.json().catch(() => null), headers: response.headers };
}

describe('IP allowlist', () => {
  it('is validated and normalised on create and update, and cleared with an empty list', async () => {
    const { owner, key } = await ownerWithKey({ allowedIps: ['10.1.2.3/8', '2001:db8::1'] });
    expect(key.apiKey.allowedIps).toEqual(['10.0.0.0/8', '2001:db8::1']);
    const bad = await owner.client.request(UPDATE, { id: key.apiKey.id, input: { allowedIps: ['10.0.0.0/40'] } });
    expect([errorCode(bad), bad.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'allowedIps']);
    const cleared = await owner.client.ok(UPDATE, { id: key.apiKey.id, input: { allowedIps: [] } });
    expect(cleared.updateApiKey.allowedIps).toEqual([]);
    await expectAuditEvent(app.db, {
      organizationId: owner.organizationId,
      category: 'USER_ACTIONS',
      action: 'apiKey.updated',
      actorId: owner.userId,
      targetId: key.apiKey.id,
      mutation: 'updateApiKey',
    });
  });

  it('serves clients inside the ranges (X-Forwarded-For from a trusted loopback proxy) and refuses others with 401 IP_NOT_ALLOWED, on GraphQL and REST alike', async () => {
    const { owner, key } = await ownerWithKey({ allowedIps: ['10.20.0.0/16'] });
    expect((await keyClient(app.url, key.secret, '10.20.3.4').ok(VIEWER)).viewer.user.id).toBe(owner.userId);

    const refused = await keyClient(app.url, key.secret, '10.21.3.4').request(VIEWER);
    expect(refused.status).toBe(401);
    expect(refused.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'IP_NOT_ALLOWED' });
    const rest = await restStatus(app.url, key.secret, '10.21.3.4', `/api/organizations/${owner.organizationId}/logo`);
    expect(rest.status).toBe(401);
    expect(rest.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'IP_NOT_ALLOWED' });

    const event = await expectAuditEvent(app.db, {
      organizationId: owner.organizationId,
      category: 'USER_ACTIONS',
      action: 'apiKey.ipRefused',
      actorId: owner.userId,
      targetId: key.apiKey.id,
      outcome: 'FAILURE',
    });
    expect([event.failure_reason, event.ip]).toEqual(['IP_NOT_ALLOWED', '10.21.3.4']);
    // The second refusal was counted, not audited again.
    const [{ count }] = await app.db.query(
      `SELECT count(*)::int AS count FROM audit_events WHERE action = 'apiKey.ipRefused' AND target_id = $1`,
      [key.apiKey.id],
    );
    expect(count).toBe(1);
    await app.flushLastUsed();
    const usage = await app.db.query(
      'SELECT outcome, sum(count)::int AS n FROM api_key_usage WHERE api_key_id = $1 GROUP BY outcome ORDER BY outcome',
      [key.apiKey.id],
    );
    expect(usage).toEqual([
      { outcome: 'IP_NOT_ALLOWED', n: 2 },
      { outcome: 'SUCCESS', n: 1 },
    ]);
  });

  it('reads the client address by TRUST_PROXY: without it X-Forwarded-For is ignored and the socket address counts', async () => {
    const direct = await startTestApp({ trustProxy: false });
    try {
      const loopbackOnly = await ownerWithKey({ allowedIps: ['127.0.0.0/8', '::1'] });
      const elsewhere = await ownerWithKey({ allowedIps: ['10.0.0.0/8'] });
      // The header claims 10.x; the connection comes from loopback.
      expect((await keyClient(direct.url, loopbackOnly.key.secret, '10.1.1.1').request(VIEWER)).status).toBe(200);
      const refused = await keyClient(direct.url, elsewhere.key.secret, '10.1.1.1').request(VIEWER);
      expect([refused.status, refused.errors![0].extensions!.reason]).toEqual([401, 'IP_NOT_ALLOWED']);
    } finally {
      await direct.close();
    }
  });

  it('does not spend the rate limit', async () => {
    const { key } = await ownerWithKey({
      allowedIps: ['10.30.0.0/16'],
      rateLimit: { requests: 2, windowSeconds: 3600 },
    });
    for (let i = 0; i < 3; i += 1) {
      expect((await keyClient(app.url, key.secret, '10.31.0.1').request(VIEWER)).status).toBe(401);
    }
    const inside = keyClient(app.url, key.secret, '10.30.0.1');
    expect((await inside.request(VIEWER)).status).toBe(200);
    expect((await inside.request(VIEWER)).status).toBe(200);
    expect((await inside.request(VIEWER)).status).toBe(429);
  });
});

describe('rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After once the window is spent, on GraphQL and REST', async () => {
    const { owner, key } = await ownerWithKey({ rateLimit: { requests: 3, windowSeconds: 3600 } });
    expect(key.apiKey.rateLimit).toEqual({ requests: 3, windowSeconds: 3600 });
    const client = keyClient(app.url, key.secret);
    for (let i = 0; i < 3; i += 1) expect((await client.request(VIEWER)).status).toBe(200);
    const limited = await client.request(VIEWER);
    expect([limited.status, errorCode(limited)]).toEqual([429, 'RATE_LIMITED']);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(limited.errors![0].extensions!.retryAfterSeconds).toBe(retryAfter);
    const rest = await restStatus(app.url, key.secret, client.ip, `/api/organizations/${owner.organizationId}/logo`);
    expect([rest.status, rest.body.errors[0].extensions.code, Number(rest.headers.get('retry-after')) > 0]).toEqual([
      429,
      'RATE_LIMITED',
      true,
    ]);
    // Lifting the key's own limit (null: the organization default, none here) applies at once.
    await owner.client.ok(UPDATE, { id: key.apiKey.id, input: { rateLimit: null } });
    let status = 429;
    for (let tries = 0; tries < 40 && status === 429; tries += 1) {
      status = (await client.request(VIEWER)).status;
      if (status === 429) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe(200);
  });

  it('falls back to the organization default from the Security settings, which applies to cached keys at once', async () => {
    const { owner, key } = await ownerWithKey({});
    const client = keyClient(app.url, key.secret);
    expect((await client.request(VIEWER)).status).toBe(200);
    const SETTINGS = `mutation($input: UpdateOrganizationSettingsInput!) {
      updateOrganizationSettings(input: $input) { security { apiKeyRateLimit { requests windowSeconds } } } }`;
    const saved = await owner.client.ok(SETTINGS, {
      input: { security: { apiKeyRateLimit: { requests: 2, windowSeconds: 3600 } } },
    });
    expect(saved.updateOrganizationSettings.security.apiKeyRateLimit).toEqual({ requests: 2, windowSeconds: 3600 });
    await expectAuditEvent(app.db, {
      organizationId: owner.organizationId,
      category: 'SETTING_UPDATES',
      action: 'settings.updated',
      actorId: owner.userId,
      targetId: owner.organizationId,
      mutation: 'updateOrganizationSettings',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await client.request(VIEWER)).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(2);
    const cleared = await owner.client.ok(SETTINGS, { input: { security: { apiKeyRateLimit: null } } });
    expect(cleared.updateOrganizationSettings.security.apiKeyRateLimit).toBeNull();
  });

  describe.each([
    ['PostgreSQL leases (default)', undefined],
    ['Redis (REDIS_URL)', 'redis://127.0.0.1:6379'],
  ])('across two instances: %s', (_name, redisUrl) => {
    let other: ServerProcess;
    let first: TestApp;
    beforeAll(async () => {
      first = redisUrl ? await startTestApp({ redisUrl }) : app;
      other = await startServerProcess(redisUrl ? { REDIS_URL: redisUrl } : {});
    });
    afterAll(async () => {
      await other?.stop();
      if (first !== app) await first.close();
    });

    it('holds the limit within 10% over both, without a database write per request', async () => {
      const { key } = await ownerWithKey({ rateLimit: { requests: 100, windowSeconds: 3600 } });
      const clients = [keyClient(first.url, key.secret), keyClient(other.url, key.secret)];
      let served = 0;
      let limited = 0;
      for (let round = 0; round < 15; round += 1) {
        const statuses = await Promise.all(
          Array.from({ length: 10 }, (_, i) => clients[i % 2].request(VIEWER).then((r) => r.status)),
        );
        served += statuses.filter((s) => s === 200).length;
        limited += statuses.filter((s) => s === 429).length;
      }
      expect(served + limited).toBe(150);
      expect(served).toBeLessThanOrEqual(100);
      expect(served).toBeGreaterThanOrEqual(90);
      if (!redisUrl) {
        // Leases of 5: about 20 upserts for 150 requests, and none once the window was spent.
        const [{ used }] = await app.db.query('SELECT used FROM api_key_rate_windows WHERE api_key_id = $1', [
          key.apiKey.id,
        ]);
        expect(used).toBeLessThanOrEqual(110);
      }
    });
  });
});

describe('usage', () => {
  it('counts requests per day and outcome, written behind, for the last N days', async () => {
    const { owner, key } = await ownerWithKey({
      allowedIps: ['10.40.0.0/16'],
      rateLimit: { requests: 2, windowSeconds: 3600 },
    });
    const inside = keyClient(app.url, key.secret, '10.40.0.1');
    for (let i = 0; i < 3; i += 1) await inside.request(VIEWER);
    await keyClient(app.url, key.secret, '10.41.0.1').request(VIEWER);
    await app.flushLastUsed();
    const USAGE = `query { apiKeys { id usage(days: 7) { day success unauthorized rateLimited ipNotAllowed } } }`;
    const { apiKeys } = await owner.client.ok(USAGE);
    const { usage } = apiKeys.find((k: { id: string }) => k.id === key.apiKey.id);
    expect(usage).toHaveLength(7);
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    expect(usage[6]).toEqual({
      day: today.toISOString(),
      success: 2,
      unauthorized: 0,
      rateLimited: 1,
      ipNotAllowed: 1,
    });
    expect(usage.slice(0, 6).every((d: { success: number }) => d.success === 0)).toBe(true);
    const tooLong = await owner.client.request(`query { apiKeys { usage(days: 91) { day } } }`);
    expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
  });
});
