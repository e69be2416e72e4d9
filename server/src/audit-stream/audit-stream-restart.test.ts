import { Webhook } from 'standardwebhooks';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../db/data-source';
import { eventually, unique } from '../test/access-fixtures';
import { type AuditReceiver, startAuditReceiver } from '../test/audit-receiver';
import { type ServerProcess, TestClient, emptyDatabase, signUp, startServerProcess } from '../test/harness';

// The deliverer in its own OS process, killed with SIGKILL mid-batch: nothing in its memory
// survives, so only PostgreSQL (the cursor row, the graphile-worker jobs) can carry delivery across
// the restart. The processes run on a database of their own, so that their jobs are this test's
// streams only, never another test file's.

const CREATE = `mutation($input: CreateAuditStreamInput!) {
  createAuditStream(input: $input) { secret auditStream { id deliveredSequence } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAuditStreamInput!) { updateAuditStream(id: $id, input: $input) { id } }`;

interface Delivered {
  data: { sequence: number; hash: string; previousHash: string };
}

let database: { url: string; drop(): Promise<void> };
let db: DataSource;
let receiver: AuditReceiver;
const processes: ServerProcess[] = [];
beforeAll(async () => {
  database = await emptyDatabase('streams_restart');
  db = createDataSource(database.url);
  await db.initialize();
  await runMigrations(db);
  receiver = await startAuditReceiver();
}, 60_000);
afterAll(async () => {
  await Promise.all(processes.map((server) => server.kill()));
  await receiver.close();
  await db.destroy();
  await database.drop();
});

async function start(jobs: boolean): Promise<ServerProcess> {
  const server = await startServerProcess({
    DATABASE_URL: database.url,
    ALLOW_PRIVATE_NETWORK: 'true',
    JOBS: String(jobs),
  });
  processes.push(server);
  return server;
}

/** Audited changes: renames of a paused stream, one event each. */
async function produceEvents(client: TestClient, streamId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await client.ok(UPDATE, { id: streamId, input: { name: unique('Noise') } });
}

/**
 * What the README's receiver does with each event, in the order received: one already kept is a
 * duplicate (counted, dropped); any other must be the next sequence, linked to the one kept before.
 */
function receive(events: Delivered['data'][], from: number) {
  let last: { sequence: number; hash: string } | null = null;
  let duplicates = 0;
  const broken: number[] = [];
  for (const event of events) {
    if (last && event.sequence <= last.sequence) {
      duplicates++;
      continue;
    }
    const expected = last ? last.sequence + 1 : from;
    if (event.sequence !== expected || (last && event.previousHash !== last.hash)) broken.push(event.sequence);
    last = { sequence: event.sequence, hash: event.hash };
  }
  return { last: last?.sequence ?? null, duplicates, broken };
}

it('a deliverer killed with SIGKILL mid-batch, and another started, lose nothing', async () => {
  // Writes every event and delivers nothing, so the writing goes on while no deliverer runs.
  const writer = await start(false);
  let deliverer = await start(true);
  const admin = await signUp(writer);
  const { secret, auditStream } = (
    await admin.client.ok(CREATE, {
      input: { name: unique('Siem'), kind: 'BATCH', batchSize: 3, url: receiver.url },
    })
  ).createAuditStream;
  const noise = (
    await admin.client.ok(CREATE, {
      input: { name: unique('Noise'), kind: 'WEBHOOK', url: 'http://127.0.0.1:9/noise' },
    })
  ).createAuditStream.auditStream;
  await admin.client.ok(UPDATE, { id: noise.id, input: { paused: true } });

  // A slow receiver keeps a batch in flight: it has the body, the deliverer waits for the answer.
  receiver.delayMs = 1500;
  await produceEvents(admin.client, noise.id, 10);
  expect(await eventually(async () => receiver.requests.length >= 2, 30_000)).toBe(true);
  await deliverer.kill();
  const received = receiver.requests.length;

  // With no deliverer anywhere, more events are committed.
  await produceEvents(admin.client, noise.id, 6);
  expect(receiver.requests.length).toBe(received);

  receiver.delayMs = 0;
  deliverer = await start(true);
  const [head] = await db.query('SELECT last_sequence FROM audit_chain_heads WHERE chain_id = $1', [
    admin.organizationId,
  ]);
  const last = Number(head.last_sequence);
  const events = () =>
    receiver.requests.flatMap((request) => {
      // Each request's signature must verify before its events count (verify throws otherwise).
      new Webhook(secret).verify(request.body, request.headers as Record<string, string>, { jsonParse: false });
      return request.body
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as Delivered).data);
    });
  expect(await eventually(async () => events().some((event) => event.sequence === last), 30_000)).toBe(true);
  expect(receiver.requests.length).toBeGreaterThan(received);

  const verdict = receive(events(), auditStream.deliveredSequence + 1);
  expect(verdict).toMatchObject({ last, broken: [] });
  // At-least-once: the batch in flight at the kill was never recorded as delivered, so it came again.
  expect(verdict.duplicates).toBeGreaterThanOrEqual(1);
  expect(verdict.duplicates).toBeLessThanOrEqual(3);
}, 120_000);
