import { DOMAIN_FIELDS, addMember, uniqueDomain, verifiedDomain } from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';
import { publishTxt, removeTxt } from '../test/dns-server';
import { type SignedUp, type TestApp, type TestClient, errorCode, signUp, startTestApp } from '../test/harness';
import { runDomainChecks } from './domain-checks';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const ADD = `mutation($domain: String!, $sub: Boolean) { addDomain(domain: $domain, includeSubdomains: $sub) { ${DOMAIN_FIELDS} } }`;
const VERIFY = `mutation($id: ID!) { verifyDomain(id: $id) { ${DOMAIN_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $sub: Boolean!) { updateDomain(id: $id, input: { includeSubdomains: $sub }) { ${DOMAIN_FIELDS} } }`;
const DELETE = 'mutation($id: ID!) { deleteDomain(id: $id) }';
const LIST = `{ domains { ${DOMAIN_FIELDS} } }`;

async function add(client: TestClient, domain: string) {
  return (await client.ok(ADD, { domain })).addDomain;
}

/** An Admin's change to a domain, audited as a Setting update. */
const domainEvent = (
  admin: SignedUp,
  event: { mutation: string; action: string; targetId: string; outcome?: 'FAILURE' },
) =>
  expectAuditEvent(app.db, {
    organizationId: admin.organizationId,
    category: 'SETTING_UPDATES',
    actorId: admin.userId,
    ...event,
  });

