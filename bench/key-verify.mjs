// POST /api/keys/verify: how fast another service can check a key, answered from the key cache.
// A service account key (role Admin, so keys:verify) verifies a member's key with a rate limit
// and an IP allowlist at 32 connections; p50/p99 latency and throughput, median of the rounds.
import os from 'node:os';
import autocannon from 'autocannon';
import { graphql, startServer, writeResults } from './server.mjs';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function load(url, headers, body) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: `${url}/api/keys/verify`, method: 'POST', connections: CONNECTIONS, duration: SECONDS, headers, body },
      (error, result) => {
        if (error) return reject(error);
        if (result.non2xx || result.errors) {
          return reject(new Error(`${result.non2xx} non-2xx responses, ${result.errors} errors`));
        }
        resolve({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
      },
    );
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const server = await startServer();
  try {
    const signedUp = await graphql(
      server.url,
      'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
      {
        input: {
          email: `verify-bench-${Date.now()}@example.test`,
          password: 'Bench-Password-2026!',
          firstName: 'Bench',
          lastName: 'Mark',
          organizationName: 'Bench',
        },
      },
    );
    const asAdmin = { cookie: signedUp.cookie };
    const { data: account } = await graphql(
      server.url,
      'mutation { createServiceAccount(input: { name: "verifier", roleId: "admin" }) { secret } }',
      {},
      asAdmin,
    );
    const { data: member } = await graphql(
      server.url,
      `
        mutation {
          createApiKey(
            input: {
              name: "verified"
              allowedIps: ["10.0.0.0/8"]
              rateLimit: { requests: 1000000000, windowSeconds: 3600 }
            }
          ) {
            secret
          }
        }
      `,
      {},
      asAdmin,
    );
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${account.createServiceAccount.secret}`,
    };
    const body = JSON.stringify({ key: member.createApiKey.secret, permission: 'members:read', ip: '10.1.2.3' });
    const check = await fetch(`${server.url}/api/keys/verify`, { method: 'POST', headers, body }).then((r) => r.json());
    if (check.code !== 'VALID') throw new Error(`verification answered ${JSON.stringify(check)}`);
    const samples = [];
    for (let round = 0; round < ROUNDS; round += 1) samples.push(await load(server.url, headers, body));
    const results = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      settings: { connections: CONNECTIONS, secondsPerSample: SECONDS, rounds: ROUNDS },
      rps: Math.round(median(samples.map((s) => s.rps))),
      p50Ms: median(samples.map((s) => s.p50)),
      p99Ms: median(samples.map((s) => s.p99)),
      samples,
    };
    const file = writeResults('key-verify', results);
    console.log(`POST /api/keys/verify (${CONNECTIONS} connections, median of ${ROUNDS} × ${SECONDS} s):`);
    console.log(`  ${results.rps} req/s, p50 ${results.p50Ms} ms, p99 ${results.p99Ms} ms`);
    console.log(`  written to ${file}`);
  } finally {
    await server.stop();
  }
}

await main();
