// Audit streams end to end: 8 writers, one per organization, append STREAM_BENCH_EVENTS events
// in all (default 100,000) through the server's own record path (SQL transactions with the hash
// chain, as bench/audit-log.mjs appends; GraphQL mutations would measure the API, not the
// stream), while a production build delivers each organization's BATCH stream to a receiver on
// a loopback port. The receiver checks every request's Standard Webhooks signature and, per
// organization, that sequences run without a gap and each previousHash is the hash before it;
// redelivered events are counted, not failed. Reports throughput and the lag from an event's
// occurredAt to its receipt (p50/p95). The database is a fresh one, dropped at the end.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { databaseServer, dist, graphql, query, require, startServer, writeResults } from './server.mjs';

const { Webhook } = require('standardwebhooks');
const TOTAL = Number(process.env.STREAM_BENCH_EVENTS ?? 100_000);
const WRITERS = 8;
const BATCH = 1000;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Per organization: every sequence received (with its hash), duplicates and lags. */
function startReceiver(secrets) {
  const chains = new Map();
  const stats = { requests: 0, events: 0, duplicates: 0, badSignatures: 0, lagsMs: [], lastReceiptAt: 0 };
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      const receivedAt = Date.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const organizationId = request.url.slice(1);
      // The stream's first delivery can arrive before createAuditStream has answered with its secret.
      while (!secrets.has(organizationId)) await new Promise((resolve) => setTimeout(resolve, 10));
      try {
        new Webhook(secrets.get(organizationId)).verify(body, request.headers, { jsonParse: false });
      } catch {
        stats.badSignatures += 1;
        return response.writeHead(400).end();
      }
      stats.requests += 1;
      const chain = chains.get(organizationId) ?? new Map();
      chains.set(organizationId, chain);
      for (const line of body.trim().split('\n')) {
        const { data } = JSON.parse(line);
        stats.events += 1;
        if (chain.has(data.sequence)) {
          stats.duplicates += 1;
          continue;
        }
        chain.set(data.sequence, { hash: data.hash, previousHash: data.previousHash });
        stats.lagsMs.push(receivedAt - new Date(data.occurredAt).getTime());
      }
      stats.lastReceiptAt = receivedAt;
      response.writeHead(200).end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, chains, stats, url: `http://127.0.0.1:${server.address().port}` }),
    ),
  );
}

/** The receiver's verdict for one organization: sequences from..to all there, each linked to the one before. */
function verifyChain(chain, from, to) {
  let missing = 0;
  let broken = 0;
  for (let sequence = from; sequence <= to; sequence += 1) {
    const event = chain?.get(sequence);
    if (!event) missing += 1;
    else if (sequence > from && chain.get(sequence - 1) && event.previousHash !== chain.get(sequence - 1).hash)
      broken += 1;
  }
  return { missing, broken };
}