describe('verified domains', () => {
  it('stays pending until the TXT record holds the token, then is verified', async () => {
    const admin = await signUp(app);
    const domain = uniqueDomain();
    const claim = await add(admin.client, ` ${domain.toUpperCase()}. `);
    expect(claim).toMatchObject({ domain, status: 'PENDING', includeSubdomains: false, verifiedAt: null });
    expect(claim.verificationRecord).toEqual({
      type: 'TXT',
      name: `_gatehouse-challenge.${domain}`,
      value: expect.stringMatching(/^gatehouse-domain-verification=[A-Za-z0-9_-]{32}$/),
    });
    await domainEvent(admin, { mutation: 'addDomain', action: 'domain.added', targetId: claim.id });

    const missing = (await admin.client.ok(VERIFY, { id: claim.id })).verifyDomain;
    expect(missing.status).toBe('PENDING');
    expect(missing.lastCheckedAt).not.toBeNull();
    expect(missing.lastCheckError).toBe(`No TXT record was found at _gatehouse-challenge.${domain}.`);
    const miss = await domainEvent(admin, {
      mutation: 'verifyDomain',
      action: 'domain.verificationFailed',
      targetId: claim.id,
      outcome: 'FAILURE',
    });
    expect(miss.failure_reason).toContain('No TXT record');

    publishTxt(claim.verificationRecord.name, 'v=spf1 -all', claim.verificationRecord.value);
    const verified = (await admin.client.ok(VERIFY, { id: claim.id })).verifyDomain;
    expect(verified).toMatchObject({ status: 'VERIFIED', lastCheckError: null, verifiedAt: expect.any(String) });
    await domainEvent(admin, { mutation: 'verifyDomain', action: 'domain.verified', targetId: claim.id });
    expect((await admin.client.ok(LIST)).domains).toEqual([verified]);
  });

  it('keeps a claim pending, with the time of the check, when the record holds another token', async () => {
    const admin = await signUp(app);
    const claim = await add(admin.client, uniqueDomain());
    publishTxt(claim.verificationRecord.name, 'gatehouse-domain-verification=someone-elses-token');
    const checked = (await admin.client.ok(VERIFY, { id: claim.id })).verifyDomain;
    expect(checked.status).toBe('PENDING');
    expect(Date.now() - Date.parse(checked.lastCheckedAt)).toBeLessThan(60_000);
    expect(checked.lastCheckError).toMatch(/another verification value/);
  });

  it('does not verify a domain whose record was removed before the check', async () => {
    const admin = await signUp(app);
    const claim = await add(admin.client, uniqueDomain());
    publishTxt(claim.verificationRecord.name, claim.verificationRecord.value);
    removeTxt(claim.verificationRecord.name);
    const checked = (await admin.client.ok(VERIFY, { id: claim.id })).verifyDomain;
    expect([checked.status, checked.verifiedAt]).toEqual(['PENDING', null]);
  });

  it('lets several organizations claim a domain, and exactly one of two racing verifications win', async () => {
    const [first, second, bystander] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
    const domain = uniqueDomain('contested');
    const claims = await Promise.all([first, second, bystander].map((admin) => add(admin.client, domain)));
    publishTxt(
      claims[0].verificationRecord.name,
      claims[0].verificationRecord.value,
      claims[1].verificationRecord.value,
    );
    const results = await Promise.all(
      [first, second].map((admin, i) => admin.client.request(VERIFY, { id: claims[i].id })),
    );
    const winners = results.filter((result) => result.data?.verifyDomain.status === 'VERIFIED');
    const losers = results.filter((result) => errorCode(result) === 'CONFLICT');
    expect([winners.length, losers.length]).toEqual([1, 1]);
    expect(losers[0].errors![0].message).toBe('Another organization has already verified this domain.');
    const rows = await app.db.query('SELECT status FROM organization_domains WHERE domain = $1 ORDER BY status', [
      domain,
    ]);
    expect(rows.map((row: { status: string }) => row.status)).toEqual(['PENDING', 'PENDING', 'VERIFIED']);
    // The database holds the rule whatever the code does.
    await expect(
      app.db.query("UPDATE organization_domains SET status = 'VERIFIED', verified_at = now() WHERE domain = $1", [
        domain,
      ]),
    ).rejects.toThrow(/organization_domains_verified_key/);
  });

  it('validates the name and refuses a second claim in the same organization', async () => {
    const admin = await signUp(app);
    for (const bad of [
      'localhost',
      '192.0.2.1',
      '[::1]',
      'exa mple.com',
      'com',
      '-bad.example.com',
      `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`,
    ]) {
      const result = await admin.client.request(ADD, { domain: bad });
      expect([bad, errorCode(result), result.errors?.[0].extensions?.field]).toEqual([bad, 'BAD_USER_INPUT', 'domain']);
    }
    const idn = await add(admin.client, `Bücher-${Date.now()}.Example`);
    expect(idn.domain).toMatch(/^xn--bcher-\d+-[a-z0-9]+\.example$/);
    const again = await admin.client.request(ADD, { domain: idn.domain });
    expect([errorCode(again), again.errors?.[0].extensions?.field]).toEqual(['CONFLICT', 'domain']);
    expect((await admin.client.ok(LIST)).domains).toHaveLength(1);
  });

  it('covers subdomains only when the Admin says so, and deletes claims', async () => {
    const admin = await signUp(app);
    const claim = await verifiedDomain(admin.client, uniqueDomain());
    const updated = (await admin.client.ok(UPDATE, { id: claim.id, sub: true })).updateDomain;
    expect(updated.includeSubdomains).toBe(true);
    const change = await expectAuditEvent(app.db, {
      mutation: 'updateDomain',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'domain.updated',
      actorId: admin.userId,
      targetId: claim.id,
    });
    expect(change.changes.includeSubdomains).toEqual({ before: false, after: true });
    expect((await admin.client.ok(DELETE, { id: claim.id })).deleteDomain).toBe(claim.id);
    await domainEvent(admin, { mutation: 'deleteDomain', action: 'domain.deleted', targetId: claim.id });
    expect((await admin.client.ok(LIST)).domains).toEqual([]);
  });

  it("answers NOT_FOUND for another organization's domain and FORBIDDEN to a Consumer", async () => {
    const admin = await signUp(app);
    const stranger = await signUp(app);
    const claim = await add(admin.client, uniqueDomain());
    for (const [query, variables] of [
      [VERIFY, { id: claim.id }],
      [UPDATE, { id: claim.id, sub: true }],
      [DELETE, { id: claim.id }],
    ] as const) {
      expect(errorCode(await stranger.client.request(query, variables))).toBe('NOT_FOUND');
    }
    expect((await stranger.client.ok(LIST)).domains).toEqual([]);

    const consumer = await addMember(app, admin, 'consumer');
    expect(errorCode(await consumer.client.request(LIST))).toBe('FORBIDDEN');
    expect(errorCode(await consumer.client.request(ADD, { domain: uniqueDomain() }))).toBe('FORBIDDEN');
    expect(errorCode(await consumer.client.request(VERIFY, { id: claim.id }))).toBe('FORBIDDEN');
    const [{ status, include_subdomains }] = await app.db.query(
      'SELECT status, include_subdomains FROM organization_domains WHERE id = $1',
      [claim.id],
    );
    expect([status, include_subdomains]).toEqual(['PENDING', false]);
  });

  it('verifies in the background, and marks claims still pending after 30 days as failed', async () => {
    const admin = await signUp(app);
    const [published, stale] = await Promise.all([
      add(admin.client, uniqueDomain()),
      add(admin.client, uniqueDomain()),
    ]);
    publishTxt(published.verificationRecord.name, published.verificationRecord.value);
    await app.db.query("UPDATE organization_domains SET created_at = now() - interval '31 days' WHERE id = $1", [
      stale.id,
    ]);
    const pass = await runDomainChecks(app.db, app.config);
    expect(pass!.verified).toBeGreaterThanOrEqual(1);
    const statuses = Object.fromEntries(
      (await admin.client.ok(LIST)).domains.map((d: { id: string; status: string }) => [d.id, d.status]),
    );
    expect(statuses).toEqual({ [published.id]: 'VERIFIED', [stale.id]: 'FAILED' });
    const systemVerified = await expectAuditEvent(app.db, {
      mutation: 'verifyDomain',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'domain.verified',
      actorId: null,
      targetId: published.id,
    });
    expect(systemVerified.actor_type).toBe('SYSTEM');
    await expectAuditEvent(app.db, {
      mutation: 'verifyDomain',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'domain.verificationExpired',
      actorId: null,
      targetId: stale.id,
    });

    // "Verify now" still works for a failed claim once its record appears.
    publishTxt(stale.verificationRecord.name, stale.verificationRecord.value);
    expect((await admin.client.ok(VERIFY, { id: stale.id })).verifyDomain.status).toBe('VERIFIED');
  });
});
