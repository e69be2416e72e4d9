import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signUp } from './browser';

describe('Audit Logs tab', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('shows what happened, filters through the URL, opens an event and exports the filtered CSV', async () => {
    await signUp(page);
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Incident responders');
    await page.getByRole('dialog').getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'Audit Logs' }).click();
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.getByText('group.created').waitFor();
    await table.getByText('user.signedUp').waitFor();
    await screenshot(page, 'audit-logs');

    await page.getByLabel('Category').selectOption({ label: 'System configuration' });
    await page.waitForURL(/category=SYSTEM_CONFIGURATION/);
    await table.getByText('user.signedUp').waitFor({ state: 'detached' });
    await table.getByText('group.created').waitFor();

    // A shared link opens the same filtered view.
    await page.reload();
    await page.getByRole('table', { name: 'Audit events' }).getByText('group.created').waitFor();
    expect(await page.getByRole('table', { name: 'Audit events' }).getByText('user.signedUp').count()).toBe(0);
    expect(await page.getByLabel('Category').inputValue()).toBe('SYSTEM_CONFIGURATION');

    const row = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr', { hasText: 'group.created' });
    await row.getByRole('button').click();
    const details = page.getByRole('dialog', { name: 'group.created' });
    await details.getByText('Incident responders', { exact: false }).first().waitFor();
    expect(await details.locator('dd.mono').first().textContent()).toMatch(/^[0-9a-f-]{36}$/);
    expect(await details.getByText(/^[0-9a-f]{64}$/).count()).toBe(2);
    await screenshot(details, 'audit-logs-details');
    await details.getByRole('button', { name: 'Close' }).last().click();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = fs
      .readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toMatch(/^occurredAt,sequence,category,action/);
    expect(csv.slice(1).every((line) => line.includes('"SYSTEM_CONFIGURATION"'))).toBe(true);
    expect(csv.some((line) => line.includes('"group.created"') && line.includes('"Incident responders"'))).toBe(true);

    // Dates are typed in the organization's format (MM/DD/YYYY unless General says otherwise), not
    // the browser's; a day that does not exist is refused at the field and filters nothing.
    const from = page.getByLabel('From', { exact: true });
    // The format is the field's description, read out with it.
    expect(
      await from.evaluate((input) => document.getElementById(input.getAttribute('aria-describedby')!)?.textContent),
    ).toBe('MM/DD/YYYY');
    await from.fill('31/12/2026');
    await from.press('Enter');
    await page.getByText('Enter a date as MM/DD/YYYY, e.g. 01/31/2026.').waitFor();
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).not.toContain('from=');
    const tomorrow = new Date(Date.now() + 86_400_000);
    const pad = (value: number) => String(value).padStart(2, '0');
    const typed = `${pad(tomorrow.getMonth() + 1)}/${pad(tomorrow.getDate())}/${tomorrow.getFullYear()}`;
    await from.fill(typed);
    await from.press('Enter');
    await page.waitForURL(/from=\d{4}-\d{2}-\d{2}/);
    await page.getByText('No events match these filters.').waitFor();
    expect(await from.getAttribute('aria-invalid')).toBeNull();
    await screenshot(page.locator('.audit-filters'), 'audit-logs-date-filter');
    await page.reload();
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(typed);
  });

  test('loads older events by cursor with Load more', async () => {
    const fresh = await newPage(browser);
    await signUp(fresh);
    // 55 more events from this browser's own session, through the API as the UI would send them.
    await fresh.evaluate(async () => {
      for (let i = 0; i < 55; i += 1) {
        await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `mutation { updateProfile(input: { firstName: "Grace${i}" }) { id } }` }),
        });
      }
    });
    await fresh.getByRole('link', { name: 'Audit Logs' }).click();
    const rows = fresh.getByRole('table', { name: 'Audit events' }).locator('tbody tr');
    await rows.nth(49).waitFor();
    expect(await rows.count()).toBe(50);
    await fresh.getByRole('button', { name: 'Load more' }).click();
    await rows.nth(57).waitFor();
    expect(await rows.count()).toBe(58);
    expect(await fresh.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect(await rows.last().textContent()).toContain('user.signedUp');
  });
});
