// API throughput as ratios within one run (issue 13). Started side by side: a bare Apollo Server 5
// on Express 5 with one trivial resolver (bench/bare-apollo.mjs) and two production builds of
// Gatehouse on one database. Every load is 32 connections (the mutations: 16 writers over 8
// organizations), all scenarios interleaved over ROUNDS rounds, median. Then, across the two
// instances, how long a revoked key or an ended session stays usable on the other one.
// Each ratio has a target; the run fails (exit code 1) when one is missed. The machine is shared,
// so absolute numbers are noisy: only the ratios within one run are compared.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { graphql, percentile, query, root, startServer, withBenchDatabase, writeResults } from './server.mjs';

const CONNECTIONS = 32;
const WRITER_ORGANIZATIONS = 8;
const WRITERS_PER_ORGANIZATION = 2;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROPAGATION_SAMPLES = Number(process.env.BENCH_PROPAGATION_SAMPLES ?? 40);
const MEMBERS = 60;
const PASSWORD = 'Bench-Password-2026!';

const VIEWER = '{ viewer { user { id } permissions } }';
const API_KEYS = '{ apiKeys { id name maskedKey status } }';
const MEMBERS_PAGE = `{ members(first: 50) { nodes { id email role { id name } groups { id name }
  workspaces { workspace { id name } role { id name } } } } }`;
const RENAME = 'mutation($id: ID!, $input: UpdateApiKeyInput!) { updateApiKey(id: $id, input: $input) { id name } }';

/** Each target: the measured ratio (numerator over denominator throughput) must be at least `min`. */
const RATIOS = [
  { name: 'typename / bare Apollo', of: 'typename', over: 'bareApollo', min: 0.9 },
  { name: 'typename with key / typename', of: 'typenameWithKey', over: 'typename', min: 0.9 },
  { name: 'viewer with key / typename', of: 'viewerWithKey', over: 'typename', min: 0.5 },
  { name: 'apiKeys with session / typename', of: 'apiKeysWithSession', over: 'typename', min: 0.5 },
  { name: 'members(first: 50) with session / typename', of: 'membersWithSession', over: 'typename', min: 0.5 },
  { name: 'audited renames / chain off', of: 'renamesAudited', over: 'renamesChainOff', min: 0.8 },
];
const PROPAGATION_TARGET_P99_MS = 100;

function load(url, { body, headers = {}, connections = CONNECTIONS, setupRequest }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/graphql`,
        method: 'POST',
        connections,
        duration: SECONDS,
        headers: { 'content-type': 'application/json', ...headers },
        body: body && JSON.stringify({ query: body }),
        requests: setupRequest ? [{ setupRequest }] : undefined,
      },
      (error, result) => {
        if (error) return reject(error);
        if (result.non2xx || result.errors) {
          return reject(
            new Error(`${result.non2xx} non-2xx responses, ${result.errors} errors for ${body ?? 'mutation'}`),
          );
        }
        resolve({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
      },
    );
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function summarise(samples) {
  return {
    rps: Math.round(median(samples.map((s) => s.rps))),
    p50Ms: median(samples.map((s) => s.p50)),
    p99Ms: median(samples.map((s) => s.p99)),
    samples,
  };
}

function startBareApollo() {
  const child = spawn(process.execPath, [path.join(root, 'bench', 'bare-apollo.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare Apollo exited with ${code}`)));
    child.stdout.once('data', (chunk) =>
      resolve({
        url: chunk.toString().trim(),
        stop: () => new Promise((done) => child.once('exit', done).kill('SIGTERM')),
      }),
    );
  });
}

async function signUp(url, label) {
  const { data, cookie } = await graphql(
    url,
    'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } organization { id } } }',
    {
      input: {
        email: `bench-${label}-${process.pid}@example.test`,
        password: PASSWORD,
        firstName: 'Bench',
        lastName: label,
        organizationName: `Bench ${label}`,
      },
    },
  );
  return {
    email: `bench-${label}-${process.pid}@example.test`,
    cookie,
    userId: data.signUp.user.id,
    organizationId: data.signUp.organization.id,
  };
}

async function createKey(url, cookie, name) {
  const { data } = await graphql(
    url,
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
    // A limit no run reaches, so every key request also goes through the rate limiter.
    { input: { name, rateLimit: { requests: 1_000_000_000, windowSeconds: 3600 } } },
    { cookie },
  );
  return { id: data.createApiKey.apiKey.id, bearer: { authorization: `Bearer ${data.createApiKey.secret}` } };
}

