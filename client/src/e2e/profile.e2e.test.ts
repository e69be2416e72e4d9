import type { Browser, Page } from 'playwright-core';
import { fillSignUp, launchBrowser, newAccount, newPage, screenshot } from './browser';

describe('Profile tab', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('sign up, edit the profile, change the password and theme, sign out and back in', async () => {
    const account = newAccount();
    const username = `grace.${Date.now().toString(36)}`;
    const newPassword = 'Quartz-Meadow-77?';

    await page.goto('/signup');
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await screenshot(page, 'signup');
    await fillSignUp(page, account);

    expect(new URL(page.url()).pathname).toBe('/settings/profile');
    await page.getByRole('heading', { name: 'Personal information' }).waitFor();
    expect(await page.getByRole('link', { name: 'Profile' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByLabel('Email').inputValue()).toBe(account.email);
    expect(await page.getByLabel('Email').getAttribute('readonly')).not.toBeNull();

    // Autosave: a username breaking the rule is refused locally, a valid one is saved.
    const usernameField = page.getByLabel('Username');
    await usernameField.fill('No Spaces');
    await page.getByText('Username must be 3–32 characters').waitFor();
    await usernameField.fill(username);
    await page.getByTestId('username-save-status').getByText('Saved').waitFor();
    await page.getByLabel('First name').fill('Ada');
    await page.getByTestId('firstName-save-status').getByText('Saved').waitFor();
    await screenshot(page, 'profile-light');

    await page.reload();
    await page.getByRole('heading', { name: 'Personal information' }).waitFor();
    expect(await page.getByLabel('Username').inputValue()).toBe(username);
    expect(await page.getByLabel('First name').inputValue()).toBe('Ada');
    expect(await page.getByLabel('Last name').inputValue()).toBe(account.lastName);

    // Change password: the checklist ticks rules off while typing; submit waits for all of them.
    const checklist = page.getByRole('list', { name: 'Password requirements' });
    const rule = (label: string, state: 'passed' | 'pending') =>
      checklist.locator(`li[data-state="${state}"]`, { hasText: label }).waitFor();
    const submit = (disabled: boolean) => page.getByRole('button', { name: 'Update password', disabled }).waitFor();
    await page.getByLabel('Current password').fill(account.password);
    await page.getByLabel('New password', { exact: true }).fill('quartz');
    await rule('A lowercase letter', 'passed');
    await rule('An uppercase letter', 'pending');
    await rule('A digit', 'pending');
    await submit(true);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    for (const label of [
      'At least 8 characters',
      'An uppercase letter',
      'A lowercase letter',
      'A digit',
      'A special character',
    ]) {
      await rule(label, 'passed');
    }
    await page.getByLabel('Confirm new password').fill(`${newPassword}x`);
    await page.getByText('The passwords do not match.').waitFor();
    await submit(true);
    await page.getByLabel('Confirm new password').fill(newPassword);
    await submit(false);
    await screenshot(page.getByRole('region', { name: 'Change password' }), 'password-checklist');
    await page.getByRole('button', { name: 'Update password' }).click();
    await page.getByText('Your password has been changed.').waitFor();
    expect(await page.getByLabel('Current password').inputValue()).toBe('');
    expect(await page.getByLabel('New password', { exact: true }).inputValue()).toBe('');

    // Theme: applied at once, and saved with the profile.
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.getByRole('radio', { name: 'Dark' }).check();
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await page.getByTestId('theme-save-status').getByText('Saved').waitFor();
    await screenshot(page, 'profile-dark');
    await page.reload();
    await page.getByRole('heading', { name: 'Personal information' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');

    // The old password no longer works; the new one does.
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('The email or password is incorrect.').waitFor();
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/settings/profile');
    await page.getByRole('heading', { name: 'Personal information' }).waitFor();
    expect(await page.getByLabel('Username').inputValue()).toBe(username);
  });
});
