// Audit log at ten million events: 100 organizations (one with 2 million) generated with SQL,
// then, through GraphQL against a production build, the latency of the first page, of a page
// 100,000 events deep reached by cursor and of filtered pages in the big organization; append
// throughput of the hash chain itself (transactions appending in 8 organizations in parallel, two
// writers each); and one retention pass.
// BENCH_AUDIT_EVENTS scales the total (default 10,000,000). The database is a fresh one on
// BENCH_DATABASE_URL's server (or DATABASE_URL's), else on an embedded PostgreSQL; it is dropped
// at the end.
import { randomBytes } from 'node:crypto';
import { databaseServer, dist, graphql, query, startServer, writeResults } from './server.mjs';

const TOTAL = Number(process.env.BENCH_AUDIT_EVENTS ?? 10_000_000);
const ORGANIZATIONS = 100;
const BIG = Math.round(TOTAL / 5);
const PER_OTHER = Math.floor((TOTAL - BIG) / (ORGANIZATIONS - 1));
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const DEEP = Math.min(100_000, BIG - 100);
const APPEND_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ACTIONS = [
  'user.signedIn',
  'user.profileUpdated',
  'apiKey.created',
  'apiKey.revoked',
  'group.created',
  'member.updated',
  'workspace.roleSet',
  'settings.updated',
  'role.updated',
  'invitation.created',
];
const PAGE = `query($after: String, $filter: AuditEventFilter) {
  auditEvents(first: 50, after: $after, filter: $filter) { nodes { id sequence action } pageInfo { endCursor hasNextPage } }
}`;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function latency(url, cookie, variables) {
  const times = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const start = process.hrtime.bigint();
    const { data } = await graphql(url, PAGE, variables, { cookie });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (data.auditEvents.nodes.length === 0) throw new Error(`empty page for ${JSON.stringify(variables)}`);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: +percentile(times, 50).toFixed(2), p95Ms: +percentile(times, 95).toFixed(2), samples: SAMPLES };
}

/** One organization's events: occurred_at spread over the last year in sequence order. */
async function generate(url, organizationId, actorIds, count) {
  await query(
    url,
    `INSERT INTO audit_events (organization_id, sequence, occurred_at, category, action, outcome, actor_type, actor_id,
       actor_name, target_type, target_id, target_name, ip, request_id, previous_hash, hash)
     SELECT $1, g, now() - interval '365 days' + (g * (interval '365 days' / $2)),
            (ARRAY['USER_ACTIONS','SETTING_UPDATES','SYSTEM_CONFIGURATION'])[1 + g % 3],
            ($3::text[])[1 + g % cardinality($3::text[])],
            CASE WHEN g % 50 = 0 THEN 'FAILURE' ELSE 'SUCCESS' END,
            'USER', ($4::uuid[])[1 + g % cardinality($4::uuid[])], 'Bench actor ' || (g % cardinality($4::uuid[])),
            'group', 'target-' || (g % 5000), 'Target ' || (g % 5000), '10.0.' || (g % 250) || '.1', md5(g::text),
            md5((g - 1)::text) || md5((g - 1)::text), md5(g::text) || md5(g::text)
       FROM generate_series(1, $2::int) AS g`,
    [organizationId, count, ACTIONS, actorIds],
  );
  await query(
    url,
    `INSERT INTO audit_chain_heads (chain_id, last_sequence, last_hash) VALUES ($1, $2::bigint, md5($2::text) || md5($2::text))
     ON CONFLICT (chain_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence, last_hash = EXCLUDED.last_hash`,
    [organizationId, String(count)],
  );
}

