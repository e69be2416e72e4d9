import { generateKeyPairSync, sign } from 'node:crypto';
import { type TestApp, TestClient, errorCode, signUp, startTestApp } from '../test/harness';
import { expectAuditEvent } from '../test/audit';
import { type SmtpCatcher, decodeQuotedPrintable, startSmtpCatcher } from '../test/smtp-catcher';
import { generateApiKeySecret } from './api-key-secret';

const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`;
const LIST = '{ apiKeys { id status isDefault maskedKey } }';
const VIEWER = '{ viewer { user { id } } }';

const github = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const forger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const KEY_ID = 'bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c';

let smtp: SmtpCatcher;
let app: TestApp;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
  app = await startTestApp({
    smtpUrl: smtp.url,
    secretScanningPublicKeys: { [KEY_ID]: github.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

function report(matches: object[], signer = github.privateKey, keyId = KEY_ID) {
  const body = JSON.stringify(matches);
  return fetch(`${app.url}/api/keys/leaked`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'Github-Public-Key-Identifier': keyId,
      'Github-Public-Key-Signature': sign('sha256', Buffer.from(body), signer).toString('base64'),
    },
    body,
  });
}

function works(secret: string) {
  const client = new TestClient(app.url);
  client.bearer = secret;
  return client.request(VIEWER).then((result) => !result.errors);
}

/** A stopped secret leaves the key caches by NOTIFY: allow it a moment. */
async function stopsWorking(secret: string): Promise<boolean> {
  for (let tries = 0; tries < 40; tries += 1) {
    if (!(await works(secret))) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

describe('POST /api/keys/leaked (GitHub secret scanning)', () => {
  it('revokes a reported key, audits where it was found, emails the owner, and labels unknown tokens', async () => {
    const owner = await signUp(app);
    const { createApiKey } = await owner.client.ok(CREATE, { input: { name: 'Leaky' } });
    const url = 'https://github.com/someone/project/blob/abc123/config.js';
    const unknown = generateApiKeySecret();
    const response = await report([
      { token: createApiKey.secret, type: 'gatehouse_api_key', url, source: 'content' },
      { token: unknown, type: 'gatehouse_api_key', url, source: 'content' },
    ]);
    expect(response.status).toBe(200);
    const labels = await response.json();
    expect(labels.map((l: { label: string; token_type: string }) => [l.label, l.token_type])).toEqual([
      ['true_positive', 'gatehouse_api_key'],
      ['false_positive', 'gatehouse_api_key'],
    ]);
    expect(labels[0].token_hash).toMatch(/^[0-9a-f]{64}$/);

    const { apiKeys } = await owner.client.ok(LIST);
    expect(apiKeys.find((k: { id: string }) => k.id === createApiKey.apiKey.id).status).toBe('REVOKED');
    expect(await stopsWorking(createApiKey.secret)).toBe(true);
    const event = await expectAuditEvent(app.db, {
      organizationId: owner.organizationId,
      category: 'USER_ACTIONS',
      action: 'apiKey.leaked',
      actorId: null,
      targetId: createApiKey.apiKey.id,
    });
    expect(event.changes.foundAt).toEqual({ before: null, after: url });
    const email = decodeQuotedPrintable((await smtp.waitFor(owner.email, /Secret scanning found/)).raw);
    expect(email).toContain(url);
    expect(email).toContain('revoked');

    // Reported again: already stopped, nothing more happens.
    const again = await report([{ token: createApiKey.secret, type: 'gatehouse_api_key', url, source: 'content' }]);
    expect((await again.json())[0].label).toBe('true_positive');
  });

  it('gives a leaked default key a new secret nobody has seen (it cannot be revoked)', async () => {
    const owner = await signUp(app);
    const { apiKeys } = await owner.client.ok(LIST);
    const defaultKey = apiKeys.find((k: { isDefault: boolean }) => k.isDefault);
    const { rotateApiKey } = await owner.client.ok(`mutation($id: ID!) { rotateApiKey(id: $id) { secret } }`, {
      id: defaultKey.id,
    });
    expect(await works(rotateApiKey.secret)).toBe(true);
    await report([
      { token: rotateApiKey.secret, type: 'gatehouse_api_key', url: 'https://gist.github.com/x', source: 'gist' },
    ]);
    expect(await stopsWorking(rotateApiKey.secret)).toBe(true);
    const after = (await owner.client.ok(LIST)).apiKeys.find((k: { isDefault: boolean }) => k.isDefault);
    expect([after.status, after.maskedKey === defaultKey.maskedKey]).toEqual(['ACTIVE', false]);
  });

  it('refuses a forged or unsigned report with 401 and changes nothing', async () => {
    const owner = await signUp(app);
    const { createApiKey } = await owner.client.ok(CREATE, { input: { name: 'Safe' } });
    const match = {
      token: createApiKey.secret,
      type: 'gatehouse_api_key',
      url: 'https://example.test',
      source: 'content',
    };
    const forged = await report([match], forger.privateKey);
    expect(forged.status).toBe(401);
    expect((await forged.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await report([match], github.privateKey, 'another-key-id')).status).toBe(401);
    const unsigned = await fetch(`${app.url}/api/keys/leaked`, { method: 'POST', body: JSON.stringify([match]) });
    expect(unsigned.status).toBe(401);
    expect(await works(createApiKey.secret)).toBe(true);
    const bad = await owner.client.request(VIEWER);
    expect(errorCode(bad)).toBeUndefined();
  });
});
