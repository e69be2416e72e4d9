import type { Browser, Page } from 'playwright-core';
import { cspViolations, launchBrowser, newPage, screenshot, signUp } from './browser';

const pad = (value: number) => String(value).padStart(2, '0');
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('General, AI and Security tabs', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('the date and time format chosen in General is how the Audit Logs tab writes dates', async () => {
    const violations = cspViolations(page);
    await signUp(page);
    const today = new Date();
    await page.getByRole('link', { name: 'Audit Logs' }).click();
    const firstTime = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr').first().getByRole('button');
    const usDate = `${pad(today.getMonth() + 1)}/${pad(today.getDate())}/${today.getFullYear()}`;
    expect(await firstTime.textContent()).toMatch(new RegExp(`^${usDate}, \\d{1,2}:\\d{2} (AM|PM)$`));

    await page.getByRole('link', { name: 'General' }).click();
    await page.getByLabel('Organization name').fill('Renamed Labs');
    await page.getByText('DD/MM/YYYY', { exact: false }).click();
    await page.getByText('24-hour', { exact: false }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved. Dates everywhere now use these formats.').waitFor();

    const logoInput = page.getByLabel('Logo file');
    await logoInput.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a-not-a-png') });
    await page.getByText('The logo must be a PNG or JPEG image.').waitFor();
    await logoInput.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(TINY_PNG, 'base64') });
    await page.getByRole('img', { name: 'Renamed Labs logo' }).waitFor();
    expect(await page.getByRole('banner').locator('img.org-logo').count()).toBe(1);
    await page.getByRole('banner').getByText('Renamed Labs').waitFor();
    await screenshot(page, 'settings-general');

    await page.getByRole('link', { name: 'Audit Logs' }).click();
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.getByText('settings.updated').waitFor();
    const europeanDate = `${pad(today.getDate())}/${pad(today.getMonth() + 1)}/${today.getFullYear()}`;
    expect(await table.locator('tbody tr').first().getByRole('button').textContent()).toMatch(
      new RegExp(`^${europeanDate}, \\d{2}:\\d{2}$`),
    );
    // The date filters are typed in the same format, and read back in it.
    const from = page.getByLabel('From', { exact: true });
    // The format is the field's description, read out with it.
    expect(
      await from.evaluate((input) => document.getElementById(input.getAttribute('aria-describedby')!)?.textContent),
    ).toBe('DD/MM/YYYY');
    await from.fill(europeanDate);
    await from.press('Enter');
    await page.waitForURL(
      new RegExp(`from=${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`),
    );
    await table.getByText('settings.updated').first().waitFor();
    expect(await from.inputValue()).toBe(europeanDate);
    expect(violations).toEqual([]);
  });

  test('the AI toggle saves at once; Security refuses out-of-range values at the field, then saves', async () => {
    await page.getByRole('link', { name: 'AI' }).click();
    const toggle = page.getByLabel('Builder Copilot test data access');
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await page.getByText('Test data access is on.').waitFor();
    await page.reload();
    expect(await page.getByLabel('Builder Copilot test data access').isChecked()).toBe(true);

    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByLabel('Session lifetime (hours)').fill('721');
    await page.getByLabel('Authorized email domains').fill('example.com, not a domain');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Session lifetime (hours): a whole number from 1 to 720.').waitFor();
    await page.getByText('"not" is not a domain like example.com.').waitFor();
    await page.getByLabel('Session lifetime (hours)').fill('12');
    await page.getByLabel('Authorized email domains').fill('example.com, corp.example.org');
    await page.getByLabel('Allow API keys that never expire').check();
    expect(await page.getByLabel('Require single sign-on for verified domains').isChecked()).toBe(false);
    await page.getByLabel('Require single sign-on for verified domains').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Security settings saved.').waitFor();
    await screenshot(page, 'settings-security');
    await page.reload();
    expect(await page.getByLabel('Session lifetime (hours)').inputValue()).toBe('12');
    expect(await page.getByLabel('Authorized email domains').inputValue()).toBe('corp.example.org, example.com');
    expect(await page.getByLabel('Require single sign-on for verified domains').isChecked()).toBe(true);
  });
});
