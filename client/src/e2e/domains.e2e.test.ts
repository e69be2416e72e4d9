import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signUp, verifyDomain } from './browser';

describe('verified domains', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('an Admin adds a domain, publishes its TXT record and verifies it; only then can SSO use it', async () => {
    const page = await newPage(browser);
    await signUp(page);
    await page.getByRole('link', { name: 'Security' }).click();
    const section = page.getByRole('region', { name: 'Domains' });

    await section.getByLabel('Domain', { exact: true }).fill('not a domain');
    await section.getByRole('button', { name: 'Add domain' }).click();
    await section.getByText('"not a domain" is not a domain name such as example.com.').waitFor();

    const domain = `dom${Date.now().toString(36)}.example.com`;
    await verifyDomain(page, domain, async () => {
      // Before the record exists, "Verify now" says what it looked for and the domain stays pending.
      await section.getByRole('button', { name: `Verify ${domain} now` }).click();
      await section.getByText(`No TXT record was found at _gatehouse-challenge.${domain}.`, { exact: false }).waitFor();
      const row = section.getByRole('row').filter({ hasText: domain });
      await row.getByText('Pending', { exact: true }).waitFor();
      await screenshot(section, 'domains-pending');
    });
    await screenshot(page, 'domains-verified');

    await page.getByRole('button', { name: 'Add identity provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add identity provider' });
    await dialog.getByRole('checkbox', { name: domain }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await section.getByRole('button', { name: `Actions for ${domain}` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${domain}?` });
    await confirm.getByRole('button', { name: 'Delete domain' }).click();
    await confirm.waitFor({ state: 'detached' });
    await section.getByText('No domain yet.').waitFor();
  });
});
