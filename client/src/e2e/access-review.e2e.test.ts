import type { Browser, Page } from 'playwright-core';
import { inviteAndJoin, launchBrowser, newAccount, newPage, openTab, screenshot, signUp, uniqueEmail } from './browser';

describe('access review', () => {
  let browser: Browser;
  let admin: Page;
  let member: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await newPage(browser);
    member = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('an Admin starts a review, removes a Builder role, completes it, and the role is gone', async () => {
    await signUp(admin, newAccount({ organizationName: 'Quarterly Review' }));
    const email = uniqueEmail('review');
    await inviteAndJoin(admin, member, { email, role: 'Builder', firstName: 'Ada', lastName: 'Lovelace' });

    await openTab(admin, 'Access requests', 'Access requests');
    await admin.getByRole('button', { name: 'Start review' }).click();
    const grants = admin.getByRole('table', { name: 'Grants under review' });
    const row = grants.locator('tbody tr', { hasText: 'Ada Lovelace' });
    await row.getByText('Builder (tenant role)').waitFor();
    await row.getByRole('button', { name: 'Decide Builder (tenant role) of Ada Lovelace' }).click();
    await admin.getByRole('menuitem', { name: 'Remove' }).click();
    await row.getByText('remove', { exact: true }).waitFor();
    await screenshot(admin, 'access-review');
    await admin.getByRole('button', { name: 'Complete review' }).click();
    await row.getByText('removed', { exact: true }).waitFor();
    await admin.getByText(/Last review completed .*: 1 removed\./).waitFor();

    await openTab(admin, 'Users', 'Users');
    await admin.reload();
    const user = admin.getByRole('table', { name: 'Users' }).locator('tbody tr', { hasText: email });
    await user.getByText('Consumer', { exact: true }).waitFor();
  });
});
