// The browser tests' stand-ins for Google, Microsoft (oidc-provider) and GitHub (a small fake), as
// child processes that print one JSON ready line (server/src/test/oidc-provider/provider.mjs,
// server/src/test/github-fake/github.mjs). The integration tests start their own through the
// TypeScript helpers next to those scripts.
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { spawn } = require('node:child_process');

const testDir = path.resolve(__dirname, '..', 'server', 'src', 'test');

function startProcess(script, env) {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve({ ...JSON.parse(stdout.slice(0, stdout.indexOf('\n'))), child });
    });
  });
}

/** Starts the three stand-ins for a Gatehouse at `baseUrl`; answers the server's env and how to stop them. */
async function startSocialStandIns(baseUrl) {
  const secret = () => randomBytes(24).toString('base64url');
  const oidc = (provider, issuer) => {
    const client = { client_id: `gatehouse-${provider}`, client_secret: secret() };
    const config = { issuer, clients: [{ ...client, redirect_uris: [`${baseUrl}/api/auth/${provider}/callback`] }] };
    return startProcess(path.join(testDir, 'oidc-provider', 'provider.mjs'), {
      OIDC_FIXTURE_CONFIG: JSON.stringify(config),
    }).then((ready) => ({ ...ready, ...client }));
  };
  const githubClient = { clientId: 'Iv1.e2e', clientSecret: secret() };
  const [google, microsoft, github] = await Promise.all([
    oidc('google'),
    oidc('microsoft', 'http://127.0.0.1:{port}/e2e-tenant/v2.0'),
    startProcess(path.join(testDir, 'github-fake', 'github.mjs'), {
      GITHUB_FIXTURE_CONFIG: JSON.stringify({ ...githubClient, redirectUris: [`${baseUrl}/api/auth/github/callback`] }),
    }),
  ]);
  return {
    env: {
      GOOGLE_CLIENT_ID: google.client_id,
      GOOGLE_CLIENT_SECRET: google.client_secret,
      GOOGLE_ISSUER: google.issuer,
      MICROSOFT_CLIENT_ID: microsoft.client_id,
      MICROSOFT_CLIENT_SECRET: microsoft.client_secret,
      MICROSOFT_AUTHORITY: microsoft.url,
      MICROSOFT_ISSUER: `${microsoft.url}/{tenantid}/v2.0`,
      GITHUB_CLIENT_ID: githubClient.clientId,
      GITHUB_CLIENT_SECRET: githubClient.clientSecret,
      GITHUB_BASE_URL: github.url,
      GITHUB_API_URL: github.url,
    },
    // For the browser tests, which create people at the stand-ins (PUT /test/accounts/<login>).
    urls: { E2E_GOOGLE_URL: google.url, E2E_MICROSOFT_URL: microsoft.url, E2E_GITHUB_URL: github.url },
    stop: () => Promise.all([google, microsoft, github].map(({ child }) => stopChild(child))),
  };
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

module.exports = { startSocialStandIns };
