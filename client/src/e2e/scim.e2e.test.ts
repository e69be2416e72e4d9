import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, newPage, screenshot, signUp } from './browser';

async function scimUsers(token: string): Promise<number> {
  const response = await fetch(`${baseUrl()}/scim/v2/Users?startIndex=1&count=2`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

describe('SCIM provisioning on the Security tab', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('an Admin creates a SCIM token, sees its secret once, and revokes it', async () => {
    const page = await newPage(browser);
    await signUp(page);
    await page.getByRole('link', { name: 'Security' }).click();
    const section = page.getByRole('region', { name: 'SCIM provisioning' });
    await section.getByText('No SCIM tokens yet.', { exact: false }).waitFor();
    expect(await section.getByTestId('scim-base-url').textContent()).toMatch(/^https?:\/\/.+\/scim\/v2$/);
    await section.getByText('No sync yet').waitFor();

    await section.getByRole('button', { name: 'New SCIM token' }).click();
    const dialog = page.getByRole('dialog', { name: 'New SCIM token' });
    await dialog.getByRole('button', { name: 'Create token' }).click();
    await dialog.getByText('Name is required.').waitFor();
    await dialog.getByLabel('Name').fill('Okta');
    await dialog.getByRole('button', { name: 'Create token' }).click();

    const reveal = page.getByRole('dialog', { name: 'Save your SCIM token' });
    const secret = (await reveal.getByTestId('secret-value').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^gth_scim_[0-9A-Za-z]{46}$/);
    expect(await reveal.getByRole('button', { name: 'Done' }).isDisabled()).toBe(true);
    await screenshot(reveal, 'scim-token-reveal');
    await reveal.getByLabel('I have saved this key').check();
    await reveal.getByRole('button', { name: 'Done' }).click();
    await reveal.waitFor({ state: 'detached' });

    // Shown once: the list has only the masked token, nowhere the secret.
    const row = section.getByRole('row').filter({ hasText: 'Okta' });
    await row.getByText(`${secret.slice(0, 13)}…${secret.slice(-4)}`).waitFor();
    expect(await page.content()).not.toContain(secret);

    expect(await scimUsers(secret)).toBe(200);
    await page.reload();
    await section.getByRole('row').filter({ hasText: 'Okta' }).waitFor();
    await screenshot(section, 'scim-section');

    await section.getByRole('button', { name: 'Actions for Okta' }).click();
    await page.getByRole('menuitem', { name: 'Revoke' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke Okta?' });
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText('Okta is revoked.').waitFor();
    await section.getByText('No SCIM tokens yet.', { exact: false }).waitFor();
    expect(await scimUsers(secret)).toBe(401);
  });
});
