import { Webhook } from 'standardwebhooks';
import { addMember, eventually, unique } from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';
import { type AuditReceiver, type ReceivedRequest, startAuditReceiver, verifyDelivery } from '../test/audit-receiver';
import { enqueueDelivery, enqueueWaitingStreams } from './audit-stream-delivery';
import { type SignedUp, type TestApp, type TestClient, errorCode, signUp, startTestApp } from '../test/harness';

/** Runs the delivery jobs only: the cron jobs of other domains stay out of their tests. */
const DELIVERING = { allowPrivateNetwork: true, jobs: true, jobTasks: ['auditStream.deliver'] };
let app: TestApp;
let receiver: AuditReceiver;
beforeAll(async () => {
  app = await startTestApp(DELIVERING);
});
beforeEach(async () => {
  receiver = await startAuditReceiver();
});
afterEach(() => receiver.close());
afterAll(() => app.close());

const STREAM_FIELDS = `id name kind url headerNames categories actions batchSize status lastError deliveredSequence
  deliveries { success test responseCode errorCode firstSequence lastSequence events latencyMs }`;
const CREATE = `mutation($input: CreateAuditStreamInput!) {
  createAuditStream(input: $input) { secret auditStream { ${STREAM_FIELDS} } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAuditStreamInput!) { updateAuditStream(id: $id, input: $input) { ${STREAM_FIELDS} } }`;
const DELETE = 'mutation($id: ID!) { deleteAuditStream(id: $id) }';
const TEST = `mutation($id: ID!) { testAuditStream(id: $id) { id success test responseCode errorCode events } }`;
const REDELIVER = `mutation($id: ID!, $from: Int!) { redeliverAuditEvents(streamId: $id, fromSequence: $from) { ${STREAM_FIELDS} } }`;
const LIST = `{ auditStreams { ${STREAM_FIELDS} } }`;

interface Delivered {
  type: string;
  data: { sequence: number; hash: string; previousHash: string; action: string; category: string; id: string };
}

async function create(client: TestClient, input: Record<string, unknown>) {
  return (await client.ok(CREATE, { input: { name: unique('Stream'), kind: 'WEBHOOK', url: receiver.url, ...input } }))
    .createAuditStream;
}

/** Audited changes to deliver: renames of a paused stream, one event each. */
async function produceEvents(client: TestClient, count: number): Promise<void> {
  // Nothing listens there: the noise stream's own first event never reaches the test's receiver.
  const { auditStream } = await create(client, { name: unique('Noise'), url: 'http://127.0.0.1:9/noise' });
  await client.ok(UPDATE, { id: auditStream.id, input: { paused: true } });
  for (let i = 0; i < count; i++) await client.ok(UPDATE, { id: auditStream.id, input: { name: unique('Noise') } });
}

async function headSequence(organizationId: string): Promise<number> {
  const [head] = await app.db.query('SELECT last_sequence FROM audit_chain_heads WHERE chain_id = $1', [
    organizationId,
  ]);
  return Number(head.last_sequence);
}

function verified(secret: string, request: ReceivedRequest): Delivered {
  return verifyDelivery<Delivered>(secret, request);
}

function acceptedEvents(secret: string): Delivered[] {
  return receiver.requests.filter((r) => r.status === 200).map((r) => verified(secret, r));
}

/** The receiver's check: sequences continuous from `from` to `to`, each previousHash the hash before it. */
function expectComplete(events: Delivered[], from: number, to: number) {
  const bySequence = new Map(events.map((event) => [event.data.sequence, event.data]));
  for (let sequence = from; sequence <= to; sequence++) {
    expect(bySequence.get(sequence)).toBeDefined();
    if (sequence > from) expect(bySequence.get(sequence)!.previousHash).toBe(bySequence.get(sequence - 1)!.hash);
  }
}

function expectNonDecreasing(events: Delivered[]) {
  const sequences = events.map((event) => event.data.sequence);
  expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
}

