import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startFixtureProcess, storeCookies } from './fixture-process';

/** Claims of a user at the test identity provider; `email_verified` defaults to true. */
export interface OidcAccount {
  sub: string;
  email: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  groups?: string[];
  /** Microsoft's tenant id claim, for the Microsoft stand-in. */
  tid?: string;
}

/** A real OpenID Connect provider (oidc-provider) on a loopback port, for single sign-on tests. */
export interface OidcProviderFixture {
  /** http://127.0.0.1:<port> */
  url: string;
  /** What it advertises in discovery and tokens; differs from `url` when `issuer` was given. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Creates or replaces the account signing in as `login`; takes effect at the next sign-in. */
  setAccount(login: string, account: OidcAccount): Promise<void>;
  /**
   * Drives the provider's pages over plain HTTP (its own cookie jar): follows redirects from authorizationUrl,
   * submits the login form with `login`, and returns the URL the provider finally redirects to on the relying
   * party (the redirect_uri with code & state), WITHOUT requesting it.
   */
  signIn(authorizationUrl: string, login: string): Promise<string>;
  stop(): Promise<void>;
}

const MAX_STEPS = 20;

/**
 * Starts the provider in a child process (oidc-provider is ESM-only, the tests run as CommonJS) with one
 * confidential client. `issuer` may contain `{port}`, e.g. `http://localhost:{port}` to simulate an issuer
 * that does not match the URL the relying party was configured with.
 */
export async function startOidcProvider(options: {
  redirectUris: string[];
  accounts?: Record<string, OidcAccount>;
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
}): Promise<OidcProviderFixture> {
  const clientId = options.clientId ?? 'gatehouse';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const config = {
    issuer: options.issuer,
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris }],
    accounts: options.accounts ?? {},
  };
  const fixture = await startFixtureProcess<{ url: string; issuer: string }>(
    'test OIDC provider',
    path.join(__dirname, 'oidc-provider', 'provider.mjs'),
    { OIDC_FIXTURE_CONFIG: JSON.stringify(config) },
  );
  const { ready, stop } = fixture;

  const failure = async (what: string, response: Response) => {
    const body = (await response.text().catch(() => '')).slice(0, 500);
    const logs = response.status >= 500 ? `\nprovider stderr:\n${fixture.stderr()}` : '';
    return new Error(`${what}: HTTP ${response.status} ${body}${logs}`);
  };

  return {
    url: ready.url,
    issuer: ready.issuer,
    clientId,
    clientSecret,
    stop,

    async setAccount(login, account) {
      const response = await fetch(`${ready.url}/test/accounts/${encodeURIComponent(login)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(account),
      });
      if (response.status !== 204) throw await failure(`setAccount(${login}) failed`, response);
    },

    async signIn(authorizationUrl, login) {
      const jar = new Map<string, string>();
      // The authorization URL may name the provider by another host (e.g. localhost) than `url`.
      const providerOrigins = new Set([new URL(ready.url).origin, new URL(authorizationUrl).origin]);
      let target = authorizationUrl;
      let form: URLSearchParams | undefined;
      let submitted = false;
      for (let step = 0; step < MAX_STEPS; step++) {
        const method = form ? 'POST' : 'GET';
        const headers: Record<string, string> = {};
        if (jar.size) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
        if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
        const response = await fetch(target, { method, headers, body: form?.toString(), redirect: 'manual' });
        storeCookies(jar, response.headers.getSetCookie());
        form = undefined;

        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          const next = new URL(location, target);
          if (!providerOrigins.has(next.origin)) return next.href;
          target = next.href;
          continue;
        }
        if (response.status !== 200) throw await failure(`signIn: unexpected answer to ${method} ${target}`, response);

        const html = await response.text();
        const action = /<form[^>]*\saction="([^"]*)"/i.exec(html)?.[1];
        if (submitted || !action || !/name="login"/.test(html)) {
          const alert = /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1];
          throw new Error(
            alert
              ? `signIn: the provider refused login "${login}": ${alert}`
              : `signIn: expected the login form at ${method} ${target}, got: ${html.slice(0, 500)}`,
          );
        }
        target = new URL(action.replace(/&amp;/g, '&'), target).href;
        form = new URLSearchParams({ login });
        submitted = true;
      }
      throw new Error(`signIn: more than ${MAX_STEPS} steps without leaving the provider (last: ${target})`);
    },
  };
}
