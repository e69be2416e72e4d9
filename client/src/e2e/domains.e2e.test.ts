import type { Browser } from 'playwright-core';
import { domainAction, launchBrowser, newPage, screenshot, signUp, verifyDomain } from './browser';

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
    await section.getByText('No domains yet.', { exact: false }).waitFor();
    await page.getByText('No identity providers yet', { exact: false }).waitFor();
    await screenshot(page, 'security-empty');

    await section.getByLabel('Domain', { exact: true }).fill('not a domain');
    await section.getByRole('button', { name: 'Add domain' }).click();
    await section.getByText('"not a domain" is not a domain name such as example.com.').waitFor();

    const domain = `dom${Date.now().toString(36)}.example.com`;
    await verifyDomain(page, domain, async () => {
      await page.getByRole('status').getByText(`${domain} added.`, { exact: false }).waitFor();
      // Before the record exists, "Verify now" says what it looked for and the domain stays pending.
      await domainAction(page, domain, 'Verify now');
      await section.getByText(`No TXT record was found at _gatehouse-challenge.${domain}.`, { exact: false }).waitFor();
      await page.getByRole('status').getByText(`${domain} is not verified yet.`, { exact: false }).waitFor();
      const row = section.getByRole('row').filter({ hasText: domain });
      await row.getByText('Pending', { exact: true }).waitFor();
      await screenshot(section, 'domains-pending');
      await section.getByRole('button', { name: `Actions for ${domain}` }).click();
      expect(await page.getByRole('menu').getByRole('menuitem').allTextContents()).toEqual([
        'Verify now',
        'Cover subdomains too',
        'Delete',
      ]);
      await page.keyboard.press('Escape');
      await page.getByRole('menu').waitFor({ state: 'detached' });
    });
    await page.getByRole('status').getByText(`${domain} is verified.`).waitFor();
    await screenshot(page, 'domains-verified');

    await page.getByRole('button', { name: 'Add identity provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add identity provider' });
    await dialog.getByRole('checkbox', { name: domain }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await domainAction(page, domain, 'Delete');
    const confirm = page.getByRole('dialog', { name: `Delete ${domain}?` });
    await confirm.getByRole('button', { name: 'Delete domain' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText(`${domain} is deleted.`).waitFor();
    await section.getByText('No domains yet.', { exact: false }).waitFor();
  });
});
