import type { Browser, Locator, Page } from 'playwright-core';
import { baseUrl, launchBrowser, newPage, screenshot, signIn, signUp } from './browser';

interface GraphQLAnswer {
  data?: { viewer?: { apiKey: { name: string; isDefault: boolean } | null } | null } & Record<string, unknown>;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Calls the API the way a program would: with the key and nothing else (no session cookie). */
async function callWithKey(secret: string, query: string, variables?: object): Promise<GraphQLAnswer> {
  const response = await fetch(`${baseUrl()}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLAnswer;
}

const VIEWER_KEY = '{ viewer { apiKey { name isDefault } } }';

/** Revocation reaches the key cache through NOTIFY: allow it a moment, as a program would see it. */
async function eventuallyRefused(secret: string): Promise<string | undefined> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const answer = await callWithKey(secret, VIEWER_KEY);
    const code = answer.errors?.[0]?.extensions?.code;
    if (code || Date.now() > deadline) return code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads the secret from the reveal dialog, checks the copy button copies exactly it, and closes the dialog. */
async function takeSecret(page: Page, screenshotName: string): Promise<string> {
  const dialog = page.getByRole('dialog');
  const secret = (await dialog.getByTestId('secret-value').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^gth_[0-9A-Za-z]{46}$/);
  const done = dialog.getByRole('button', { name: 'Done' });
  expect(await done.isDisabled()).toBe(true);
  // Escape must not lose a secret that was not saved yet.
  await page.keyboard.press('Escape');
  expect(await dialog.isVisible()).toBe(true);
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await dialog.getByRole('button', { name: 'Copied' }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await screenshot(dialog, screenshotName);
  await dialog.getByLabel('I have saved this key').check();
  await done.click();
  await dialog.waitFor({ state: 'detached' });
  return secret;
}

async function rowAction(page: Page, row: Locator, keyName: string, action: string): Promise<Locator> {
  await row.getByRole('button', { name: `Actions for ${keyName}` }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: action }).click();
  return page.getByRole('dialog');
}

describe('API Keys tab', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test("the usage chart shows each key's accepted and refused requests", async () => {
    // A page of its own: the other tests' page stays as they left it.
    const page = await newPage(browser);
    await signUp(page);
    const create = async (input: object): Promise<string> => {
      const response = await page.request.post(`${baseUrl()}/graphql`, {
        headers: { 'content-type': 'application/json' },
        data: {
          query: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
          variables: { input },
        },
      });
      return ((await response.json()) as { data: { createApiKey: { secret: string } } }).data.createApiKey.secret;
    };
    const open = await create({ name: 'Open key' });
    // The browser test server does not trust proxies: this machine's loopback address is not in the range.
    const fenced = await create({ name: 'Fenced key', allowedIps: ['10.0.0.0/8'] });
    for (let i = 0; i < 3; i += 1) expect((await callWithKey(open, VIEWER_KEY)).errors).toBeUndefined();
    for (let i = 0; i < 2; i += 1)
      expect((await callWithKey(fenced, VIEWER_KEY)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await page.goto(`${baseUrl()}/settings/api-keys`);
    const table = page.getByRole('table', { name: 'API keys' });
    const expected = [
      'Open key: 3 accepted and 0 refused requests in the last 30 days',
      'Fenced key: 0 accepted and 2 refused requests in the last 30 days (0 rate-limited, 2 from addresses not allowed)',
    ];
    // Counts are written behind (every second on the test server): reload until they arrive.
    const deadline = Date.now() + 10_000;
    for (;;) {
      await table.locator('tbody tr').first().waitFor();
      const labels = await table
        .getByTestId('usage-chart')
        .evaluateAll((charts) => charts.map((c) => c.getAttribute('aria-label')));
      if (expected.every((label) => labels.includes(label)) || Date.now() > deadline) {
        expect(labels).toEqual(expect.arrayContaining(expected));
        break;
      }
      await page.waitForTimeout(500);
      await page.reload();
    }
    const chart = table.getByRole('img', { name: expected[1] });
    expect(await chart.locator('rect.usage-chart-refused').count()).toBe(1);
    expect(await table.getByRole('img', { name: expected[0] }).locator('rect.usage-chart-ok').count()).toBe(1);
    await screenshot(table, 'api-keys-usage-chart');

    // Guardrails set in the New API Key dialog show in the key's row.
    await page.getByRole('button', { name: 'New API Key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API Key' });
    await dialog.getByLabel('Name', { exact: true }).fill('Guarded key');
    await dialog.getByLabel('Allowed IP addresses').fill('10.1.2.3/8, 2001:db8::/32');
    await dialog.getByLabel('Rate limit (requests)').fill('100');
    await dialog.getByLabel('Per window of (seconds)').fill('60');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const reveal = page.getByRole('dialog', { name: 'Save your API key' });
    await reveal.getByLabel('I have saved this key').check();
    await reveal.getByRole('button', { name: 'Done' }).click();
    const guarded = table.locator('tbody tr', { hasText: 'Guarded key' });
    await guarded.getByText('Only from 10.0.0.0/8, 2001:db8::/32').waitFor();
    await guarded.getByText('100 requests / 60 s').waitFor();
    await page.close();
  });

  test('create, use, edit in place, revoke, delete and rotate keys; the limit shows before it bites', async () => {
    const account = await signUp(page);
    await page.getByRole('link', { name: 'API Keys' }).click();
    await page.waitForURL('**/settings/api-keys');
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    const table = page.getByRole('table', { name: 'API keys' });
    const defaultRow = table.locator('tbody tr', { hasText: 'Default key' });
    await defaultRow.getByText('Active').waitFor();
    await page.getByText('1 of 5 keys').waitFor();
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Name',
      'Description',
      'Key',
      'Status',
      'Created',
      'Expires',
      'Last used',
      'Usage, 30 days',
      'Actions',
    ]);

    // New API Key: a name is required; scopes picked from the catalogue; 90 days.
    await page.getByRole('button', { name: 'New API Key' }).click();
    let dialog = page.getByRole('dialog', { name: 'New API Key' });
    await dialog.getByLabel('Name').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'New API Key' }).click();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('Name is required.').waitFor();
    await dialog.getByLabel('Name').fill('CI deploy');
    await dialog.getByLabel('Description').fill('Deploys from the pipeline');
    await dialog.getByRole('radio', { name: 'Selected permissions' }).check();
    await dialog.getByText('See your own API keys').waitFor();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('Choose at least one permission').waitFor();
    await dialog.getByRole('checkbox', { name: /apiKeys:read/ }).check();
    await dialog.getByRole('checkbox', { name: /profile:read/ }).check();
    await dialog.getByRole('radio', { name: '90 days' }).check();
    expect(await dialog.getByRole('radio', { name: 'Never' }).count()).toBe(0);
    await dialog.getByText('requires keys to expire within 365 days').waitFor();
    await screenshot(dialog, 'api-keys-new-dialog');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('dialog', { name: 'Save your API key' }).waitFor();
    const secret = await takeSecret(page, 'api-keys-reveal');

    // Found by its description, which stays while the name is being edited.
    const row = table.locator('tbody tr', { hasText: 'Deploys from the pipeline' });
    await row.waitFor();
    await page.getByText('2 of 5 keys').waitFor();
    expect(await row.locator('[data-column="key"]').textContent()).toBe(`${secret.slice(0, 8)}…${secret.slice(-4)}`);
    await row.getByText('Deploys from the pipeline').waitFor();

    // The shown secret is a working key, and the API says which key it is.
    expect((await callWithKey(secret, VIEWER_KEY)).data?.viewer?.apiKey).toEqual({
      name: 'CI deploy',
      isDefault: false,
    });

    // In-place edit: an empty name is refused at the field, Escape cancels, Enter saves.
    await row.getByRole('button', { name: /^Name: CI deploy/ }).dblclick();
    const nameInput = row.getByRole('textbox', { name: 'Name' });
    await nameInput.fill('');
    await nameInput.press('Enter');
    await row.getByRole('alert').getByText('Name is required.').waitFor();
    await screenshot(table, 'api-keys-edit-error');
    await nameInput.press('Escape');
    await row.getByRole('button', { name: /^Name: CI deploy/ }).waitFor();
    await row.getByRole('button', { name: /^Name: CI deploy/ }).dblclick();
    await nameInput.fill('CI deploy (prod)');
    await nameInput.press('Enter');
    await row.getByRole('button', { name: /^Name: CI deploy \(prod\)/ }).waitFor();
    expect((await callWithKey(secret, VIEWER_KEY)).data?.viewer?.apiKey?.name).toBe('CI deploy (prod)');
    await page.reload();
    await row.waitFor();

    // The default key offers only Rotate; the other key Revoke and Delete.
    await defaultRow.getByRole('button', { name: 'Actions for Default key' }).click();
    expect(await page.getByRole('menu').getByRole('menuitem').allTextContents()).toEqual(['Rotate']);
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    await row.getByRole('button', { name: 'Actions for CI deploy (prod)' }).click();
    expect(await page.getByRole('menu').getByRole('menuitem').allTextContents()).toEqual(['Revoke', 'Delete']);
    await screenshot(page, 'api-keys-menu');
    await page.keyboard.press('Escape');

    // Revoke: confirmed in a dialog; the key stays listed as Revoked and stops working.
    dialog = await rowAction(page, row, 'CI deploy (prod)', 'Revoke');
    await dialog.getByRole('heading', { name: 'Revoke CI deploy (prod)?' }).waitFor();
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('Revoked').waitFor();
    await page.getByRole('status').getByText('CI deploy (prod) is revoked.').waitFor();
    expect(await eventuallyRefused(secret)).toBe('UNAUTHENTICATED');

    // Delete: confirmed; the row and its place in the limit are gone.
    dialog = await rowAction(page, row, 'CI deploy (prod)', 'Delete');
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText('CI deploy (prod) is deleted.').waitFor();
    await page.getByText('1 of 5 keys').waitFor();

    // Rotate the default key with a grace period: a new secret, shown once, that works.
    dialog = await rowAction(page, defaultRow, 'Default key', 'Rotate');
    await dialog.getByRole('radio', { name: '24 hours' }).check();
    await dialog.getByText('keeps working for 24 hours').waitFor();
    await screenshot(dialog, 'api-keys-rotate');
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('dialog', { name: 'New secret for Default key' }).waitFor();
    const rotated = await takeSecret(page, 'api-keys-rotated-reveal');
    expect(rotated).not.toBe(secret);
    expect((await callWithKey(rotated, VIEWER_KEY)).data?.viewer?.apiKey).toEqual({
      name: 'Default key',
      isDefault: true,
    });

    // A second rotation keeps the first new secret for an hour; the row says until when, and it
    // can be ended early from the row menu, after which a program using it is refused.
    await defaultRow.getByText('Previous secret valid until').waitFor();
    dialog = await rowAction(page, defaultRow, 'Default key', 'Rotate');
    await dialog.getByRole('radio', { name: '1 hour' }).check();
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    const current = await takeSecret(page, 'api-keys-rotated-again-reveal');
    expect((await callWithKey(rotated, VIEWER_KEY)).data?.viewer?.apiKey?.isDefault).toBe(true);
    await screenshot(table, 'api-keys-previous-secret');
    await defaultRow.getByRole('button', { name: 'Actions for Default key' }).click();
    expect(await page.getByRole('menu').getByRole('menuitem').allTextContents()).toEqual([
      'Rotate',
      'End previous secret now',
    ]);
    await page.keyboard.press('Escape');
    dialog = await rowAction(page, defaultRow, 'Default key', 'End previous secret now');
    await dialog.getByRole('heading', { name: 'End the previous secret of Default key?' }).waitFor();
    await screenshot(dialog, 'api-keys-end-previous-dialog');
    await dialog.getByRole('button', { name: 'End previous secret' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText('The previous secret of Default key no longer works.').waitFor();
    await defaultRow.getByText('Previous secret valid until').waitFor({ state: 'detached' });
    expect(await eventuallyRefused(rotated)).toBe('UNAUTHENTICATED');
    expect((await callWithKey(current, VIEWER_KEY)).data?.viewer?.apiKey?.isDefault).toBe(true);

    // The limit: with five keys the New button is disabled, and the page says why.
    for (const name of ['one', 'two', 'three', 'four']) {
      const created = await callWithKey(
        current,
        'mutation ($name: String!) { createApiKey(input: { name: $name }) { secret } }',
        {
          name,
        },
      );
      expect(created.errors).toBeUndefined();
    }
    await page.reload();
    await page.getByText('5 of 5 keys').waitFor();
    const newButton = page.getByRole('button', { name: 'New API Key' });
    expect(await newButton.isDisabled()).toBe(true);
    await page.getByText('The limit is 5 keys').waitFor();
    expect(await table.locator('tbody tr').count()).toBe(5);
    await table.locator('tbody tr', { hasText: 'three' }).getByText('Active').waitFor();
    await screenshot(page, 'api-keys-light');

    // The same page in the dark theme, with a confirmation dialog open.
    const dark = await newPage(browser, { colorScheme: 'dark' });
    await signIn(dark, account.email, account.password);
    await dark.goto('/settings/api-keys');
    await dark.getByText('5 of 5 keys').waitFor();
    await dark.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await screenshot(dark, 'api-keys-dark');
    const darkRow = dark.getByRole('table', { name: 'API keys' }).locator('tbody tr', { hasText: 'two' });
    const darkDialog = await rowAction(dark, darkRow, 'two', 'Delete');
    await darkDialog.getByRole('button', { name: 'Delete key' }).waitFor();
    // Focus starts on the safe choice and Tab stays inside the dialog.
    const focused = () => dark.evaluate(() => document.activeElement?.textContent ?? '');
    expect(await focused()).toBe('Cancel');
    for (let i = 0; i < 4; i += 1) {
      await dark.keyboard.press('Tab');
      expect(await dark.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    }
    await screenshot(dark, 'api-keys-dark-dialog');
    await dark.keyboard.press('Escape');
    await darkDialog.waitFor({ state: 'detached' });
    await dark.context().close();
  });
});
