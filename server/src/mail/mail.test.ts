import { TestApp, startTestApp, uniqueEmail } from '../test/harness';
import { eventually } from '../test/access-fixtures';
import { SmtpCatcher, startSmtpCatcher } from '../test/smtp-catcher';
import { DEV_OUTBOX_RETENTION_MINUTES, deliverPendingEmails, queueEmail } from './mail.service';

/** The stored bodies of the emails to this address (null once erased). */
async function storedBodies(app: TestApp, to: string): Promise<(string | null)[]> {
  const rows = await app.db.query('SELECT text_body FROM outbound_emails WHERE recipient = $1', [to]);
  return rows.map((row: { text_body: string | null }) => row.text_body);
}

/** An email waiting to be sent, written without the NOTIFY that would wake every running dispatcher. */
async function pendingEmail(app: TestApp, to: string, attempts = 0): Promise<void> {
  await app.db.query(
    `INSERT INTO outbound_emails (recipient, subject, text_body, attempts) VALUES ($1, 'Reset', 'reset?token=secret', $2)`,
    [to, attempts],
  );
}

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
    // Its links are not kept once sent (the row is marked sent right after the SMTP server accepts it).
    await eventually(async () => (await storedBodies(app, to))[0] === null);
    expect(await storedBodies(app, to)).toEqual([null]);
  });

  it('erases the body of an email it gives up on', async () => {
    const to = uniqueEmail('given-up');
    await pendingEmail(app, to, 4);
    await deliverPendingEmails(app.db, { ...app.config, smtpUrl: 'smtp://127.0.0.1:1' });
    const [row] = await app.db.query('SELECT attempts, sent_at, text_body FROM outbound_emails WHERE recipient = $1', [
      to,
    ]);
    expect(row).toEqual({ attempts: 5, sent_at: null, text_body: null });
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
  it('keeps emails readable at /dev/outbox with DEV_OUTBOX=true and no SMTP server, from this machine only', async () => {
    const app = await startTestApp({ smtpUrl: undefined, devOutbox: true });
    try {
      const to = uniqueEmail('outbox');
      await app.db.transaction((tx) => queueEmail(tx, { to, subject: 'Outbox', text: 'Click here' }));
      const entries = await (await fetch(`${app.url}/dev/outbox?to=${encodeURIComponent(to)}`)).json();
      expect(entries).toEqual([expect.objectContaining({ to, subject: 'Outbox', text: 'Click here' })]);
      const relayed = await fetch(`${app.url}/dev/outbox?to=${encodeURIComponent(to)}`, {
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
      expect([relayed.status, await relayed.text()]).toEqual([404, expect.not.stringContaining('Click here')]);
    } finally {
      await app.close();
    }
  });

  it('does not exist without DEV_OUTBOX=true, beside SMTP_URL, or in production', async () => {
    for (const overrides of [
      { smtpUrl: undefined, devOutbox: false },
      { smtpUrl: 'smtp://127.0.0.1:1', devOutbox: true },
      { smtpUrl: undefined, devOutbox: true, production: true },
    ]) {
      const app = await startTestApp(overrides);
      try {
        const response = await fetch(`${app.url}/dev/outbox`);
        expect({ overrides, type: response.headers.get('content-type') ?? '' }).toEqual({
          overrides,
          type: expect.not.stringMatching(/json/),
        });
      } finally {
        await app.close();
      }
    }
  });

  it('keeps a sent body only for a while, and only in the dev outbox', async () => {
    const app = await startTestApp({ smtpUrl: undefined, devOutbox: true });
    try {
      const kept = uniqueEmail('kept');
      await pendingEmail(app, kept);
      await deliverPendingEmails(app.db, app.config);
      expect(await storedBodies(app, kept)).toEqual(['reset?token=secret']);
      await app.db.query(
        `UPDATE outbound_emails SET sent_at = now() - make_interval(mins => $2 + 1) WHERE recipient = $1`,
        [kept, DEV_OUTBOX_RETENTION_MINUTES],
      );
      await deliverPendingEmails(app.db, app.config);
      expect(await storedBodies(app, kept)).toEqual([null]);
      expect(await (await fetch(`${app.url}/dev/outbox?to=${encodeURIComponent(kept)}`)).json()).toEqual([]);

      const logged = uniqueEmail('logged');
      await pendingEmail(app, logged);
      await deliverPendingEmails(app.db, { ...app.config, devOutbox: false });
      expect(await storedBodies(app, logged)).toEqual([null]);
    } finally {
      await app.close();
    }
  });
});