async function main() {
  const pg = await databaseServer();
  const name = `gatehouse_bench_audit_${process.pid}`;
  await query(pg.url, `CREATE DATABASE ${name}`);
  const databaseUrl = Object.assign(new URL(pg.url), { pathname: `/${name}` }).toString();
  // The appenders and the retention pass below key the chain as the server does.
  const chainKey = randomBytes(32).toString('base64');
  const server = await startServer({
    DATABASE_URL: databaseUrl,
    BCRYPT_COST: '4',
    // The bench runs the retention pass itself: no background jobs (the hourly one included).
    JOBS: 'false',
    AUDIT_CHAIN_KEY: chainKey,
  });
  try {
    const admins = [];
    for (let i = 0; i < ORGANIZATIONS; i += 1) {
      const { data, cookie } = await graphql(
        server.url,
        'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } organization { id } } }',
        {
          input: {
            email: `bench-${process.pid}-${i}@example.test`,
            password: 'Bench-Password-2026!',
            firstName: 'Bench',
            lastName: `Admin ${i}`,
            organizationName: `Bench ${i}`,
          },
        },
      );
      admins.push({ cookie, userId: data.signUp.user.id, organizationId: data.signUp.organization.id });
    }
    // Generated events replace the sign-up events; their hashes are placeholders, not a chain.
    await query(databaseUrl, 'DELETE FROM audit_events');
    const actors = Array.from({ length: 50 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const generationStart = Date.now();
    await generate(databaseUrl, admins[0].organizationId, [admins[0].userId, ...actors], BIG);
    for (const admin of admins.slice(1)) await generate(databaseUrl, admin.organizationId, actors, PER_OTHER);
    await query(databaseUrl, 'ANALYZE audit_events');
    const generationSeconds = (Date.now() - generationStart) / 1000;
    const [{ events }] = await query(databaseUrl, 'SELECT count(*)::int AS events FROM audit_events');
    console.log(`generated ${events.toLocaleString('en')} events in ${generationSeconds.toFixed(0)} s`);

    const big = admins[0];
    let deepCursor = null;
    for (let walked = 0; walked < DEEP; walked += 100) {
      const { data } = await graphql(
        server.url,
        'query($after: String) { auditEvents(first: 100, after: $after) { pageInfo { endCursor } } }',
        { after: deepCursor },
        { cookie: big.cookie },
      );
      deepCursor = data.auditEvents.pageInfo.endCursor;
    }
    const thirtyDaysAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const pages = {
      first: await latency(server.url, big.cookie, {}),
      deep100k: await latency(server.url, big.cookie, { after: deepCursor }),
      categoryLast30Days: await latency(server.url, big.cookie, {
        filter: { categories: ['SYSTEM_CONFIGURATION'], from: thirtyDaysAgo },
      }),
      actor: await latency(server.url, big.cookie, { filter: { actorId: actors[7] } }),
      action: await latency(server.url, big.cookie, { filter: { actions: ['apiKey.revoked'] } }),
    };
    for (const [page, result] of Object.entries(pages))
      console.log(`${page}: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms`);

    const { createDataSource } = dist('db/data-source.js');
    const dataSource = createDataSource(databaseUrl);
    await dataSource.initialize();
    const { record } = dist('audit-log/audit-log.service.js');
    const config = { ...dist('kernel/config.js').loadConfig(), auditChainKey: chainKey };
    const context = { auth: null, config, ip: '127.0.0.1', userAgent: 'bench', requestId: 'bench' };
    let appended = 0;
    const end = Date.now() + APPEND_SECONDS * 1000;
    await Promise.all(
      admins.slice(1, 9).flatMap((admin) =>
        Array.from({ length: 2 }, async () => {
          while (Date.now() < end) {
            await dataSource.transaction((tx) =>
              record(context, tx, {
                organizationId: admin.organizationId,
                category: 'USER_ACTIONS',
                action: 'bench.appended',
                actor: { type: 'USER', id: admin.userId, name: 'Bench' },
              }),
            );
            appended += 1;
          }
        }),
      ),
    );
    const appendPerSecond = Math.round(appended / APPEND_SECONDS);
    console.log(`append: ${appendPerSecond} events/s with 8 organizations in parallel`);

    await query(databaseUrl, 'UPDATE organizations SET audit_retention_days = 180 WHERE id = $1', [big.organizationId]);
    const retentionStart = Date.now();
    const removed = await dist('audit-log/audit-retention.js').applyAuditRetention(dataSource, config);
    const retentionSeconds = (Date.now() - retentionStart) / 1000;
    await dataSource.destroy();
    console.log(`retention: removed ${removed.toLocaleString('en')} events in ${retentionSeconds.toFixed(1)} s`);

    const results = {
      measuredAt: new Date().toISOString(),
      events,
      organizations: ORGANIZATIONS,
      bigOrganizationEvents: BIG,
      generationSeconds,
      pages,
      deepOverFirstP50: +(pages.deep100k.p50Ms / pages.first.p50Ms).toFixed(2),
      appendEventsPerSecond: appendPerSecond,
      retention: { removed, seconds: retentionSeconds },
    };
    console.log(`deep/first p50 ratio: ${results.deepOverFirstP50}`);
    console.log(`results: ${writeResults('audit-log', results)}`);
  } finally {
    await server.stop();
    await query(pg.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await pg.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
