import { TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import { CREATE_API_KEY, addMember, createGroup, withKey } from '../test/access-fixtures';
import { expectAuditEvent, rechainWithoutKey } from '../test/audit';
import { applyAuditRetention } from './audit-retention';
import { GENESIS_HASH } from './audit-chain';
import { csvCell } from './audit-export';

const EVENTS = `query($first: Int, $after: String, $filter: AuditEventFilter) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    nodes { id sequence occurredAt category action outcome actor { type id name } target { type id name } changes hash }
    pageInfo { hasNextPage endCursor }
  }
}`;
const VERIFY = `query($from: Int, $to: Int) { verifyAuditLog(fromSequence: $from, toSequence: $to) { ok checkedCount firstBrokenSequence } }`;
const VERIFY_SEEN = `query($from: Int, $to: Int) {
  verifyAuditLog(fromSequence: $from, toSequence: $to) { ok checkedCount firstBrokenSequence firstSequence lastSequence }
}`;
/** What verifyAuditLog answers for an unbroken range. */
const unbroken = (checkedCount: number, firstSequence: number, lastSequence: number) => ({
  ok: true,
  checkedCount,
  firstBrokenSequence: null,
  firstSequence,
  lastSequence,
});
const RENAME = `mutation($name: String!) { updateProfile(input: { firstName: $name }) { id } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type Admin = Awaited<ReturnType<typeof signUp>>;

async function allSequences(admin: Admin, filter?: object, pageSize = 3): Promise<number[]> {
  const seen: number[] = [];
  let after: string | null = null;
  do {
    const { auditEvents }: any = await admin.client.ok(EVENTS, { first: pageSize, after, filter });
    seen.push(...auditEvents.nodes.map((event: { sequence: number }) => event.sequence));
    after = auditEvents.pageInfo.hasNextPage ? auditEvents.pageInfo.endCursor : null;
  } while (after);
  return seen;
}

describe('auditEvents', () => {
  it('pages newest first by cursor and sees every event once while new ones arrive', async () => {
    const admin = await signUp(app);
    for (let i = 0; i < 5; i += 1) await admin.client.ok(RENAME, { name: `Name${i}` });
    const [{ count }] = await app.db.query(
      'SELECT count(*)::int AS count FROM audit_events WHERE organization_id = $1',
      [admin.organizationId],
    );
    const first: any = await admin.client.ok(EVENTS, { first: 3 });
    const seen = first.auditEvents.nodes.map((event: { sequence: number }) => event.sequence);
    let after = first.auditEvents.pageInfo.endCursor;
    while (after) {
      await admin.client.ok(RENAME, { name: 'Meanwhile' });
      const { auditEvents }: any = await admin.client.ok(EVENTS, { first: 3, after });
      seen.push(...auditEvents.nodes.map((event: { sequence: number }) => event.sequence));
      after = auditEvents.pageInfo.hasNextPage ? auditEvents.pageInfo.endCursor : null;
    }
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => count - i));
  });

  it('says where a page sits: hasPreviousPage after a cursor, startCursor and endCursor of its edges', async () => {
    const admin = await signUp(app);
    for (let i = 0; i < 3; i += 1) await admin.client.ok(RENAME, { name: `Name${i}` });
    const PAGE = `query($after: String) {
      auditEvents(first: 2, after: $after) { edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
    }`;
    const first: any = await admin.client.ok(PAGE, {});
    const [a, b] = first.auditEvents.edges.map((edge: { cursor: string }) => edge.cursor);
    expect(first.auditEvents.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: a,
      endCursor: b,
    });
    const second: any = await admin.client.ok(PAGE, { after: b });
    expect(second.auditEvents.pageInfo).toMatchObject({
      hasPreviousPage: true,
      startCursor: second.auditEvents.edges[0].cursor,
    });
  });

  it('filters by category, action, actor, target, outcome, time, text and sequence', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin);
    const groupId = await createGroup(admin.client, 'Auditors');
    await member.client.ok(RENAME, { name: 'Grace' });
    const actions = async (filter: object) => {
      const { auditEvents }: any = await admin.client.ok(EVENTS, { first: 100, filter });
      return auditEvents.nodes.map((event: { action: string }) => event.action);
    };
    expect(await actions({ categories: ['SYSTEM_CONFIGURATION'], actions: ['group.created'] })).toEqual([
      'group.created',
    ]);
    expect(await actions({ actorId: member.userId })).toEqual([
      'user.profileUpdated',
      'invitation.accepted',
      'apiKey.created',
    ]);
    expect(await actions({ targetId: groupId })).toEqual(['group.created']);
    expect(await actions({ search: 'auditors' })).toEqual(['group.created']);
    expect(await actions({ outcome: 'FAILURE' })).toEqual([]);
    expect(await actions({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect(await actions({ to: new Date(Date.now() - 3_600_000).toISOString() })).toEqual([]);
    const everything = await allSequences(admin);
    expect(await allSequences(admin, { afterSequence: everything[2] })).toEqual(everything.slice(0, 2));
  });

  it('refuses bad cursors, ranges and filters with the field at fault', async () => {
    const admin = await signUp(app);
    const field = async (variables: object) => {
      const result = await admin.client.request(EVENTS, variables);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      return result.errors![0].extensions!.field;
    };
    expect(await field({ after: 'not-a-cursor' })).toBe('after');
    expect(await field({ first: 101 })).toBe('first');
    expect(await field({ filter: { search: 'x'.repeat(101) } })).toBe('search');
    expect(await field({ filter: { actorId: 'nope' } })).toBe('actorId');
    const now = new Date().toISOString();
    expect(await field({ filter: { from: now, to: now } })).toBe('to');
  });

  it('shows only the caller’s organization, needs auditLog:read, and works with a scoped API key', async () => {
    const admin = await signUp(app);
    const other = await signUp(app);
    const { auditEvents }: any = await admin.client.ok(EVENTS, { first: 100 });
    const ids = new Set(auditEvents.nodes.map((event: { id: string }) => event.id));
    const [{ count }] = await app.db.query(
      'SELECT count(*)::int AS count FROM audit_events WHERE organization_id = $1 AND id = ANY($2::uuid[])',
      [other.organizationId, [...ids]],
    );
    expect(count).toBe(0);

    const consumer = await addMember(app, admin);
    expect(errorCode(await consumer.client.request(EVENTS, {}))).toBe('FORBIDDEN');

    const scoped = await admin.client.ok(CREATE_API_KEY, { input: { name: 'SIEM', scopes: ['auditLog:read'] } });
    const collector = withKey(app, scoped.createApiKey.secret);
    const page: any = await collector.ok(EVENTS, { first: 1 });
    expect(page.auditEvents.nodes).toHaveLength(1);
    const narrow = await admin.client.ok(CREATE_API_KEY, { input: { name: 'Profile only', scopes: ['profile:read'] } });
    expect(errorCode(await withKey(app, narrow.createApiKey.secret).request(EVENTS, {}))).toBe('FORBIDDEN');
  });
});

describe('verifyAuditLog', () => {
  it('confirms an intact chain and names the first event altered with SQL', async () => {
    const admin = await signUp(app);
    for (let i = 0; i < 4; i += 1) await admin.client.ok(RENAME, { name: `V${i}` });
    const intact: any = await admin.client.ok(VERIFY);
    expect(intact.verifyAuditLog).toEqual({ ok: true, checkedCount: 7, firstBrokenSequence: null });

    await app.db.query(`UPDATE audit_events SET actor_name = 'Mallory' WHERE organization_id = $1 AND sequence = 5`, [
      admin.organizationId,
    ]);
    const altered: any = await admin.client.ok(VERIFY);
    expect(altered.verifyAuditLog).toMatchObject({ ok: false, firstBrokenSequence: 5 });
    const before: any = await admin.client.ok(VERIFY, { from: 1, to: 4 });
    expect(before.verifyAuditLog).toEqual({ ok: true, checkedCount: 4, firstBrokenSequence: null });

    await app.db.query('DELETE FROM audit_events WHERE organization_id = $1 AND sequence = 3', [admin.organizationId]);
    const gap: any = await admin.client.ok(VERIFY, { from: 1, to: 4 });
    expect(gap.verifyAuditLog).toMatchObject({ ok: false, firstBrokenSequence: 3 });
  });

  it('reports the first and last sequence it saw, and detects a deleted oldest or newest event', async () => {
    const admin = await signUp(app);
    for (let i = 0; i < 2; i += 1) await admin.client.ok(RENAME, { name: `H${i}` });
    expect((await admin.client.ok(VERIFY_SEEN)).verifyAuditLog).toEqual(unbroken(5, 1, 5));
    await app.db.query('DELETE FROM audit_events WHERE organization_id = $1 AND sequence = 1', [admin.organizationId]);
    const headless: any = await admin.client.ok(VERIFY_SEEN);
    expect(headless.verifyAuditLog).toMatchObject({ ok: false, firstBrokenSequence: 1, firstSequence: 2 });

    const other = await signUp(app);
    await app.db.query('DELETE FROM audit_events WHERE organization_id = $1 AND sequence = 3', [other.organizationId]);
    const tailless: any = await other.client.ok(VERIFY_SEEN, { from: 1 });
    expect(tailless.verifyAuditLog).toMatchObject({ ok: false, firstBrokenSequence: 3, lastSequence: 2 });
  });

  it('detects an event altered and re-chained with plain SHA-256, as someone without the key would', async () => {
    const admin = await signUp(app);
    for (let i = 0; i < 3; i += 1) await admin.client.ok(RENAME, { name: `K${i}` });
    // The forger rewrites event 4 and recomputes every hash after it, and the chain head.
    await rechainWithoutKey(app.db, admin.organizationId, 4, (event) => {
      if (event.sequence === 4) event.actorName = 'Mallory';
    });
    const forged: any = await admin.client.ok(VERIFY_SEEN);
    expect(forged.verifyAuditLog).toMatchObject({ ok: false, firstBrokenSequence: 4 });
  });

  it('refuses a range larger than one call may verify', async () => {
    const admin = await signUp(app);
    const result = await admin.client.request(VERIFY, { from: 1, to: 2_000_000 });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('toSequence');
  });
});

describe('export', () => {
  async function download(admin: Admin | null, query: string, bearer?: string) {
    const response = await fetch(`${app.url}/api/audit-events/export?${query}`, {
      headers: {
        ...(admin?.client.cookie ? { cookie: admin.client.cookie } : {}),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
    });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  }

  it('streams CSV and NDJSON with the filters, neutralises formulas, and is itself audited', async () => {
    const admin = await signUp(app);
    const groupId = await createGroup(admin.client, '=HYPERLINK("http://evil.test")');
    const csv = await download(admin, `format=csv&categories=SYSTEM_CONFIGURATION&actions=group.created`);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^occurredAt,sequence,category,action,outcome/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
    expect(lines[1]).toContain(`"${groupId}"`);
    await expectAuditEvent(app.db, {
      mutation: 'auditExport',
      organizationId: admin.organizationId,
      category: 'USER_ACTIONS',
      action: 'auditLog.exported',
      actorId: admin.userId,
      targetId: admin.organizationId,
    });

    const ndjson = await download(admin, 'format=ndjson');
    expect(ndjson.type).toMatch(/^application\/x-ndjson/);
    const events = ndjson.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events[0].action).toBe('auditLog.exported');
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, i) => events.length - i));
  });

  it('answers 401, 403 and 400 like the API, with the same codes', async () => {
    const admin = await signUp(app);
    const consumer = await addMember(app, admin);
    const anonymous = await download(null, 'format=csv');
    expect([anonymous.status, JSON.parse(anonymous.body).errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await download(null, 'format=csv', 'gth_not-a-real-key')).status).toBe(401);
    expect((await download(consumer, 'format=csv')).status).toBe(403);
    const badFormat = await download(admin, 'format=xlsx');
    expect([badFormat.status, JSON.parse(badFormat.body).errors[0].extensions.field]).toEqual([400, 'format']);
    expect((await download(admin, 'format=csv&from=yesterday')).status).toBe(400);
  });

  it('neutralises every formula prefix', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'plain'].map(csvCell)).toEqual([
      `"'=1+1"`,
      `"'+1"`,
      `"'-1"`,
      `"'@SUM(A1)"`,
      `"'\tx"`,
      `"'\rx"`,
      '"plain"',
    ]);
  });
});

describe('retention', () => {
  /** Gives the organization a 30-day retention and makes its first events older than that. */
  async function expireOldestEvents(organizationId: string, through: number): Promise<void> {
    await app.db.query('UPDATE organizations SET audit_retention_days = 30 WHERE id = $1', [organizationId]);
    // Rewriting occurred_at breaks those events' hashes, but they are the ones retention removes.
    await app.db.query(
      `UPDATE audit_events SET occurred_at = now() - interval '31 days' WHERE organization_id = $1 AND sequence <= $2`,
      [organizationId, through],
    );
  }

  it('removes events older than the organization’s retention; the rest still verifies', async () => {
    const admin = await signUp(app);
    for (let i = 0; i < 3; i += 1) await admin.client.ok(RENAME, { name: `R${i}` });
    await expireOldestEvents(admin.organizationId, 2);
    const removed = await applyAuditRetention(app.db, app.config);
    expect(removed).toBeGreaterThanOrEqual(2);
    const sequences = await app.db.query(
      'SELECT sequence::int FROM audit_events WHERE organization_id = $1 ORDER BY 1',
      [admin.organizationId],
    );
    expect(sequences.map((row: { sequence: number }) => row.sequence)).toEqual([3, 4, 5, 6]);
    expect((await admin.client.ok(VERIFY_SEEN)).verifyAuditLog).toEqual(unbroken(4, 3, 6));
    // Asking for the removed part is not an error either: what is left starts at 3.
    expect((await admin.client.ok(VERIFY_SEEN, { from: 1, to: 4 })).verifyAuditLog).toMatchObject({
      ok: true,
      checkedCount: 2,
      firstSequence: 3,
    });
  });

  it('still detects a deleted oldest event after a trim, and an anchor forged without the key', async () => {
    const admin = await signUp(app);
    for (let i = 0; i < 3; i += 1) await admin.client.ok(RENAME, { name: `T${i}` });
    await expireOldestEvents(admin.organizationId, 2);
    await applyAuditRetention(app.db, app.config);
    await app.db.query('DELETE FROM audit_events WHERE organization_id = $1 AND sequence = 3', [admin.organizationId]);
    expect((await admin.client.ok(VERIFY_SEEN)).verifyAuditLog).toMatchObject({
      ok: false,
      firstBrokenSequence: 3,
      firstSequence: 4,
    });
    // Moving the anchor past the deleted event by hand: its MAC cannot be made without the key.
    const [fourth] = await app.db.query('SELECT hash FROM audit_events WHERE organization_id = $1 AND sequence = 4', [
      admin.organizationId,
    ]);
    await app.db.query('DELETE FROM audit_events WHERE organization_id = $1 AND sequence = 4', [admin.organizationId]);
    await app.db.query(
      `UPDATE audit_chain_heads SET trimmed_through = 4, trimmed_hash = $2, anchor_mac = $3 WHERE chain_id = $1`,
      [admin.organizationId, fourth.hash, GENESIS_HASH],
    );
    expect((await admin.client.ok(VERIFY_SEEN)).verifyAuditLog).toMatchObject({
      ok: false,
      firstBrokenSequence: 1,
      firstSequence: 5,
    });
  });

  it('runs on one instance at a time', async () => {
    const holder = app.db.createQueryRunner();
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('gatehouse.audit-retention'))`);
      expect(await applyAuditRetention(app.db, app.config)).toBeNull();
    } finally {
      await holder.query(`SELECT pg_advisory_unlock(hashtext('gatehouse.audit-retention'))`);
      await holder.release();
    }
    expect(await applyAuditRetention(app.db, app.config)).not.toBeNull();
  });
});

describe('refused mutations', () => {
  it('records a mutation refused for want of a permission as a failure, but not a refused query', async () => {
    const admin = await signUp(app);
    const consumer = await addMember(app, admin);
    const result = await consumer.client.request(`mutation { createGroup(input: { name: "Mine" }) { id } }`);
    expect(errorCode(result)).toBe('FORBIDDEN');
    const event = await expectAuditEvent(app.db, {
      mutation: 'createGroup',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'authorization.denied',
      actorId: consumer.userId,
      targetId: 'createGroup',
      outcome: 'FAILURE',
    });
    expect(event.failure_reason).toBe('createGroup needs the groups:manage permission');
    expect(errorCode(await consumer.client.request(`{ serviceAccounts { id } }`))).toBe('FORBIDDEN');
    const [{ count }] = await app.db.query(
      `SELECT count(*)::int AS count FROM audit_events WHERE organization_id = $1 AND action = 'authorization.denied'`,
      [admin.organizationId],
    );
    expect(count).toBe(1);
  });
});
