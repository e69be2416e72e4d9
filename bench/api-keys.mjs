// API-key authentication overhead, measured as ratios within one run against a production
// build: (a) unauthenticated { __typename }, (b) the same with an API key, (c) a viewer query
// with the key, each at 32 connections, interleaved over several rounds; then (a) again while
// 10 sign-ins per second (bcrypt cost 12) run beside it.
import os from 'node:os';
import autocannon from 'autocannon';
import { graphql, startServer, writeResults } from './server.mjs';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PASSWORD = 'Bench-Password-2026!';

function load(url, body, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/graphql`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: body }),
      },
      (error, result) => {
        if (error) return reject(error);
        if (result.non2xx || result.errors) {
          return reject(new Error(`${result.non2xx} non-2xx responses, ${result.errors} errors for ${body}`));
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

/** Sign-ins at a steady rate for the duration, counting how many completed. */
async function signInsAtRate(url, email, perSecond, seconds) {
  let completed = 0;
  const running = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    running.push(
      graphql(url, 'mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }', {
        input: { email, password: PASSWORD },
      }).then(() => {
        completed += 1;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
  }
  await Promise.all(running);
  return completed;
}

async function main() {
  const server = await startServer({ BCRYPT_COST: '12', SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '1000000' });
  try {
    const email = `bench-${Date.now()}@example.test`;
    const signedUp = await graphql(
      server.url,
      'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
      { input: { email, password: PASSWORD, firstName: 'Bench', lastName: 'Mark', organizationName: 'Bench' } },
    );
    const { data } = await graphql(
      server.url,
      // A limit no run reaches, so every request goes through the rate limiter as well.
      'mutation { createApiKey(input: { name: "bench", rateLimit: { requests: 1000000000, windowSeconds: 3600 } }) { secret } }',
      {},
      { cookie: signedUp.cookie },
    );
    const bearer = { authorization: `Bearer ${data.createApiKey.secret}` };
    const scenarios = {
      a: () => load(server.url, '{ __typename }'),
      b: () => load(server.url, '{ __typename }', bearer),
      c: () => load(server.url, '{ viewer { user { id } permissions } }', bearer),
    };
    await load(server.url, '{ __typename }', bearer);
    const samples = { a: [], b: [], c: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const name of Object.keys(scenarios)) samples[name].push(await scenarios[name]());
    }
    const [underSignIns, signIns] = await Promise.all([
      load(server.url, '{ __typename }'),
      signInsAtRate(server.url, email, 10, SECONDS),
    ]);
    const a = summarise(samples.a);
    const b = summarise(samples.b);
    const c = summarise(samples.c);
    const results = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      settings: { connections: CONNECTIONS, secondsPerSample: SECONDS, rounds: ROUNDS },
      unauthenticatedTypename: a,
      apiKeyTypename: b,
      apiKeyViewer: c,
      ratios: { bOverA: +(b.rps / a.rps).toFixed(3), cOverA: +(c.rps / a.rps).toFixed(3) },
      duringSignIns: {
        typenameRps: Math.round(underSignIns.rps),
        p99Ms: underSignIns.p99,
        signInsCompleted: signIns,
        ratioToIdle: +(underSignIns.rps / a.rps).toFixed(3),
      },
      target: 'b/a >= 0.8',
    };
    const file = writeResults('api-keys', results);
    console.log(`API-key authentication (${CONNECTIONS} connections, median of ${ROUNDS} × ${SECONDS} s):`);
    console.log(`  (a) unauthenticated { __typename }: ${a.rps} req/s, p50 ${a.p50Ms} ms, p99 ${a.p99Ms} ms`);
    console.log(`  (b) same with API key:              ${b.rps} req/s, p50 ${b.p50Ms} ms, p99 ${b.p99Ms} ms`);
    console.log(`  (c) viewer with API key:            ${c.rps} req/s, p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms`);
    console.log(`  b/a = ${results.ratios.bOverA} (target >= 0.8), c/a = ${results.ratios.cOverA}`);
    console.log(
      `  (a) during 10 sign-ins/s: ${results.duringSignIns.typenameRps} req/s (${results.duringSignIns.ratioToIdle} of idle), ${signIns} sign-ins completed`,
    );
    console.log(`  written to ${file}`);
    if (results.ratios.bOverA < 0.8) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

await main();
