import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '../../../server/src/two-factor/totp';
import { cspViolations, launchBrowser, newAccount, screenshot, signUp, type Account } from './browser';

const STEP_MS = 30_000;
const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * WebAuthn refuses IP addresses as relying party ids, and the shared browser-test server's
 * public URL is http://127.0.0.1:…: these tests run the built server once more, on the test
 * database, with PUBLIC_URL (and so the RP id) on localhost.
 */
let server: ChildProcess;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  const { freePort } = require(path.join(ROOT, 'scripts', 'free-port.js'));
  const port: number = await freePort();
  origin = `http://localhost:${port}`;
  server = spawn(process.execPath, [path.join(ROOT, 'server', 'dist', 'main.js')], {
    env: { ...process.env, PORT: String(port), PUBLIC_URL: origin, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${origin}/readyz`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error('the passkey test server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

/** A page with Chromium's virtual platform authenticator, which verifies the user without asking. */
async function pageWithAuthenticator(): Promise<Page> {
  const context = await browser.newContext({ baseURL: origin, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return page;
}

/** A GraphQL request from the page, with its session, as the UI would send it. */
async function graphql(page: Page, query: string): Promise<Record<string, any>> {
  return page.evaluate(async (body) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return (await response.json()).data;
  }, JSON.stringify({ query }));
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/signin');
}

async function fillPassword(page: Page, account: Account): Promise<void> {
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('passkeys', () => {
  test('registers a passkey, signs in with it alone and as a second factor, and removes it', async () => {
    const page = await pageWithAuthenticator();
    const violations = cspViolations(page);
    const account = await signUp(page, newAccount());
    const section = page.getByRole('region', { name: 'Passkeys' });
    await section.getByText('No passkeys yet.').waitFor();
    await section.getByRole('button', { name: 'Add a passkey' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a passkey' });
    await dialog.getByLabel('Passkey name').fill('This laptop');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    const row = section.getByRole('row').filter({ hasText: 'This laptop' });
    await row.waitFor();
    expect(await row.getByText('Never').count()).toBe(1);

    await row.getByRole('button', { name: 'Rename This laptop' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename passkey' });
    await rename.getByLabel('Passkey name').fill('Work laptop');
    await rename.getByRole('button', { name: 'Save' }).click();
    const renamed = section.getByRole('row').filter({ hasText: 'Work laptop' });
    await renamed.waitFor();
    await screenshot(section, 'passkeys-profile');

    // Passwordless through autofill (conditional UI): the virtual authenticator picks the
    // passkey the email field offers as soon as the sign-in page asks for it.
    await signOut(page);
    await page.waitForURL('**/settings/**');
    await renamed.waitFor();
    expect(await renamed.getByText('Never').count()).toBe(0);

    // Passwordless with the button, in a browser without passkey autofill.
    await page.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    // Loaded anew while signed in, so that no sign-in page of the old document offers autofill.
    await page.reload();
    await signOut(page);
    expect(await page.getByLabel('Email').getAttribute('autocomplete')).toBe('username webauthn');
    await screenshot(page, 'passkeys-sign-in');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL('**/settings/**');

    // Once the organization requires 2FA, the passkey is the second factor a password needs.
    await graphql(
      page,
      'mutation { updateOrganizationSettings(input: { security: { requireTwoFactor: true } }) { general { name } } }',
    );
    await signOut(page);
    await fillPassword(page, account);
    await page.getByText('Confirm it is you with one of your passkeys.').waitFor();
    expect(await page.getByLabel('Authentication code').count()).toBe(0);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL('**/settings/**');

    // With an authenticator app on, the passkey stands in for its code after the password.
    const { startTwoFactorEnrollment } = await graphql(page, 'mutation { startTwoFactorEnrollment { secret } }');
    const code = totpCode(startTwoFactorEnrollment.secret, Date.now() - STEP_MS);
    await graphql(page, `mutation { confirmTwoFactorEnrollment(code: "${code}") }`);
    await signOut(page);
    await fillPassword(page, account);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await screenshot(page, 'passkeys-second-factor');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL('**/settings/**');

    await renamed.getByRole('button', { name: 'Remove Work laptop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove passkey' }).click();
    await section.getByText('No passkeys yet.').waitFor();
    expect(violations).toEqual([]);
  });
});
