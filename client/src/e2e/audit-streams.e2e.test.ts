import type { Browser } from 'playwright-core';
import { type AuditReceiver, startAuditReceiver, verifyDelivery } from '../../../server/src/test/audit-receiver';
import { launchBrowser, newPage, screenshot, signUp } from './browser';

describe('audit streams', () => {
  let browser: Browser;
  let receiver: AuditReceiver;

  beforeAll(async () => {
    browser = await launchBrowser();
    receiver = await startAuditReceiver();
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
  });

  test('an Admin adds a stream, saves its secret once, sends a test and sees events arrive, signed', async () => {
    const page = await newPage(browser);
    await signUp(page);
    await page.getByRole('link', { name: 'Audit Logs' }).click();
    const section = page.getByRole('region', { name: 'Audit streams' });
    await section.getByText('No stream yet.').waitFor();

    await section.getByRole('button', { name: 'Add stream' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add audit stream' });
    await dialog.getByLabel('Name').fill('SIEM');
    await dialog.getByLabel('URL').fill(receiver.url);
    await dialog.getByLabel('Custom header').fill('X-Intake-Token');
    await dialog.getByLabel('Header value').fill('intake-secret-123');
    await dialog.getByRole('button', { name: 'Add stream' }).click();

    const reveal = page.getByRole('dialog', { name: 'Save the signing secret' });
    const secret = (await reveal.getByTestId('secret-value').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await screenshot(reveal, 'audit-stream-secret');
    await reveal.getByLabel('I have saved this key').check();
    await reveal.getByRole('button', { name: 'Done' }).click();
    await reveal.waitFor({ state: 'detached' });

    const row = section.getByRole('row').filter({ hasText: 'SIEM' });
    await row.getByText('Active').waitFor();
    await section.getByRole('button', { name: 'Send a test message to SIEM' }).click();
    await section.getByText('The test message reached SIEM (HTTP 200).').waitFor();

    // The stream's own creation is the first event it delivers; the test message came on top.
    const kinds = () =>
      receiver.requests.map((request) => verifyDelivery<{ type: string; data: { action?: string } }>(secret, request));
    for (let waited = 0; kinds().length < 2 && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The test's own audit event (auditStream.tested) may follow as well.
    expect(kinds().filter((k) => k.type === 'audit.test')).toHaveLength(1);
    expect(kinds().find((k) => k.type === 'audit.event')?.data.action).toBe('auditStream.created');
    expect(receiver.requests.every((request) => request.headers['x-intake-token'] === 'intake-secret-123')).toBe(true);

    await page.reload();
    await section.getByRole('button', { name: 'Deliveries of SIEM' }).click();
    const log = page.getByRole('dialog', { name: 'Deliveries of SIEM' });
    await log.getByText('Test message').waitFor();
    await log
      .getByText(/^Event \d+$/)
      .first()
      .waitFor();
    await screenshot(page, 'audit-stream-deliveries');
    await log.getByRole('button', { name: 'Close' }).click();
    await screenshot(page, 'audit-streams');
    expect(await page.content()).not.toContain('intake-secret-123');
  });
});