/** Members with a role, two groups and workspace roles (direct and through a group), written in SQL. */
async function seedMembers(databaseUrl, organizationId) {
  await query(
    databaseUrl,
    `WITH people AS (
       INSERT INTO users (email, first_name, last_name, password_hash)
       SELECT 'member-' || g || '-' || $2 || '@example.test', 'Member', 'No ' || g, NULL FROM generate_series(1, $3::int) g
       RETURNING id),
     groups AS (
       INSERT INTO groups (organization_id, name) SELECT $1, 'Group ' || g FROM generate_series(1, 3) g RETURNING id),
     workspaces AS (
       INSERT INTO workspaces (organization_id, name) SELECT $1, 'Workspace ' || g FROM generate_series(1, 3) g RETURNING id),
     members AS (
       INSERT INTO memberships (organization_id, user_id, role_id) SELECT $1, id, 'consumer' FROM people RETURNING user_id),
     in_groups AS (
       INSERT INTO group_members (group_id, user_id, organization_id)
       SELECT g.id, p.id, $1 FROM people p CROSS JOIN (SELECT id FROM groups LIMIT 2) g RETURNING group_id),
     direct AS (
       INSERT INTO workspace_members (workspace_id, organization_id, user_id, role_id)
       SELECT w.id, $1, p.id, 'viewer' FROM people p CROSS JOIN (SELECT id FROM workspaces LIMIT 1) w RETURNING id)
     INSERT INTO workspace_members (workspace_id, organization_id, group_id, role_id)
     SELECT w.id, $1, g.id, 'viewer' FROM (SELECT id FROM workspaces OFFSET 1) w CROSS JOIN (SELECT id FROM groups LIMIT 1) g`,
    [organizationId, process.pid, MEMBERS],
  );
}

const refused = async (url, headers) => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ mySessions { id } }' }),
  });
  const body = await response.json();
  return body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';
};

/**
 * From the moment `revoke` (on one instance) has committed until the other instance refuses the
 * credential, which it has used (and so cached) just before. `issue` makes one credential,
 * `cleanup` (optional) runs after each measurement.
 */
async function propagation(otherUrl, samples, { issue, revoke, cleanup }) {
  const times = [];
  for (let i = 0; i < samples; i += 1) {
    const credential = await issue(i);
    if (await refused(otherUrl, credential.headers)) throw new Error('credential refused before it was revoked');
    await revoke(credential);
    const committed = process.hrtime.bigint();
    while (!(await refused(otherUrl, credential.headers))) {
      if (Number(process.hrtime.bigint() - committed) > 10e9) throw new Error('still accepted 10 s after revocation');
    }
    times.push(Number(process.hrtime.bigint() - committed) / 1e6);
    await cleanup?.(credential);
  }
  times.sort((a, b) => a - b);
  return {
    p50Ms: +percentile(times, 50).toFixed(1),
    p99Ms: +percentile(times, 99).toFixed(1),
    maxMs: +times.at(-1).toFixed(1),
    samples: times.length,
  };
}

