// A small stand-in for GitHub's OAuth app flow (/login/oauth/authorize, /login/oauth/access_token)
// and the two API endpoints Gatehouse reads (/user, /user/emails), for the social sign-in tests.
// Configuration comes as JSON in GITHUB_FIXTURE_CONFIG: { clientId, clientSecret, accounts: { login: account } }.
// Once listening it prints one JSON line {"url"} to stdout, the only thing it writes there.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const config = JSON.parse(process.env.GITHUB_FIXTURE_CONFIG ?? '{}');
const accounts = new Map(Object.entries(config.accounts ?? {}));
const codes = new Map();
const tokens = new Map();

const escapeHtml = (value) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

function send(res, status, body, type = 'application/json; charset=utf-8') {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function loginPage(query, error = '') {
  const hidden = [...query].map(
    ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
  );
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Test GitHub</title></head>
<body>
<main>
<h1>Sign in to Test GitHub</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login/oauth/authorize">
${hidden.join('\n')}
<label for="login">Username</label>
<input id="login" name="login" type="text" autocomplete="username" autofocus>
<button type="submit">Continue</button>
</form>
</main>
</body>
</html>`;
}

/** Like GitHub: the app must be known and the redirect URI must be its callback. */
function authorize(req, res, params) {
  if (params.get('client_id') !== config.clientId) return send(res, 404, { error: 'unknown client' });
  if (!(config.redirectUris ?? []).includes(params.get('redirect_uri'))) {
    return send(res, 400, { error: 'redirect_uri_mismatch' });
  }
  if (req.method === 'GET') return send(res, 200, loginPage(params), 'text/html; charset=utf-8');
  const account = accounts.get(params.get('login') ?? '');
  if (!account) return send(res, 200, loginPage(params, 'Unknown user'), 'text/html; charset=utf-8');
  const code = randomBytes(16).toString('hex');
  codes.set(code, {
    login: params.get('login'),
    redirectUri: params.get('redirect_uri'),
    challenge: params.get('code_challenge'),
  });
  const target = new URL(params.get('redirect_uri'));
  target.searchParams.set('code', code);
  if (params.has('state')) target.searchParams.set('state', params.get('state'));
  res.statusCode = 302;
  res.setHeader('Location', target.href);
  res.end();
}

/** Like GitHub, failures answer 200 with an `error` field. */
function accessToken(res, params) {
  const grant = codes.get(params.get('code') ?? '');
  codes.delete(params.get('code') ?? '');
  if (params.get('client_id') !== config.clientId || params.get('client_secret') !== config.clientSecret) {
    return send(res, 200, { error: 'incorrect_client_credentials' });
  }
  if (!grant || grant.redirectUri !== params.get('redirect_uri'))
    return send(res, 200, { error: 'bad_verification_code' });
  const verifier = params.get('code_verifier') ?? '';
  if (grant.challenge && createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
    return send(res, 200, { error: 'bad_verification_code' });
  }
  const token = `gho_${randomBytes(16).toString('hex')}`;
  tokens.set(token, grant.login);
  return send(res, 200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
}

function api(req, res, pathname) {
  const login = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  const account = login && accounts.get(login);
  if (!account) return send(res, 401, { message: 'Bad credentials' });
  if (pathname === '/user') return send(res, 200, { id: account.id, login, name: account.name ?? null });
  return send(res, 200, account.emails ?? []);
}

const server = createServer((req, res) => {
  const { pathname, searchParams } = new URL(req.url, 'http://fake');
  const handled = (async () => {
    if (pathname === '/login/oauth/authorize') {
      const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : searchParams;
      return authorize(req, res, params);
    }
    if (pathname === '/login/oauth/access_token' && req.method === 'POST') {
      return accessToken(res, new URLSearchParams(await readBody(req)));
    }
    if ((pathname === '/user' || pathname === '/user/emails') && req.method === 'GET') return api(req, res, pathname);
    const account = /^\/test\/accounts\/([^/]+)$/.exec(pathname);
    if (account && req.method === 'PUT') {
      accounts.set(decodeURIComponent(account[1]), JSON.parse(await readBody(req)));
      res.statusCode = 204;
      return res.end();
    }
    return send(res, 404, { message: 'Not Found' });
  })();
  handled.catch((error) => {
    console.error(error);
    if (!res.headersSent) send(res, 500, { message: String(error) });
  });
});

await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', resolve);
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
if (process.connected) process.on('disconnect', shutdown);

process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
