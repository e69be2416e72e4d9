import {
  STRONG_PASSWORD,
  TestApp,
  errorCode,
  signUp,
  startServerProcess,
  startTestApp,
  uniqueEmail,
} from '../test/harness';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('operational endpoints', () => {
  it('reports liveness and readiness', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('exposes Prometheus metrics with counts and latencies by operation', async () => {
    await app.client().ok('query MetricsProbe { viewer { user { id } } }');
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/gatehouse_graphql_operations_total\{operation="viewer",outcome="success"\} [1-9]/);
    expect(text).toMatch(/gatehouse_graphql_operation_duration_seconds_count\{operation="viewer"\} [1-9]/);
  });

  it('echoes a request id, or makes one', async () => {
    const given = await app.client().post({ query: '{ __typename }' }, { 'x-request-id': 'trace-123' });
    expect(given.headers.get('x-request-id')).toBe('trace-123');
    const made = await app.client().post({ query: '{ __typename }' }, { 'x-request-id': 'bad id with spaces' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GraphQL protections', () => {
  it('refuses batched requests', async () => {
    const result = await app.client().post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(result.status).toBe(400);
  });

  it('refuses a request a browser could send cross-site without a preflight (CSRF)', async () => {
    const response = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  // Today's schema is shallow, so the limits are lowered to show they are enforced.
  it('refuses queries nested deeper than the limit, and too many aliases', async () => {
    const strict = await startTestApp({ graphqlMaxDepth: 2, graphqlMaxAliases: 3 });
    try {
      expect((await strict.client().request('{ viewer { permissions } }')).errors).toBeUndefined();
      const deep = await strict.client().request('{ viewer { user { id } } }');
      expect(errorCode(deep)).toBe('BAD_USER_INPUT');
      expect(deep.errors![0].message).toMatch(/depth/i);
      const aliases = Array.from({ length: 4 }, (_, i) => `a${i}: viewer { permissions }`).join(' ');
      const aliased = await strict.client().request(`{ ${aliases} }`);
      expect(errorCode(aliased)).toBe('BAD_USER_INPUT');
      expect(aliased.errors![0].message).toMatch(/alias/i);
    } finally {
      await strict.close();
    }
  });

  it('answers malformed queries with BAD_USER_INPUT and no internals', async () => {
    const result = await app.client().request('{ viewer { ');
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result)).not.toMatch(/stacktrace|at .*\.js/);
  });

  it('answers a body that is not JSON, or too large, with a code and no stack trace', async () => {
    for (const body of ['{"query": ', `{"query": "${'x'.repeat(200_000)}"}`]) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const text = await response.text();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(text).not.toMatch(/at .*\.js:\d+|node_modules/);
    }
  });

  it('hides the schema from clients in production', async () => {
    const production = await startTestApp({ production: true });
    try {
      const introspection = await production.client().request('{ __schema { types { name } } }');
      expect(errorCode(introspection)).toBe('BAD_USER_INPUT');
      const typo = await production.client().request('{ viewr { user { id } } }');
      expect(typo.errors![0].message).not.toMatch(/Did you mean/);
      const dev = await app.client().request('{ viewr { user { id } } }');
      expect(dev.errors![0].message).toMatch(/Did you mean "viewer"/);
    } finally {
      await production.close();
    }
  });
});

describe('error masking', () => {
  it('hides unexpected failures behind INTERNAL_SERVER_ERROR without detail', async () => {
    const { client, userId } = await signUp(app);
    // A broken row is the only way to make the server fail unexpectedly from outside.
    await app.db.query(`ALTER TABLE users ADD COLUMN IF NOT EXISTS masking_probe int`);
    await app.db.query(`CREATE OR REPLACE FUNCTION masking_probe_fail() RETURNS trigger AS $$
      BEGIN IF NEW.id = '${userId}' THEN RAISE EXCEPTION 'secret internal detail'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await app.db.query(
      `CREATE TRIGGER masking_probe BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION masking_probe_fail()`,
    );
    try {
      const result = await client.request(`mutation { updateProfile(input: { firstName: "Boom" }) { id } }`);
      expect(errorCode(result)).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(result)).not.toMatch(/secret internal detail|UPDATE|stacktrace/);
    } finally {
      await app.db.query(`DROP TRIGGER masking_probe ON users`);
      await app.db.query(`DROP FUNCTION masking_probe_fail`);
      await app.db.query(`ALTER TABLE users DROP COLUMN masking_probe`);
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests after SIGTERM, then exits cleanly', async () => {
    const server = await startServerProcess({ BCRYPT_COST: '12' });
    const slowSignUp = server
      .client()
      .request(`mutation($input: SignUpInput!) { signUp(input: $input) { user { email } } }`, {
        input: {
          email: uniqueEmail('shutdown'),
          password: STRONG_PASSWORD,
          firstName: 'In',
          lastName: 'Flight',
          organizationName: 'Draining',
        },
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const exitCode = server.stop();
    const result = await slowSignUp;
    expect(result.errors).toBeUndefined();
    expect(result.data!.signUp.user.email).toMatch(/^shutdown-/);
    expect(await exitCode).toBe(0);
  });
});