async function main() {
  const pg = await databaseServer();
  const name = `gatehouse_bench_streams_${process.pid}`;
  await query(pg.url, `CREATE DATABASE ${name}`);
  const databaseUrl = Object.assign(new URL(pg.url), { pathname: `/${name}` }).toString();
  // The writers here hash the chain with the server's key, so the server would verify what they append.
  const chainKey = randomBytes(32).toString('base64');
  const secrets = new Map();
  const receiver = await startReceiver(secrets);
  const server = await startServer({
    DATABASE_URL: databaseUrl,
    BCRYPT_COST: '4',
    ALLOW_PRIVATE_NETWORK: 'true',
    JOBS: 'true',
    AUDIT_CHAIN_KEY: chainKey,
  });
  const { createDataSource } = dist('db/data-source.js');
  const dataSource = createDataSource(databaseUrl);
  try {
    const organizations = [];
    for (let i = 0; i < WRITERS; i += 1) {
      const { data, cookie } = await graphql(
        server.url,
        'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } organization { id } } }',
        {
          input: {
            email: `bench-streams-${process.pid}-${i}@example.test`,
            password: 'Bench-Password-2026!',
            firstName: 'Bench',
            lastName: `Writer ${i}`,
            organizationName: `Streams ${i}`,
          },
        },
      );
      const organizationId = data.signUp.organization.id;
      const created = await graphql(
        server.url,
        `
          mutation ($input: CreateAuditStreamInput!) {
            createAuditStream(input: $input) {
              secret
              auditStream {
                deliveredSequence
              }
            }
          }
        `,
        { input: { name: 'SIEM', kind: 'BATCH', batchSize: BATCH, url: `${receiver.url}/${organizationId}` } },
        { cookie },
      );
      secrets.set(organizationId, created.data.createAuditStream.secret);
      const from = created.data.createAuditStream.auditStream.deliveredSequence + 1;
      organizations.push({ organizationId, userId: data.signUp.user.id, from });
    }

    await dataSource.initialize();
    const { record } = dist('audit-log/audit-log.service.js');
    const config = { ...dist('kernel/config.js').loadConfig(), auditChainKey: chainKey };
    const context = { auth: null, config, ip: '127.0.0.1', userAgent: 'bench', requestId: 'bench' };
    const perWriter = Math.ceil(TOTAL / WRITERS);
    const start = Date.now();
    await Promise.all(
      organizations.map(async ({ organizationId, userId }) => {
        for (let i = 0; i < perWriter; i += 1) {
          await dataSource.transaction((tx) =>
            record(context, tx, {
              organizationId,
              category: 'USER_ACTIONS',
              action: 'bench.streamed',
              actor: { type: 'USER', id: userId, name: 'Bench' },
            }),
          );
        }
      }),
    );
    const writtenAt = Date.now();
    console.log(`wrote ${(perWriter * WRITERS).toLocaleString('en')} events in ${(writtenAt - start) / 1000} s`);

    const heads = new Map(
      (await query(databaseUrl, 'SELECT chain_id, last_sequence FROM audit_chain_heads')).map((row) => [
        row.chain_id,
        Number(row.last_sequence),
      ]),
    );
    const delivered = () =>
      organizations.every(({ organizationId }) => receiver.chains.get(organizationId)?.has(heads.get(organizationId)));
    const deadline = Date.now() + 30 * 60_000;
    while (!delivered()) {
      if (Date.now() > deadline) throw new Error('not everything was delivered within 30 minutes');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const { stats } = receiver;
    const verdicts = organizations.map(({ organizationId, from }) =>
      verifyChain(receiver.chains.get(organizationId), from, heads.get(organizationId)),
    );
    const unique = stats.events - stats.duplicates;
    const seconds = (stats.lastReceiptAt - start) / 1000;
    const lags = [...stats.lagsMs].sort((a, b) => a - b);
    const results = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, note: 'loaded by other work during the run' },
      settings: { events: perWriter * WRITERS, writers: WRITERS, streamKind: 'BATCH', batchSize: BATCH },
      writeSeconds: (writtenAt - start) / 1000,
      deliverySeconds: seconds,
      eventsPerSecond: Math.round(unique / seconds),
      requests: stats.requests,
      uniqueEventsReceived: unique,
      duplicates: stats.duplicates,
      badSignatures: stats.badSignatures,
      missing: verdicts.reduce((sum, v) => sum + v.missing, 0),
      brokenLinks: verdicts.reduce((sum, v) => sum + v.broken, 0),
      lagMs: { p50: percentile(lags, 50), p95: percentile(lags, 95), max: lags[lags.length - 1] },
    };
    console.log(
      `delivered ${unique.toLocaleString('en')} events in ${seconds} s (${results.eventsPerSecond}/s, ${stats.requests} requests); ` +
        `lag p50 ${results.lagMs.p50} ms, p95 ${results.lagMs.p95} ms; missing ${results.missing}, ` +
        `broken links ${results.brokenLinks}, duplicates ${stats.duplicates}, bad signatures ${stats.badSignatures}`,
    );
    console.log(`results: ${writeResults('audit-streams', results)}`);
    if (results.missing || results.brokenLinks || results.badSignatures) process.exitCode = 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await server.stop();
    receiver.server.close();
    await query(pg.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await pg.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
