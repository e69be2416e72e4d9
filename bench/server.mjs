// Starts a production build of Gatehouse for a benchmark: DATABASE_URL when set, otherwise an
// embedded PostgreSQL in a throw-away folder under bench/tmp.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../scripts/free-port.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The server's own dependencies and build, for benches that write through its code paths.
export const require = createRequire(path.join(root, 'server', 'package.json'));
const { Client } = require('pg');
export const dist = (file) => require(path.join(root, 'server', 'dist', file));

/** A PostgreSQL server for a bench's own database: BENCH_DATABASE_URL's or DATABASE_URL's, else an embedded one. */
export async function databaseServer() {
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  if (serverUrl) return { url: serverUrl, stop: async () => {} };
  const dataDir = path.join(root, 'bench', 'tmp', `audit-pg-${process.pid}`);
  const embedded = await dist('db/embedded-postgres.js').startEmbeddedPostgres(dataDir, await freePort());
  return {
    url: embedded.url,
    stop: async () => {
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function query(url, sql, params) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function startServer(env = {}) {
  const port = await freePort();
  const dataDir = path.join(root, 'bench', 'tmp', `data-${process.pid}`);
  const child = spawn(process.execPath, [path.join(root, 'server', 'dist', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('server did not become ready');
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    async stop() {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function graphql(url, query, variables, headers = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return { data: body.data, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? null };
}

export function writeResults(name, results) {
  const dir = path.join(root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return path.relative(root, file);
}

export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** p50 and p95 of `samples` sequential runs of `run`, in milliseconds. */
export async function latencies(run, samples) {
  const times = [];
  for (let i = 0; i < samples; i += 1) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: +percentile(times, 50).toFixed(2), p95Ms: +percentile(times, 95).toFixed(2), samples };
}

/** A fresh database for one bench run on `databaseServer()`, dropped afterwards. */
export async function withBenchDatabase(label, use) {
  const pg = await databaseServer();
  const name = `gatehouse_bench_${label}_${process.pid}`;
  await query(pg.url, `CREATE DATABASE ${name}`);
  try {
    return await use(Object.assign(new URL(pg.url), { pathname: `/${name}` }).toString());
  } finally {
    await query(pg.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await pg.stop();
  }
}
