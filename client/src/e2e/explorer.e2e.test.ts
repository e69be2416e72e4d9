import type { Page } from 'playwright-core';
import { cspViolations, launchBrowser, newPage, screenshot, signUp } from './browser';

test('the API explorer opens from the API Keys tab, documents the schema and runs a query as the signed-in member', async () => {
  const browser = await launchBrowser();
  try {
    await runExplorer(await newPage(browser));
  } finally {
    await browser.close();
  }
});

async function runExplorer(page: Page): Promise<void> {
  const account = await signUp(page);
  const violations = cspViolations(page);
  await page.getByRole('link', { name: 'API Keys' }).click();
  await page.getByRole('link', { name: 'API explorer' }).click();
  await page.waitForURL('**/api/explorer');
  await page.getByText(`Queries run as ${account.email} in ${account.organizationName}`).waitFor();

  // The documentation comes from the checked-in schema, without introspection.
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  const docs = page.getByRole('region', { name: 'Documentation Explorer' });
  await docs.getByText('Query', { exact: true }).first().click();
  await docs.getByText('auditEvents', { exact: true }).first().waitFor();

  // The example operations are tabs; the members list runs with the session cookie.
  await page.getByRole('tab', { name: 'ListMembers' }).click();
  const answer = page.waitForResponse((response) => response.url().endsWith('/graphql'));
  await page.getByRole('button', { name: /^Execute query/ }).click();
  expect((await (await answer).request().allHeaders()).cookie).toBeTruthy();
  expect((await (await answer).json()).data.members.nodes).toEqual([
    expect.objectContaining({ email: account.email, status: 'ACTIVE', role: { name: 'Admin' } }),
  ]);
  // The response editor shows it (it wraps long strings, so a short one is looked for).
  const response = page.locator('.graphiql-response');
  await response.getByText('"Admin"').waitFor();
  await screenshot(page, 'api-explorer');

  // "Use an API key" puts the key in the headers; the query then runs as the key, without the cookie.
  const created = await page.request.post('/graphql', {
    headers: { 'content-type': 'application/json' },
    data: {
      query: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      variables: { input: { name: 'Explorer', scopes: ['members:read'] } },
    },
  });
  const secret: string = (await created.json()).data.createApiKey.secret;
  await page.getByLabel('Use an API key').fill(secret);
  await page.getByRole('button', { name: 'Use key' }).click();
  const keyed = page.waitForResponse((r) => r.url().endsWith('/graphql'));
  await page.getByRole('button', { name: /^Execute query/ }).click();
  const keyedHeaders = await (await keyed).request().allHeaders();
  expect(keyedHeaders.authorization).toBe(`Bearer ${secret}`);
  expect(keyedHeaders.cookie).toBeUndefined();
  expect((await (await keyed).json()).data.members.nodes).toEqual([expect.objectContaining({ email: account.email })]);
  expect(violations).toEqual([]);
}
