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
