import { TestApp, startTestApp, uniqueEmail } from '../test/harness';
import { SmtpCatcher, startSmtpCatcher } from '../test/smtp-catcher';
import { queueEmail } from './mail.service';

describe('email through SMTP', () => {
  let smtp: SmtpCatcher;
  let app: TestApp;
  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    app = await startTestApp({ smtpUrl: smtp.url, mailFrom: 'Gatehouse <gatehouse@example.test>' });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('sends an email once its transaction commits', async () => {
    const to = uniqueEmail('mail');
    await app.db.transaction((tx) => queueEmail(tx, { to, subject: 'Hello there', text: 'Body text 123' }));
    const email = await smtp.waitFor(to, /Subject: Hello there/);
    expect(email.raw).toContain('Body text 123');
    expect(email.raw).toContain('From: Gatehouse <gatehouse@example.test>');
  });

  it('sends nothing when the transaction rolls back', async () => {
    const to = uniqueEmail('rollback');
    await expect(
      app.db.transaction(async (tx) => {
        await queueEmail(tx, { to, subject: 'Never', text: 'never' });
        throw new Error('change refused');
      }),
    ).rejects.toThrow('change refused');
    const control = uniqueEmail('control');
    await app.db.transaction((tx) => queueEmail(tx, { to: control, subject: 'Control', text: 'x' }));
    await smtp.waitFor(control);
    expect(smtp.emails.filter((e) => e.to.includes(to))).toHaveLength(0);
  });
});

describe('dev outbox', () => {
  it('keeps emails readable at /dev/outbox when no SMTP server is configured', async () => {
    const app = await startTestApp({ smtpUrl: undefined });
    try {
      const to = uniqueEmail('outbox');
      await app.db.transaction((tx) => queueEmail(tx, { to, subject: 'Outbox', text: 'Click here' }));
      const entries = await (await fetch(`${app.url}/dev/outbox?to=${encodeURIComponent(to)}`)).json();
      expect(entries).toEqual([expect.objectContaining({ to, subject: 'Outbox', text: 'Click here' })]);
    } finally {
      await app.close();
    }
  });

  it('is not served in production', async () => {
    const app = await startTestApp({ production: true });
    try {
      const response = await fetch(`${app.url}/dev/outbox`);
      expect(response.headers.get('content-type') ?? '').not.toMatch(/json/);
    } finally {
      await app.close();
    }
  });
});
