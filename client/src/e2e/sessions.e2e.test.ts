import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signIn, signUp } from './browser';

describe('Profile: sessions and security log', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('signs another browser out from the Profile tab; the security log shows the failed sign-in', async () => {
    const page = await newPage(browser);
    const account = await signUp(page);
    const other = await newPage(browser, { colorScheme: 'dark' });
    await other.goto('/signin');
    await other.getByLabel('Email').fill(account.email);
    await other.getByLabel('Password').fill('Not-the-password-1');
    await other.getByRole('button', { name: 'Sign in', exact: true }).click();
    await other.getByRole('alert').waitFor();
    await signIn(other, account.email, account.password);

    await page.getByRole('link', { name: 'Profile' }).click();
    await page.reload();
    const sessions = page.getByRole('table', { name: 'Sessions' });
    await sessions.locator('tbody tr').nth(1).waitFor();
    expect(await sessions.locator('tbody tr').count()).toBe(2);
    await sessions.locator('tbody tr').first().getByText('This device').waitFor();
    const log = page.getByRole('table', { name: 'Security log' });
    await log.getByText('Failed sign-in').waitFor();
    await screenshot(page, 'profile-sessions');

    await page.getByRole('button', { name: 'Sign out other sessions' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await sessions.locator('tbody tr').count()).toBe(1);
    await log.getByText('Other sessions signed out').waitFor();

    await other.reload();
    await other.waitForURL('**/signin');
  });

  test('deletes the account from the danger zone once the phrase is typed; its password stops working', async () => {
    const page = await newPage(browser);
    const account = await signUp(page);
    await page.getByRole('button', { name: 'Delete account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    const confirm = dialog.getByRole('button', { name: 'Delete my account' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type delete my account to confirm').fill('delete my account');
    await screenshot(dialog, 'profile-delete-account');
    await confirm.click();
    await page.waitForURL('**/signin');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
  });
});
