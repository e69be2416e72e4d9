import type { Browser } from 'playwright-core';
import { startOidcProvider, type OidcProviderFixture } from '../../../server/src/test/oidc-provider';
import { baseUrl, launchBrowser, newPage, screenshot, signUp, verifyDomain } from './browser';

describe('single sign-on', () => {
  let browser: Browser;
  let idp: OidcProviderFixture;

  beforeAll(async () => {
    browser = await launchBrowser();
    idp = await startOidcProvider({ redirectUris: [`${baseUrl()}/api/sso/callback`] });
  });

  afterAll(async () => {
    await browser?.close();
    await idp?.stop();
  });

  test('an Admin adds an OpenID Connect provider; a new colleague signs in through it with the mapped role', async () => {
    const page = await newPage(browser);
    await signUp(page);
    await page.getByRole('link', { name: 'Security' }).click();
    const domain = `sso${Date.now().toString(36)}.example.com`;
    await verifyDomain(page, domain);
    await page.getByRole('button', { name: 'Add identity provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add identity provider' });
    await dialog.getByTestId('redirect-uri').getByText(`${baseUrl()}/api/sso/callback`, { exact: true }).waitFor();

    await dialog.getByLabel('Name', { exact: true }).fill('Harbor Login');
    await dialog.getByLabel('Issuer URL').fill(idp.url);
    await dialog.getByLabel('Client ID').fill(idp.clientId);
    await dialog.getByRole('checkbox', { name: domain }).check();
    await dialog.getByLabel('Provider group 1').fill('harbor-admins');
    await dialog.getByRole('button', { name: 'Add mapping' }).click();
    await dialog.getByLabel('Provider group 2').fill('harbor-builders');
    await dialog.getByLabel('Role 2').selectOption({ label: 'Builder' });
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    // The secret was left out: the form says so at the field and saves nothing.
    await dialog.getByText('The client secret is required.').waitFor();
    await dialog.getByLabel('Client secret').fill(idp.clientSecret);
    await screenshot(dialog, 'sso-provider-dialog');
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.waitFor({ state: 'detached' });

    const table = page.getByRole('table', { name: 'Identity providers' });
    await table.getByText('Harbor Login').waitFor();
    await table.getByText('harbor-builders → Builder').waitFor();
    await screenshot(page, 'sso-security-tab');

    const email = `riley@${domain}`;
    await idp.setAccount('riley', {
      sub: 'riley-subject',
      email,
      given_name: 'Riley',
      family_name: 'Chen',
      groups: ['harbor-builders'],
    });
    const colleague = await newPage(browser);
    await colleague.goto('/signin');
    await colleague.getByRole('button', { name: 'Sign in with SSO' }).click();
    await colleague.getByLabel('Work email').fill(email);
    await screenshot(colleague, 'sso-sign-in');
    await colleague.getByRole('button', { name: 'Continue' }).click();
    await colleague.getByRole('heading', { name: 'Test identity provider' }).waitFor();
    await colleague.getByLabel('Username').fill('riley');
    await colleague.getByRole('button', { name: 'Continue' }).click();
    await colleague.waitForURL('**/settings/**');
    await colleague.getByRole('banner').getByText('Riley Chen').waitFor();
    // Builders see Workspaces but not Security; the provider handles the password and 2FA.
    await colleague.getByRole('link', { name: 'Workspaces' }).waitFor();
    expect(await colleague.getByRole('link', { name: 'Security' }).count()).toBe(0);
    await colleague.getByRole('link', { name: 'Profile' }).click();
    await colleague.getByLabel('First name').waitFor();
    expect(await colleague.getByRole('heading', { name: 'Change password' }).count()).toBe(0);
    expect(await colleague.getByRole('heading', { name: 'Two-factor authentication' }).count()).toBe(0);
    await screenshot(colleague, 'sso-signed-in-profile');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByText(`${email} · signs in with SSO`).waitFor();

    const stranger = await newPage(browser);
    await stranger.goto('/signin');
    await stranger.getByRole('button', { name: 'Sign in with SSO' }).click();
    await stranger.getByLabel('Work email').fill('someone@unknown-domain.example.org');
    await stranger.getByRole('button', { name: 'Continue' }).click();
    await stranger.getByText('Single sign-on is not set up for that email domain.', { exact: false }).waitFor();
  });
});