describe('audit streams', () => {
  it('delivers every event as a signed webhook, in order, with its place in the chain', async () => {
    const admin = await signUp(app);
    const { secret, auditStream } = await create(admin.client, {});
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(auditStream).toMatchObject({ kind: 'WEBHOOK', status: 'ACTIVE', headerNames: [], categories: [] });
    const created = await expectAuditEvent(app.db, {
      mutation: 'createAuditStream',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'auditStream.created',
      actorId: admin.userId,
      targetId: auditStream.id,
    });
    await produceEvents(admin.client, 5);
    const last = await headSequence(admin.organizationId);
    expect(
      await eventually(async () => acceptedEvents(secret).length >= last - Number(created.sequence) + 1, 10_000),
    ).toBe(true);

    const events = acceptedEvents(secret);
    expect(events[0].data).toMatchObject({ sequence: Number(created.sequence), action: 'auditStream.created' });
    expect(events[0].data.hash).toBe(created.hash);
    expectComplete(events, Number(created.sequence), last);
    expectNonDecreasing(events);
    expect(receiver.requests[0].headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': events[0].data.id,
      'webhook-timestamp': expect.stringMatching(/^\d+$/),
      'webhook-signature': expect.stringMatching(/^v1,/),
    });
    // A forged body does not verify with the stream's secret.
    expect(() =>
      new Webhook(secret).verify(
        receiver.requests[0].body.replace('auditStream', 'auditStreaM'),
        receiver.requests[0].headers as Record<string, string>,
      ),
    ).toThrow();

    const listed = JSON.stringify((await admin.client.ok(LIST)).auditStreams);
    expect(listed).not.toContain(secret.slice('whsec_'.length));
    const [row] = await app.db.query('SELECT sealed_secret FROM audit_streams WHERE id = $1', [auditStream.id]);
    expect(row.sealed_secret).not.toContain(secret.slice('whsec_'.length));
  });

  it('survives a receiver outage: retries with backoff, then delivers what was missed in order', async () => {
    const admin = await signUp(app);
    const { secret, auditStream } = await create(admin.client, {});
    receiver.failNext(500, 500, 503);
    await produceEvents(admin.client, 4);
    const last = await headSequence(admin.organizationId);
    const failing = await eventually(async () => {
      const [stream] = (await admin.client.ok(LIST)).auditStreams.filter(
        (s: { id: string }) => s.id === auditStream.id,
      );
      return stream.status === 'FAILING' && stream.lastError === 'HTTP_500';
    }, 10_000);
    expect(failing).toBe(true);
    expect(await eventually(async () => acceptedEvents(secret).some((e) => e.data.sequence === last), 20_000)).toBe(
      true,
    );

    const events = acceptedEvents(secret);
    expectComplete(events, auditStream.deliveredSequence + 1, last);
    expectNonDecreasing(receiver.requests.map((r) => verified(secret, r)));
    // The receiver has the last event once it answers; the cursor moves when the deliverer commits, a moment later.
    const current = async () =>
      (await admin.client.ok(LIST)).auditStreams.find((s: { id: string }) => s.id === auditStream.id);
    expect(await eventually(async () => (await current()).deliveredSequence === last, 10_000)).toBe(true);
    const stream = await current();
    expect(stream).toMatchObject({ status: 'ACTIVE', lastError: null, deliveredSequence: last });
    const failures = stream.deliveries.filter((d: { success: boolean }) => !d.success);
    expect(failures.map((d: { responseCode: number; errorCode: string }) => [d.responseCode, d.errorCode])).toEqual([
      [503, 'HTTP_503'],
      [500, 'HTTP_500'],
      [500, 'HTTP_500'],
    ]);
    // The receiver's words never reach the log.
    expect(JSON.stringify(stream)).not.toContain('internal details');
  });

  it('sends NDJSON batches with sealed custom headers', async () => {
    const admin = await signUp(app);
    const token = 'Splunk 8f14e45f-ceea-467f-a8f1-4d5a6b7c8d9e';
    const { secret, auditStream } = await create(admin.client, {
      kind: 'BATCH',
      batchSize: 3,
      headers: [{ name: 'Authorization', value: token }],
    });
    expect(auditStream.headerNames).toEqual(['Authorization']);
    await produceEvents(admin.client, 7);
    const last = await headSequence(admin.organizationId);
    const lines = () =>
      receiver.requests.flatMap((r) =>
        r.body
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Delivered),
      );
    expect(await eventually(async () => lines().some((e) => e.data.sequence === last), 10_000)).toBe(true);

    for (const request of receiver.requests) {
      expect(request.headers).toMatchObject({ authorization: token, 'content-type': 'application/x-ndjson' });
      expect(request.body.trim().split('\n').length).toBeLessThanOrEqual(3);
      expect(() =>
        new Webhook(secret).verify(request.body, request.headers as Record<string, string>, { jsonParse: false }),
      ).not.toThrow();
    }
    expectComplete(lines(), auditStream.deliveredSequence + 1, last);
    expectNonDecreasing(lines());
    expect(JSON.stringify((await admin.client.ok(LIST)).auditStreams)).not.toContain('8f14e45f');
    const [row] = await app.db.query('SELECT sealed_headers FROM audit_streams WHERE id = $1', [auditStream.id]);
    expect(row.sealed_headers).not.toContain('8f14e45f');
  });

  it('delivers only the categories and actions a stream asks for', async () => {
    const admin = await signUp(app);
    const other = await startAuditReceiver();
    try {
      const deletions = await create(admin.client, {
        categories: ['SETTING_UPDATES'],
        actions: ['auditStream.deleted'],
      });
      const userActions = await create(admin.client, { url: other.url, categories: ['USER_ACTIONS'] });
      // Its own creation event may go out before it is paused: not to the receiver under test.
      const { auditStream: doomed } = await create(admin.client, {
        name: unique('Doomed'),
        url: 'http://127.0.0.1:9/doomed',
      });
      await admin.client.ok(UPDATE, { id: doomed.id, input: { paused: true } });
      await admin.client.ok(DELETE, { id: doomed.id });
      await expectAuditEvent(app.db, {
        mutation: 'deleteAuditStream',
        organizationId: admin.organizationId,
        category: 'SETTING_UPDATES',
        action: 'auditStream.deleted',
        actorId: admin.userId,
        targetId: doomed.id,
      });
      const last = await headSequence(admin.organizationId);
      const caughtUp = await eventually(async () => {
        const streams = (await admin.client.ok(LIST)).auditStreams;
        return streams.filter((s: { deliveredSequence: number }) => s.deliveredSequence === last).length === 2;
      }, 10_000);
      expect(caughtUp).toBe(true);
      expect(acceptedEvents(deletions.secret).map((e) => [e.data.action, e.data.sequence])).toEqual([
        ['auditStream.deleted', last],
      ]);
      expect(other.requests).toEqual([]);
      expect(userActions.auditStream.categories).toEqual(['USER_ACTIONS']);
    } finally {
      await other.close();
    }
  });

  it('redelivers from a sequence, and refuses to skip ahead', async () => {
    const admin = await signUp(app);
    const { secret, auditStream } = await create(admin.client, {});
    await produceEvents(admin.client, 2);
    const last = await headSequence(admin.organizationId);
    expect(await eventually(async () => acceptedEvents(secret).some((e) => e.data.sequence === last), 10_000)).toBe(
      true,
    );
    const first = auditStream.deliveredSequence + 1;
    receiver.requests.length = 0;

    const rewound = (await admin.client.ok(REDELIVER, { id: auditStream.id, from: first })).redeliverAuditEvents;
    expect(rewound.deliveredSequence).toBe(first - 1);
    await expectAuditEvent(app.db, {
      mutation: 'redeliverAuditEvents',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'auditStream.redeliveryRequested',
      actorId: admin.userId,
      targetId: auditStream.id,
    });
    const now = await headSequence(admin.organizationId);
    expect(await eventually(async () => acceptedEvents(secret).some((e) => e.data.sequence === now), 10_000)).toBe(
      true,
    );
    expectComplete(acceptedEvents(secret), first, now);
    expect(acceptedEvents(secret)[0].data.sequence).toBe(first);

    const ahead = await admin.client.request(REDELIVER, { id: auditStream.id, from: now + 5 });
    expect(errorCode(ahead)).toBe('BAD_USER_INPUT');
    expect(ahead.errors?.[0].extensions?.field).toBe('fromSequence');
  });

  it('sends a signed test message and logs the attempt, successful or not', async () => {
    const admin = await signUp(app);
    const { secret, auditStream } = await create(admin.client, {});
    await admin.client.ok(UPDATE, { id: auditStream.id, input: { paused: true } });
    await expectAuditEvent(app.db, {
      mutation: 'updateAuditStream',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'auditStream.updated',
      actorId: admin.userId,
      targetId: auditStream.id,
    });
    const ok = (await admin.client.ok(TEST, { id: auditStream.id })).testAuditStream;
    expect(ok).toMatchObject({ success: true, test: true, responseCode: 200, errorCode: null, events: 1 });
    const tests = receiver.requests.map((r) => verified(secret, r)).filter((e) => e.type === 'audit.test');
    expect(tests).toEqual([expect.objectContaining({ data: expect.objectContaining({ streamId: auditStream.id }) })]);
    await expectAuditEvent(app.db, {
      mutation: 'testAuditStream',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'auditStream.tested',
      actorId: admin.userId,
      targetId: auditStream.id,
    });

    receiver.failNext(503);
    const failed = (await admin.client.ok(TEST, { id: auditStream.id })).testAuditStream;
    expect(failed).toMatchObject({ success: false, responseCode: 503, errorCode: 'HTTP_503' });
    const [stream] = (await admin.client.ok(LIST)).auditStreams.filter((s: { id: string }) => s.id === auditStream.id);
    expect(stream.status).toBe('PAUSED');
    expect(stream.deliveries.slice(0, 2).map((d: { success: boolean; test: boolean }) => [d.success, d.test])).toEqual([
      [false, true],
      [true, true],
    ]);
  });

  it('pauses a stream that failed for 24 hours and emails the Admins', async () => {
    const admin = await signUp(app);
    const { auditStream } = await create(admin.client, {});
    receiver.failNext(...Array(20).fill(500));
    // As if every attempt since yesterday had failed; the stream's own creation event is still to deliver.
    await app.db.query(
      `UPDATE audit_streams SET status = 'FAILING', failures = 12, failing_since = now() - interval '25 hours',
         delivered_sequence = $2 WHERE id = $1`,
      [auditStream.id, auditStream.deliveredSequence],
    );
    await enqueueDelivery(app.db, auditStream.id);
    const paused = await eventually(async () => {
      const [row] = await app.db.query('SELECT status FROM audit_streams WHERE id = $1', [auditStream.id]);
      return row.status === 'PAUSED';
    }, 10_000);
    expect(paused).toBe(true);
    // Paused by the system, not by a mutation.
    const [event] = await app.db.query(
      `SELECT * FROM audit_events WHERE organization_id = $1 AND action = 'auditStream.paused' AND target_id = $2`,
      [admin.organizationId, auditStream.id],
    );
    expect(event).toMatchObject({ category: 'SETTING_UPDATES', actor_type: 'SYSTEM', outcome: 'FAILURE' });
    expect(event.failure_reason).toContain('HTTP_500');
    const [email] = await app.db.query('SELECT text_body FROM test_email_capture WHERE recipient = $1', [admin.email]);
    expect(email.text_body).toContain('was paused');

    const resumed = (await admin.client.ok(UPDATE, { id: auditStream.id, input: { paused: false } })).updateAuditStream;
    expect(resumed.status).toBe('ACTIVE');
  });

  it('the sweep enqueues a stream left with events waiting and no job (its deliverer died)', async () => {
    const admin = await signUp(app);
    const { secret, auditStream } = await create(admin.client, {});
    const first = auditStream.deliveredSequence + 1;
    const jobs = async () =>
      (
        await app.db.query(`SELECT count(*)::int FROM graphile_worker.jobs WHERE key = $1`, [
          `auditStream:${auditStream.id}`,
        ])
      )[0].count;
    expect(await eventually(async () => acceptedEvents(secret).length === 1 && (await jobs()) === 0, 10_000)).toBe(
      true,
    );
    // As if the job delivering it had died with its instance: the cursor is back and no job waits.
    await app.db.query(`UPDATE audit_streams SET delivered_sequence = $2 WHERE id = $1`, [auditStream.id, first - 1]);
    expect(await jobs()).toBe(0);

    await enqueueWaitingStreams(app.db);
    expect(await eventually(async () => acceptedEvents(secret).length === 2, 10_000)).toBe(true);
    expect(acceptedEvents(secret).map((event) => event.data.sequence)).toEqual([first, first]);
  });

  it('a stream whose secret no longer opens fails alone; the others keep delivering', async () => {
    const admin = await signUp(app);
    const { auditStream: broken } = await create(admin.client, { url: 'http://127.0.0.1:9/broken' });
    // A deliverer may already have tried the stream's own creation event (UNREACHABLE, backing off):
    // due again now, its next attempt meets the unreadable secret.
    await app.db.query(`UPDATE audit_streams SET sealed_secret = 'v1.garbage', next_attempt_at = now() WHERE id = $1`, [
      broken.id,
    ]);
    const { secret } = await create(admin.client, {});
    await produceEvents(admin.client, 2);
    const last = await headSequence(admin.organizationId);
    expect(await eventually(async () => acceptedEvents(secret).some((e) => e.data.sequence === last), 10_000)).toBe(
      true,
    );
    const brokenState = async () =>
      (await app.db.query('SELECT status, last_error FROM audit_streams WHERE id = $1', [broken.id]))[0];
    await eventually(async () => (await brokenState()).last_error === 'SECRET_UNREADABLE', 10_000);
    expect(await brokenState()).toEqual({ status: 'FAILING', last_error: 'SECRET_UNREADABLE' });
  });

  it('answers NOT_FOUND for another organization, FORBIDDEN without the permissions', async () => {
    const admin = await signUp(app);
    const stranger = await signUp(app);
    const { auditStream } = await create(admin.client, {});
    for (const [query, variables] of [
      [UPDATE, { id: auditStream.id, input: { name: 'Mine now' } }],
      [DELETE, { id: auditStream.id }],
      [TEST, { id: auditStream.id }],
      [REDELIVER, { id: auditStream.id, from: 1 }],
    ] as const) {
      expect(errorCode(await stranger.client.request(query, variables))).toBe('NOT_FOUND');
    }
    expect((await stranger.client.ok(LIST)).auditStreams).toEqual([]);

    const consumer = await addMember(app, admin);
    expect(errorCode(await consumer.client.request(LIST))).toBe('FORBIDDEN');
    const refused = await consumer.client.request(CREATE, {
      input: { name: 'Exfiltrate', kind: 'WEBHOOK', url: receiver.url },
    });
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(errorCode(await consumer.client.request(TEST, { id: auditStream.id }))).toBe('FORBIDDEN');
    const [{ count }] = await app.db.query('SELECT count(*)::int FROM audit_streams WHERE organization_id = $1', [
      admin.organizationId,
    ]);
    expect(count).toBe(1);
  });

  it('refuses unsafe headers and URLs with credentials', async () => {
    const admin = await signUp(app);
    const cases: [Record<string, unknown>, string][] = [
      [{ headers: [{ name: 'X-Token', value: 'a\r\nX-Injected: 1' }] }, 'headers'],
      [{ headers: [{ name: 'Host', value: 'internal.example' }] }, 'headers'],
      [{ headers: [{ name: 'Content-Length', value: '0' }] }, 'headers'],
      [{ headers: [{ name: 'Transfer-Encoding', value: 'chunked' }] }, 'headers'],
      [{ headers: [{ name: 'Bad Name', value: 'x' }] }, 'headers'],
      [
        {
          headers: [
            { name: 'X-A', value: 'a'.repeat(1000) },
            ...Array.from({ length: 9 }, (_, i) => ({ name: `X-${i}`, value: 'b'.repeat(1000) })),
          ],
        },
        'headers',
      ],
      [{ name: '   ' }, 'name'],
      [{ url: 'http://user:pass@127.0.0.1/x' }, 'url'],
      [{ url: 'ftp://127.0.0.1/x' }, 'url'],
      [{ url: 'http://169.254.169.254/latest' }, 'url'],
    ];
    for (const [input, field] of cases) {
      const result = await admin.client.request(CREATE, {
        input: { name: unique('Bad'), kind: 'WEBHOOK', url: receiver.url, ...input },
      });
      expect([errorCode(result), result.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', field]);
    }
    expect((await admin.client.ok(LIST)).auditStreams).toEqual([]);
  });
});

