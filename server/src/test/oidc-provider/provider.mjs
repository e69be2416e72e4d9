// A real OpenID Connect provider for the single sign-on tests. It runs as its own process because
// oidc-provider is ESM-only while the tests are compiled to CommonJS (see ../oidc-provider.ts).
// Configuration comes as JSON in OIDC_FIXTURE_CONFIG (shape: startOidcProvider in ../oidc-provider.ts).
// Once listening it prints one JSON line {"url","issuer"} to stdout, the only thing it writes there.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { format } from 'node:util';
import Provider from 'oidc-provider';

// oidc-provider prints its notices with console.info; stdout belongs to the ready line.
console.log = console.info = (...args) => process.stderr.write(`${format(...args)}\n`);

const config = JSON.parse(process.env.OIDC_FIXTURE_CONFIG ?? '{}');
const accounts = new Map(Object.entries(config.accounts ?? {}));

const escapeHtml = (value) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

function loginPage(uid, login = '', error = '') {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Test identity provider</title></head>
<body>
<main>
<h1>Test identity provider</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
<label for="login">Username</label>
<input id="login" name="login" type="text" autocomplete="username" autofocus value="${escapeHtml(login)}">
<button type="submit">Continue</button>
</form>
</main>
</body>
</html>`;
}

function send(res, status, body = '', type = 'text/plain; charset=utf-8') {
  res.statusCode = status;
  if (body) res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function findAccount(_ctx, sub) {
  const account = [...accounts.values()].find((candidate) => candidate.sub === sub);
  if (!account) return undefined;
  return {
    accountId: sub,
    // Read at claim time, not at login, so PUT /test/accounts shows up at the next sign-in.
    async claims() {
      const current = [...accounts.values()].find((candidate) => candidate.sub === sub) ?? account;
      const name = [current.given_name, current.family_name].filter(Boolean).join(' ');
      return {
        sub,
        email: current.email,
        email_verified: current.email_verified ?? true,
        given_name: current.given_name,
        family_name: current.family_name,
        name: name || undefined,
        groups: current.groups,
        tid: current.tid,
      };
    },
  };
}

// The tests never want a consent screen: whatever the client asks for is granted on the spot.
async function loadExistingGrant(ctx) {
  const { oidc } = ctx;
  const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
  const grant =
    (grantId && (await oidc.provider.Grant.find(grantId))) ||
    new oidc.provider.Grant({ accountId: oidc.session.accountId, clientId: oidc.client.clientId });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  grant.addOIDCClaims([...oidc.requestParamClaims]);
  await grant.save();
  return grant;
}

async function renderError(ctx, out) {
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body>
<h1>${escapeHtml(out.error)}</h1><p>${escapeHtml(out.error_description ?? '')}</p></body></html>`;
}

const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', resolve);
});
const url = `http://127.0.0.1:${server.address().port}`;
const issuer = (config.issuer ?? url).replaceAll('{port}', String(server.address().port));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const provider = new Provider(issuer, {
  clients: config.clients ?? [],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' }] },
  // Plain http on loopback: the cookies must not require TLS.
  cookies: {
    keys: [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')],
    long: { secure: false },
    short: { secure: false },
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'name', 'groups', 'tid'],
  },
  // Relying parties read the user from the ID token, so it carries the scope claims even when an
  // access token is issued too (oidc-provider otherwise keeps them for userinfo only).
  conformIdTokenClaims: false,
  findAccount,
  loadExistingGrant,
  renderError,
  ttl: { AccessToken: 3600, IdToken: 3600, RefreshToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
});
provider.on('server_error', (_ctx, error) => console.error('oidc-provider server_error:', error));
const providerCallback = provider.callback();

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, 'interaction cookie does not match this page');
  if (req.method === 'GET' && !action) {
    // loadExistingGrant grants everything, so consent only comes up when the client sent prompt=consent.
    if (details.prompt.name === 'consent') return provider.interactionFinished(req, res, { consent: {} });
    return send(res, 200, loginPage(uid), 'text/html; charset=utf-8');
  }
  if (req.method === 'POST' && action === 'login') {
    const login = (new URLSearchParams(await readBody(req)).get('login') ?? '').trim();
    const account = accounts.get(login);
    if (!account) return send(res, 200, loginPage(uid, login, 'Unknown user'), 'text/html; charset=utf-8');
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.sub } },
      { mergeWithLastSubmission: false },
    );
  }
  return send(res, 405, 'method not allowed');
}

async function putAccount(req, res, login) {
  let account;
  try {
    account = JSON.parse(await readBody(req));
  } catch {
    return send(res, 400, 'body must be JSON');
  }
  if (typeof account?.sub !== 'string' || !account.sub) return send(res, 400, 'account needs a sub');
  accounts.set(login, account);
  return send(res, 204);
}

server.on('request', (req, res) => {
  const { pathname } = new URL(req.url, url);
  const interactionMatch = /^\/interaction\/([^/]+)(?:\/([^/]+))?$/.exec(pathname);
  const accountMatch = /^\/test\/accounts\/([^/]+)$/.exec(pathname);
  let handled;
  if (interactionMatch) {
    handled = interaction(req, res, decodeURIComponent(interactionMatch[1]), interactionMatch[2]);
  } else if (accountMatch && req.method === 'PUT') {
    handled = putAccount(req, res, decodeURIComponent(accountMatch[1]));
  } else {
    return providerCallback(req, res);
  }
  handled.catch((error) => {
    console.error(error);
    if (res.headersSent) return res.destroy();
    send(res, error?.name === 'SessionNotFound' ? 400 : 500, `${error?.name}: ${error?.message}`);
  });
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// Spawned with an IPC channel by the test helper: a test process that dies must not leave us behind.
if (process.connected) process.on('disconnect', shutdown);

process.stdout.write(`${JSON.stringify({ url, issuer })}\n`);