async function main(databaseUrl) {
  const env = { DATABASE_URL: databaseUrl, BCRYPT_COST: '4', AUDIT_RETENTION_INTERVAL_SECONDS: '0' };
  const stops = [];
  try {
    const bare = await startBareApollo();
    stops.push(bare.stop);
    const server = await startServer(env);
    stops.push(server.stop);
    // The second instance (same build, same database) serves the chain-off renames and the propagation checks.
    const unchained = await startServer({ ...env, BENCH_AUDIT_CHAIN: 'off' });
    stops.push(unchained.stop);

    const admin = await signUp(server.url, 'reader');
    await seedMembers(databaseUrl, admin.organizationId);
    const key = await createKey(server.url, admin.cookie, 'bench');
    const session = { cookie: admin.cookie };
    const writers = [];
    for (let i = 0; i < WRITER_ORGANIZATIONS; i += 1) {
      const writer = await signUp(server.url, `writer-${i}`);
      writers.push({ ...writer, keyId: (await createKey(server.url, writer.cookie, 'renamed')).id });
    }
    let renames = 0;
    /** 16 writers over 8 organizations, each renaming its organization's key. */
    const renameLoad = async (url) => {
      const results = await Promise.all(
        writers.map((writer) =>
          load(url, {
            headers: { cookie: writer.cookie },
            connections: WRITERS_PER_ORGANIZATION,
            setupRequest: (request) => {
              renames += 1;
              request.body = JSON.stringify({
                query: RENAME,
                variables: { id: writer.keyId, input: { name: `r-${renames}` } },
              });
              return request;
            },
          }),
        ),
      );
      return {
        rps: results.reduce((sum, r) => sum + r.rps, 0),
        p50: median(results.map((r) => r.p50)),
        p99: Math.max(...results.map((r) => r.p99)),
      };
    };

    const scenarios = {
      bareApollo: () => load(bare.url, { body: '{ __typename }' }),
      typename: () => load(server.url, { body: '{ __typename }' }),
      typenameWithKey: () => load(server.url, { body: '{ __typename }', headers: key.bearer }),
      viewerWithKey: () => load(server.url, { body: VIEWER, headers: key.bearer }),
      apiKeysWithSession: () => load(server.url, { body: API_KEYS, headers: session }),
      membersWithSession: () => load(server.url, { body: MEMBERS_PAGE, headers: session }),
      renamesAudited: () => renameLoad(server.url),
      renamesChainOff: () => renameLoad(unchained.url),
    };
    // Each query must answer without errors before it is loaded: autocannon only sees HTTP statuses.
    await graphql(server.url, VIEWER, {}, key.bearer);
    await graphql(server.url, API_KEYS, {}, session);
    const { data: page } = await graphql(server.url, MEMBERS_PAGE, {}, session);
    if (page.members.nodes.length !== 50) throw new Error(`members page has ${page.members.nodes.length} rows`);
    await graphql(
      unchained.url,
      RENAME,
      { id: writers[0].keyId, input: { name: 'warm' } },
      { cookie: writers[0].cookie },
    );
    const [{ events: eventsBefore }] = await query(
      databaseUrl,
      `SELECT count(*)::int AS events FROM audit_events WHERE action = 'apiKey.updated'`,
    );

    const samples = Object.fromEntries(Object.keys(scenarios).map((scenario) => [scenario, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [scenario, run] of Object.entries(scenarios)) {
        samples[scenario].push(await run());
        console.log(`  round ${round + 1} ${scenario}: ${Math.round(samples[scenario].at(-1).rps)} req/s`);
      }
    }
    const [{ events: eventsAfter }] = await query(
      databaseUrl,
      `SELECT count(*)::int AS events FROM audit_events WHERE action = 'apiKey.updated'`,
    );
    const measured = Object.fromEntries(Object.entries(samples).map(([scenario, s]) => [scenario, summarise(s)]));

    const keyRevocation = await propagation(unchained.url, PROPAGATION_SAMPLES, {
      issue: async (i) => {
        const revoked = await createKey(server.url, admin.cookie, `revoked-${i}`);
        return { ...revoked, headers: revoked.bearer };
      },
      revoke: ({ id }) => graphql(server.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id }, session),
      // Revoked keys still count against the owner's limit of keys.
      cleanup: ({ id }) => graphql(server.url, 'mutation($id: ID!) { deleteApiKey(id: $id) }', { id }, session),
    });
    const sessionEnd = await propagation(unchained.url, PROPAGATION_SAMPLES, {
      issue: async () => {
        const { cookie } = await graphql(
          server.url,
          'mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }',
          { input: { email: admin.email, password: PASSWORD } },
        );
        const { data } = await graphql(server.url, '{ mySessions { id current } }', {}, { cookie });
        return { id: data.mySessions.find((s) => s.current).id, headers: { cookie } };
      },
      revoke: ({ id }) => graphql(server.url, 'mutation($id: ID!) { endSession(id: $id) }', { id }, session),
    });

    const ratios = RATIOS.map(({ name: ratioName, of, over, min }) => {
      const value = +(measured[of].rps / measured[over].rps).toFixed(3);
      return { name: ratioName, value, target: `>= ${min}`, met: value >= min };
    });
    const propagationTargets = [
      { name: 'revoked key refused by the other instance, p99', valueMs: keyRevocation.p99Ms },
      { name: 'ended session refused by the other instance, p99', valueMs: sessionEnd.p99Ms },
    ].map((p) => ({ ...p, target: `<= ${PROPAGATION_TARGET_P99_MS} ms`, met: p.valueMs <= PROPAGATION_TARGET_P99_MS }));

    const results = {
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        loadAverage1m: +os.loadavg()[0].toFixed(2),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
      },
      settings: {
        connections: CONNECTIONS,
        writers: `${WRITER_ORGANIZATIONS * WRITERS_PER_ORGANIZATION} over ${WRITER_ORGANIZATIONS} organizations`,
        secondsPerSample: SECONDS,
        rounds: ROUNDS,
        propagationSamples: PROPAGATION_SAMPLES,
      },
      throughput: measured,
      renameEventsRecorded: eventsAfter - eventsBefore,
      propagation: { keyRevocation, sessionEnd },
      ratios,
      propagationTargets,
    };
    const file = writeResults('api', results);

    console.log(`\nThroughput (${CONNECTIONS} connections, median of ${ROUNDS} × ${SECONDS} s):`);
    for (const [scenario, m] of Object.entries(measured)) {
      console.log(`  ${scenario.padEnd(20)} ${String(m.rps).padStart(6)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms`);
    }
    console.log('Ratios:');
    for (const r of ratios)
      console.log(`  ${r.met ? 'ok  ' : 'MISS'} ${r.name.padEnd(44)} ${r.value} (target ${r.target})`);
    for (const p of propagationTargets) {
      console.log(`  ${p.met ? 'ok  ' : 'MISS'} ${p.name.padEnd(44)} ${p.valueMs} ms (target ${p.target})`);
    }
    console.log(`written to ${file}`);
    if ([...ratios, ...propagationTargets].some((r) => !r.met)) process.exitCode = 1;
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

withBenchDatabase('api', main).catch((error) => {
  console.error(error);
  process.exit(1);
});
