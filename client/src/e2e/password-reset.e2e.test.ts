import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, newPage, screenshot, signIn, signUp } from './browser';

async function resetLink(email: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const response = await fetch(`${baseUrl()}/dev/outbox?to=${encodeURIComponent(email)}`);
    const [entry] = (await response.json()) as { text: string }[];
    const link = entry?.text.match(/https?:\/\/\S+\/reset-password\?token=\S+/)?.[0];
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no reset email reached ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('password reset', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('a forgotten password is reset from the email link, which signs out every session', async () => {
    const signedIn = await newPage(browser);
    const account = await signUp(signedIn);

    const page = await newPage(browser);
    await page.goto('/signin');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    // The page is a lazy chunk: until it is there, "Email" is still the sign-in form's field.
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email').fill(account.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await screenshot(page, 'password-reset-sent');

    await page.goto(await resetLink(account.email));
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password').fill('Brand-New-Harbor-9');
    await screenshot(page, 'password-reset-form');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();

    await signedIn.reload();
    await signedIn.waitForURL('**/signin');

    await signIn(page, account.email, 'Brand-New-Harbor-9');
    await page.getByRole('link', { name: 'Profile' }).waitFor();

    const reused = await newPage(browser);
    await reused.goto(await resetLink(account.email));
    await reused.getByLabel('New password').fill('Another-New-Harbor-9');
    await reused.getByRole('button', { name: 'Set new password' }).click();
    await reused.getByRole('heading', { name: 'This link cannot be used' }).waitFor();
  });
});
