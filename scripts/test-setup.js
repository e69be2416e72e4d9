// Jest global setup: a fresh PostgreSQL database migrated by the server's own migrations, and a
// built Gatehouse server on a free port for the browser tests. Requires `pnpm build` first.
// TEST_DATABASE_URL (or DATABASE_URL) points at an existing server to create the database on;
// otherwise an embedded PostgreSQL is started in .data/test-<pid> and removed afterwards.
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const os = require('node:os');
const { freePort } = require('./free-port');
const { startDnsServer } = require('./dns-server');
const { startSocialStandIns } = require('./social-stand-ins');

const root = path.resolve(__dirname, '..');
const dist = (file) => require(path.join(root, 'server', 'dist', file));

/** A PostgreSQL server to create the test databases on: TEST_DATABASE_URL's, or an embedded one. */
async function startDatabaseServer() {
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (serverUrl) return { url: serverUrl, stop: async () => {} };
  const dataDir = path.join(root, '.data', `test-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const embedded = await dist('db/embedded-postgres.js').startEmbeddedPostgres(dataDir, await freePort());
  return {
    url: embedded.url,
    stop: async () => {
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(serverUrl, sql) {
  const { Client } = require(require.resolve('pg', { paths: [path.join(root, 'server')] }));
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database per purpose, so that the browser tests' server (a separate instance with its
 * own email settings) never picks up work queued by the integration tests. */
async function createDatabase(serverUrl, purpose) {
  const name = `gatehouse_${purpose}_${Date.now()}_${process.pid}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function migrate(url) {
  const { createDataSource, runMigrations } = dist('db/data-source.js');
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
}

async function waitUntilReady(baseUrl, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the test server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the test server did not become ready within 60 s');
}

/**
 * A copy of every email the integration tests' servers queue. Servers started with SMTP_URL (or
 * in production mode) erase a body once they send it, and any instance on the database may be
 * the one that sends another test's email, so the tests read links from this copy instead.
 */
async function captureEmails(url) {
  await adminQuery(
    url,
    `CREATE TABLE test_email_capture (recipient text NOT NULL, text_body text, created_at timestamptz NOT NULL DEFAULT clock_timestamp());
     CREATE FUNCTION test_capture_email() RETURNS trigger AS $$
       BEGIN INSERT INTO test_email_capture (recipient, text_body) VALUES (NEW.recipient, NEW.text_body); RETURN NEW; END
     $$ LANGUAGE plpgsql;
     CREATE TRIGGER test_capture_email AFTER INSERT ON outbound_emails FOR EACH ROW EXECUTE FUNCTION test_capture_email();`,
  );
}

async function startAppServer(databaseUrl) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const social = await startSocialStandIns(baseUrl);
  Object.assign(process.env, social.urls);
  const child = spawn(process.execPath, [path.join(root, 'server', 'dist', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      PUBLIC_URL: baseUrl,
      LOG_LEVEL: 'warn',
      // The browser tests' identity provider listens on loopback.
      ALLOW_PRIVATE_NETWORK: 'true',
      // The API Keys tab's usage chart shows requests made a moment ago.
      API_KEY_USAGE_FLUSH_SECONDS: '1',
      ...social.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitUntilReady(baseUrl, child);
  return { baseUrl, child, social };
}

module.exports = async () => {
  process.env.NODE_ENV = 'test';
  // Tests read invitation and reset links from the dev outbox (the browser server's GET /dev/outbox,
  // the integration tests' outbound_emails rows), which keeps bodies only when asked for.
  process.env.DEV_OUTBOX = 'true';
  process.env.BCRYPT_COST = process.env.BCRYPT_COST || '4';
  const databaseServer = await startDatabaseServer();
  const integration = await createDatabase(databaseServer.url, 'integration');
  const browser = await createDatabase(databaseServer.url, 'browser');
  await migrate(integration.url);
  await captureEmails(integration.url);
  await migrate(browser.url);
  // Every Gatehouse of the run (test apps, server processes, the browser tests' server) resolves
  // domain verification records through this server; tests publish records with server/src/test/dns-server.ts.
  const dns = await startDnsServer(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-dns-')));
  process.env.DNS_SERVERS = dns.address;
  process.env.TEST_DNS_RECORDS_DIR = dns.recordsDir;
  const app = await startAppServer(browser.url);
  process.env.DATABASE_URL = integration.url;
  process.env.E2E_BASE_URL = app.baseUrl;
  globalThis.__gatehouseTestEnvironment = { databaseServer, databases: [integration, browser], app, dns };
};