describe('audit streams without ALLOW_PRIVATE_NETWORK', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await startTestApp();
  });
  afterAll(() => strict.close());

  it('refuses private and plain-HTTP receivers', async () => {
    const admin: SignedUp = await signUp(strict);
    for (const url of [receiver.url, 'https://127.0.0.1/audit', 'https://10.1.2.3/audit', 'https://[::1]/audit']) {
      const result = await admin.client.request(CREATE, { input: { name: unique('Inside'), kind: 'WEBHOOK', url } });
      expect([errorCode(result), result.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'url']);
    }
    expect((await admin.client.ok(LIST)).auditStreams).toEqual([]);

    // A name that never resolves cannot be judged now: accepted, and checked again at each connection.
    const { auditStream } = await create(admin.client, { url: 'https://audit-receiver.invalid/hook' });
    const moved = await admin.client.request(UPDATE, { id: auditStream.id, input: { url: 'https://10.0.0.7/hook' } });
    expect([errorCode(moved), moved.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'url']);
    expect((await admin.client.ok(LIST)).auditStreams[0].url).toBe('https://audit-receiver.invalid/hook');
  });
});

describe('audit streams across instances', () => {
  it('a deliverer killed mid-request loses nothing: only that request comes again', async () => {
    const admin = await signUp(app);
    const { secret, auditStream } = await create(admin.client, {});
    receiver.delayMs = 1500;
    await produceEvents(admin.client, 6);
    expect(await eventually(async () => receiver.requests.length >= 2, 10_000)).toBe(true);
    // The deliverer's connection, waiting on the receiver inside its transaction after reading the
    // events to send (only this app delivers here, but an earlier test's stream may be mid-request
    // too: killing it as well costs nothing, the assertions below are about this stream).
    const killed = await app.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE '%"AuditEventEntity"%'`,
    );
    expect(killed.length).toBeGreaterThanOrEqual(1);
    receiver.delayMs = 0;
    await produceEvents(admin.client, 1);
    const last = await headSequence(admin.organizationId);
    expect(await eventually(async () => acceptedEvents(secret).some((e) => e.data.sequence === last), 20_000)).toBe(
      true,
    );
    const events = acceptedEvents(secret);
    expectComplete(events, auditStream.deliveredSequence + 1, last);
    expectNonDecreasing(events);
    // The request in flight when the connection died was not recorded as delivered, so it came again.
    expect(events.length).toBeGreaterThan(new Set(events.map((event) => event.data.sequence)).size);
  });

  it('two deliverers, one stopped mid-stream: nothing missing, never out of order', async () => {
    const second = await startTestApp(DELIVERING);
    try {
      const admin = await signUp(app);
      const { secret, auditStream } = await create(admin.client, {});
      receiver.delayMs = 20;
      await produceEvents(admin.client, 15);
      const midway = await eventually(async () => receiver.requests.length >= 5, 10_000);
      expect(midway).toBe(true);
      await second.close();
      await produceEvents(admin.client, 5);
      const last = await headSequence(admin.organizationId);
      expect(await eventually(async () => acceptedEvents(secret).some((e) => e.data.sequence === last), 20_000)).toBe(
        true,
      );
      const events = acceptedEvents(secret);
      expectComplete(events, auditStream.deliveredSequence + 1, last);
      expectNonDecreasing(events);
    } finally {
      await second.close().catch(() => undefined);
    }
  });
});
