import { eventually, unique } from '../test/access-fixtures';
import { type AuditReceiver, startAuditReceiver, verifyDelivery } from '../test/audit-receiver';
import {
  type ServerProcess,
  type TestApp,
  TestClient,
  signUp,
  startServerProcess,
  startTestApp,
} from '../test/harness';

// The deliverer in its own OS process, killed with SIGKILL mid-request: nothing in its memory
// survives, so only the cursor row in PostgreSQL can carry delivery across the restart.
const DELIVERING = { AUDIT_STREAM_DELIVERY: 'true', ALLOW_PRIVATE_NETWORK: 'true' };

const CREATE = `mutation($input: CreateAuditStreamInput!) {
  createAuditStream(input: $input) { secret auditStream { id deliveredSequence } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAuditStreamInput!) { updateAuditStream(id: $id, input: $input) { id } }`;

interface Delivered {
  data: { sequence: number; hash: string; previousHash: string };
}

let app: TestApp;
let receiver: AuditReceiver;
const processes: ServerProcess[] = [];
beforeAll(async () => {
  // Delivers nothing (the harness default): it only writes events while the deliverer is down.
  app = await startTestApp();
  receiver = await startAuditReceiver();
});
afterAll(async () => {
  await Promise.all(processes.map((server) => server.kill()));
  await receiver.close();
  await app.close();
});

async function start(): Promise<ServerProcess> {
  const server = await startServerProcess(DELIVERING);
  processes.push(server);
  return server;
}

/** Audited changes: renames of a paused stream whose URL nothing listens on, one event each. */
async function produceEvents(client: TestClient, streamId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await client.ok(UPDATE, { id: streamId, input: { name: unique('Noise') } });
}

it('a server process killed mid-delivery and started again loses nothing', async () => {
  let server = await start();
  const admin = await signUp(server);
  const { secret, auditStream } = (
    await admin.client.ok(CREATE, {
      input: { name: unique('Siem'), kind: 'WEBHOOK', url: receiver.url },
    })
  ).createAuditStream;
  const noise = (
    await admin.client.ok(CREATE, {
      input: { name: unique('Noise'), kind: 'WEBHOOK', url: 'http://127.0.0.1:9/noise' },
    })
  ).createAuditStream.auditStream;
  await admin.client.ok(UPDATE, { id: noise.id, input: { paused: true } });

  // A slow receiver keeps a request in flight when the process dies.
  receiver.delayMs = 500;
  await produceEvents(admin.client, noise.id, 8);
  expect(await eventually(async () => receiver.requests.length >= 2, 15_000)).toBe(true);
  await server.kill();
  const beforeKill = receiver.requests.length;

  // While no deliverer runs, another instance (delivering nothing) keeps writing events.
  const elsewhere = new TestClient(app.url, admin.client.ip);
  elsewhere.cookie = admin.client.cookie;
  await produceEvents(elsewhere, noise.id, 5);

  receiver.delayMs = 0;
  server = await start();
  const restarted = new TestClient(server.url, admin.client.ip);
  restarted.cookie = admin.client.cookie;
  await produceEvents(restarted, noise.id, 2);
  const [head] = await app.db.query('SELECT last_sequence FROM audit_chain_heads WHERE chain_id = $1', [
    admin.organizationId,
  ]);
  const last = Number(head.last_sequence);

  const accepted = () =>
    receiver.requests.filter((r) => r.status === 200).map((r) => verifyDelivery<Delivered>(secret, r).data);
  expect(await eventually(async () => accepted().some((event) => event.sequence === last), 20_000)).toBe(true);
  const events = accepted();
  expect(receiver.requests.length).toBeGreaterThan(beforeKill);

  const first = auditStream.deliveredSequence + 1;
  const bySequence = new Map(events.map((event) => [event.sequence, event]));
  for (let sequence = first; sequence <= last; sequence++) {
    expect(bySequence.get(sequence)).toBeDefined();
    if (sequence > first) expect(bySequence.get(sequence)!.previousHash).toBe(bySequence.get(sequence - 1)!.hash);
  }
  const sequences = events.map((event) => event.sequence);
  expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  // At-least-once: the request in flight at the kill was never recorded as delivered, so it came again.
  const duplicates = sequences.length - bySequence.size;
  expect(duplicates).toBeGreaterThanOrEqual(1);
}, 40_000);
