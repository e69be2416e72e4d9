import type { Browser } from 'playwright-core';
import { totpCode } from '../../../server/src/two-factor/totp';
import { cspViolations, launchBrowser, newPage, screenshot, signUp } from './browser';

const STEP_MS = 30_000;

describe('two-factor authentication', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('enrolls from the Profile tab with a QR code, then signs in with a code and with a recovery code', async () => {
    const page = await newPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const violations = cspViolations(page);
    const account = await signUp(page);
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up two-factor authentication' });
    const qrCode = dialog.getByRole('img', { name: 'QR code for your authenticator app' });
    await qrCode.waitFor();
    // A data: image, which the server's Content Security Policy must let through.
    expect(await qrCode.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBeGreaterThan(0);
    const secret = (await dialog.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(dialog, 'two-factor-enroll');
    // The previous step's code: the current one is left for the sign-in below.
    await dialog.getByLabel('Code from the app').fill(totpCode(secret, Date.now() - STEP_MS));
    await dialog.getByRole('button', { name: 'Turn on' }).click();

    const codesDialog = page.getByRole('dialog', { name: 'Save your recovery codes' });
    await codesDialog.getByTestId('recovery-codes').waitFor();
    const codes = (await codesDialog.getByTestId('recovery-codes').locator('code').allTextContents()).map((c) =>
      c.trim(),
    );
    expect(codes).toHaveLength(10);
    await screenshot(codesDialog, 'two-factor-recovery-codes');
    expect(await codesDialog.getByRole('button', { name: 'Done' }).isDisabled()).toBe(true);
    await codesDialog.getByLabel('I have saved these codes').check();
    await codesDialog.getByRole('button', { name: 'Done' }).click();
    await page.getByText('On', { exact: true }).waitFor();

    const fresh = await newPage(browser);
    await fresh.goto('/signin');
    await fresh.getByLabel('Email').fill(account.email);
    await fresh.getByLabel('Password').fill(account.password);
    await fresh.getByRole('button', { name: 'Sign in', exact: true }).click();
    await fresh.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await fresh.getByLabel('Authentication code').fill('000000' === totpCode(secret) ? '111111' : '000000');
    await fresh.getByRole('button', { name: 'Verify' }).click();
    await fresh.getByText('That code is not right, or was already used.', { exact: false }).waitFor();
    await screenshot(fresh, 'two-factor-sign-in');
    await fresh.getByLabel('Authentication code').fill(totpCode(secret));
    await fresh.getByRole('button', { name: 'Verify' }).click();
    await fresh.waitForURL('**/settings/**');

    const withRecovery = await newPage(browser);
    await withRecovery.goto('/signin');
    await withRecovery.getByLabel('Email').fill(account.email);
    await withRecovery.getByLabel('Password').fill(account.password);
    await withRecovery.getByRole('button', { name: 'Sign in', exact: true }).click();
    await withRecovery.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await withRecovery.getByLabel('Recovery code').fill(codes[0]);
    await withRecovery.getByRole('button', { name: 'Verify' }).click();
    await withRecovery.waitForURL('**/settings/**');
    expect(violations).toEqual([]);
  });
});
