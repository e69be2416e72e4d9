// The members list of an organization with 100,000 people (BENCH_MEMBERS), generated with SQL,
// through GraphQL against a production build: a page of 50 at the start, in the middle and at
// the end (keyset cursors on (email, id)), and a free-text search (trigram index). Each page must
// answer in < 20 ms at p95; the run fails otherwise.
import { dist, graphql, latencies, query, require, startServer, withBenchDatabase, writeResults } from './server.mjs';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const TARGET_P95_MS = 20;
const PAGE = `query($after: String, $filter: MemberFilter) {
  members(first: 50, after: $after, filter: $filter) { nodes { id email status role { id name } } pageInfo { endCursor } }
}`;

async function main(databaseUrl) {
  const server = await startServer({ DATABASE_URL: databaseUrl, BCRYPT_COST: '4' });
  try {
    const { data, cookie } = await graphql(
      server.url,
      'mutation($input: SignUpInput!) { signUp(input: $input) { organization { id } } }',
      {
        input: {
          email: `bench-${process.pid}@example.test`,
          password: 'Bench-Password-2026!',
          firstName: 'Bench',
          lastName: 'Admin',
          organizationName: 'Bench',
        },
      },
    );
    const organizationId = data.signUp.organization.id;
    const start = Date.now();
    await query(
      databaseUrl,
      `WITH people AS (
         INSERT INTO users (email, first_name, last_name)
         SELECT 'person-' || md5(g::text) || '@example.test', 'Person', 'Number ' || g FROM generate_series(1, $2::int) g
         RETURNING id)
       INSERT INTO memberships (organization_id, user_id, role_id) SELECT $1, id, 'consumer' FROM people`,
      [organizationId, MEMBERS],
    );
    await query(databaseUrl, 'ANALYZE users; ANALYZE memberships');
    console.log(`generated ${MEMBERS.toLocaleString('en')} members in ${((Date.now() - start) / 1000).toFixed(0)} s`);

    require('reflect-metadata');
    const { encodeCursor } = dist('kernel/connection.js');
    const cursorAt = async (offset) => {
      const [row] = await query(
        databaseUrl,
        `SELECT u.email, u.id FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = $1 ORDER BY u.email, u.id OFFSET $2 LIMIT 1`,
        [organizationId, offset],
      );
      return encodeCursor([row.email, row.id]);
    };
    const page = (variables) => async () => {
      const result = await graphql(server.url, PAGE, variables, { cookie });
      if (!result.data.members.nodes.length) throw new Error(`empty page for ${JSON.stringify(variables)}`);
    };
    const pages = {
      first: await latencies(page({}), SAMPLES),
      middle: await latencies(page({ after: await cursorAt(Math.floor(MEMBERS / 2)) }), SAMPLES),
      end: await latencies(page({ after: await cursorAt(MEMBERS - 60) }), SAMPLES),
      searchOne: await latencies(page({ filter: { search: 'number 4242' } }), SAMPLES),
      searchMany: await latencies(page({ filter: { search: 'person-ab' } }), SAMPLES),
    };
    const checks = Object.entries(pages).map(([page, result]) => ({
      page,
      ...result,
      target: `p95 < ${TARGET_P95_MS} ms`,
      met: result.p95Ms < TARGET_P95_MS,
    }));
    for (const c of checks)
      console.log(
        `  ${c.met ? 'ok  ' : 'MISS'} ${c.page.padEnd(11)} p50 ${c.p50Ms} ms, p95 ${c.p95Ms} ms (target ${c.target})`,
      );
    console.log(
      `results: ${writeResults('members', { measuredAt: new Date().toISOString(), members: MEMBERS, checks })}`,
    );
    if (checks.some((c) => !c.met)) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

withBenchDatabase('members', main).catch((error) => {
  console.error(error);
  process.exit(1);
});
