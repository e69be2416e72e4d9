import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startFixtureProcess } from './fixture-process';

/** A person at the GitHub stand-in: its numeric id is the subject Gatehouse keeps. */
export interface GitHubAccount {
  id: number;
  name?: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface GitHubFixture {
  /** http://127.0.0.1:<port>: both the OAuth base URL and the API URL. */
  url: string;
  clientId: string;
  clientSecret: string;
  setAccount(login: string, account: GitHubAccount): Promise<void>;
  /** Submits the stand-in's login form; answers the redirect back to Gatehouse without requesting it. */
  signIn(authorizationUrl: string, login: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the GitHub stand-in (github-fake/github.mjs) with one OAuth app. */
export async function startGitHubFake(options: { redirectUris: string[] }): Promise<GitHubFixture> {
  const clientId = `Iv1.${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(20).toString('hex');
  const { ready, stop } = await startFixtureProcess<{ url: string }>(
    'GitHub stand-in',
    path.join(__dirname, 'github-fake', 'github.mjs'),
    { GITHUB_FIXTURE_CONFIG: JSON.stringify({ clientId, clientSecret, redirectUris: options.redirectUris }) },
  );
  return {
    url: ready.url,
    clientId,
    clientSecret,
    stop,
    async setAccount(login, account) {
      const response = await fetch(`${ready.url}/test/accounts/${encodeURIComponent(login)}`, {
        method: 'PUT',
        body: JSON.stringify(account),
      });
      if (response.status !== 204) throw new Error(`setAccount(${login}): HTTP ${response.status}`);
    },
    async signIn(authorizationUrl, login) {
      const params = new URL(authorizationUrl).searchParams;
      params.set('login', login);
      const response = await fetch(`${ready.url}/login/oauth/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
        redirect: 'manual',
      });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) {
        throw new Error(`signIn(${login}): HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
      }
      return location;
    },
  };
}
