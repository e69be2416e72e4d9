import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { PROJECT_ROOT, loadConfig, type Config } from '../kernel/config';
import { createHttpServer } from '../app/http-server';
import { createDataSource } from '../db/data-source';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string; [key: string]: unknown } }[];
  headers: Headers;
}

/**
 * A GraphQL client over real HTTP that keeps its session cookie like a browser would, and
 * comes from its own IP address (X-Forwarded-For) so throttling in one test cannot leak
 * into another.
 */
export class TestClient {
  cookie: string | null = null;
  bearer: string | null = null;
  constructor(
    readonly url: string,
    /** Another client's address, to act from the same place (on another instance, say). */
    readonly ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`,
  ) {}

  async request<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>> {
    return this.post<T>({ query, variables });
  }

  async post<T>(body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': this.ip,
        'user-agent': 'gatehouse-tests',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const [pair] = setCookie.split(';');
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const text = await response.text();
    const json = text.startsWith('{') ? JSON.parse(text) : { data: null, errors: [{ message: text }] };
    return { status: response.status, data: json.data ?? null, errors: json.errors, headers: response.headers };
  }

  /** Requests that must succeed: fails the test with the server's errors otherwise. */
  async ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length || !result.data) {
      throw new Error(`GraphQL request failed: ${JSON.stringify(result.errors)}`);
    }
    return result.data;
  }
}

export interface TestApp {
  url: string;
  /** Writes API-key last-used times now instead of at the next periodic flush. */
  flushLastUsed(): Promise<void>;
  db: DataSource;
  config: Config;
  client(ip?: string): TestClient;
  close(): Promise<void>;
}

/** A real Gatehouse HTTP server on a free port, on the test database that jest's global setup migrated. */
export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: run the tests through jest (scripts/test-setup.js)');
  // Background jobs run only in the apps of tests that ask (jobs: true), so another test file's app
  // never takes their jobs (and fails to deliver an audit stream to their loopback receiver, say).
  const config: Config = {
    ...loadConfig(),
    bcryptCost: 4,
    trustProxy: 'loopback',
    jobs: false,
    ...overrides,
  };
  const db = createDataSource(databaseUrl);
  await db.initialize();
  const http = await createHttpServer(db, config);
  const port = await http.listen(0);
  const url = `http://127.0.0.1:${port}`;
  // Links in emails and the single sign-on redirect URI lead back to this server.
  if (!overrides.publicUrl) config.publicUrl = url;
  return {
    url,
    db,
    config,
    flushLastUsed: () => http.authenticator.apiKeys.flushLastUsed(),
    client: (ip?: string) => new TestClient(url, ip),
    close: async () => {
      await http.close();
      await db.destroy();
    },
  };
}

export const STRONG_PASSWORD = 'Gatehouse!2026x';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}@example.test`;
}

export const VIEWER_FIELDS = `
  user { id email username firstName lastName theme hasPassword }
  organization { id name }
  role { id name }
  permissions
  organizations { id name }
`;

export interface SignedUp {
  client: TestClient;
  email: string;
  password: string;
  userId: string;
  organizationId: string;
}

/** Signs a new user up (with a new organization) on a fresh client. */
export async function signUp(app: Pick<TestApp, 'client'>, overrides: Record<string, string> = {}): Promise<SignedUp> {
  const client = app.client();
  const input = {
    email: uniqueEmail(),
    password: STRONG_PASSWORD,
    firstName: 'Ada',
    lastName: 'Lovelace',
    organizationName: 'Analytical Engines',
    ...overrides,
  };
  const data = await client.ok(`mutation($input: SignUpInput!) { signUp(input: $input) { ${VIEWER_FIELDS} } }`, {
    input,
  });
  return {
    client,
    email: input.email,
    password: input.password,
    userId: data.signUp.user.id,
    organizationId: data.signUp.organization.id,
  };
}

export function errorCode(result: GraphQLResponse): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

export interface ServerProcess {
  url: string;
  client(ip?: string): TestClient;
  /** The JSON log lines the process has written to stdout so far. */
  logs(): { level: number; msg: string; [field: string]: unknown }[];
  /** Sends SIGTERM and resolves with the exit code once the process has ended. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash (nothing in memory survives), or cleanup after a failed test; resolves once the process has ended. */
  kill(): Promise<void>;
}

/**
 * An empty database on the test PostgreSQL server, for tests whose instances must not meet the
 * other tests' data or jobs; `drop` removes it whatever still connects to it.
 */
export async function emptyDatabase(purpose: string): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL!;
  const name = `gatehouse_${purpose}_${Date.now()}_${process.pid}`;
  await runSql(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => runSql(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** One statement on a connection of its own. */
export async function runSql(url: string, sql: string): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  await pool.query(sql).finally(() => pool.end());
}

/**
 * Another Gatehouse instance in its own OS process on the same database, for rules that must
 * hold across instances (it runs the built server: `pnpm build` first).
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const { freePort } = require(path.join(PROJECT_ROOT, 'scripts', 'free-port.js'));
  const port: number = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'server', 'dist', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: 'warn',
      // As in startTestApp: only processes that ask (JOBS: 'true') take the test database's jobs.
      JOBS: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server process exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('server process did not become ready');
      const ready = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await kill();
    throw error;
  }
  return {
    url,
    client: (ip?: string) => new TestClient(url, ip),
    logs: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{') && line.endsWith('}'))
        .map((line) => JSON.parse(line)),
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill,
  };
}
