import { type SignedUp, type TestApp, signUp, startTestApp } from '../test/harness';
import { expectAuditEvent } from '../test/audit';
import { type SmtpCatcher, decodeQuotedPrintable, startSmtpCatcher } from '../test/smtp-catcher';
import { createContext } from '../kernel/context';
import { API_KEY_NOTICES_JOB, runApiKeyNotices } from './api-key-notices';

const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }`;
const SETTINGS = `mutation($input: UpdateOrganizationSettingsInput!) {
  updateOrganizationSettings(input: $input) { security { apiKeyUnusedRevokeDays } } }`;

let smtp: SmtpCatcher;
let app: TestApp;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
  app = await startTestApp({ smtpUrl: smtp.url, publicUrl: 'https://gatehouse.example.test' });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

/** The job as graphile-worker runs it: a system context, no signed-in principal. */
async function runJob(): Promise<void> {
  const ctx = await createContext(
    { db: app.db, config: app.config, authenticator: { authenticate: async () => ({ auth: null, rejected: false }) } },
    { requestId: 'jobs' },
  );
  await API_KEY_NOTICES_JOB.handler({}, ctx);
}

async function keyWith(owner: SignedUp, name: string, columns: string): Promise<string> {
  const { createApiKey } = await owner.client.ok(CREATE, { input: { name } });
  await app.db.query(`UPDATE api_keys SET ${columns} WHERE id = $1`, [createApiKey.apiKey.id]);
  return createApiKey.apiKey.id;
}

const emailsTo = (to: string, subject: RegExp) =>
  smtp.emails.filter((email) => email.to.includes(to) && subject.test(decodeQuotedPrintable(email.raw))).length;

describe('API key notices (hourly job)', () => {
  it('emails 7 days and 1 day before expiry and after 90 days unused, each once', async () => {
    const owner = await signUp(app);
    await keyWith(owner, 'Week', `expires_at = now() + interval '5 days'`);
    await keyWith(owner, 'Day', `expires_at = now() + interval '12 hours'`);
    await keyWith(owner, 'Idle', `last_used_at = now() - interval '100 days', expires_at = NULL`);
    await keyWith(owner, 'Busy', `last_used_at = now() - interval '1 day', expires_at = NULL`);
    expect(API_KEY_NOTICES_JOB.cron).toBeDefined();
    await runJob();
    const week = decodeQuotedPrintable(
      (await smtp.waitFor(owner.email, /"Week" in Analytical Engines expires within 7 days/)).raw,
    );
    expect(week).toContain('https://gatehouse.example.test/settings/api-keys');
    await smtp.waitFor(owner.email, /"Day" in Analytical Engines expires within a day/);
    await smtp.waitFor(owner.email, /"Idle" in Analytical Engines was last used/);

    // Another run (another hour, another instance): nothing is sent twice.
    await runJob();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(emailsTo(owner.email, /"Week" in Analytical Engines expires within 7 days/)).toBe(1);
    expect(emailsTo(owner.email, /"Idle" in Analytical Engines was last used/)).toBe(1);
    expect(emailsTo(owner.email, /"Busy"/)).toBe(0);

    // The 7-day notice was sent; the 1-day one follows when the key comes within a day.
    await runApiKeyNotices(
      await createContext(
        {
          db: app.db,
          config: app.config,
          authenticator: { authenticate: async () => ({ auth: null, rejected: false }) },
        },
        {},
      ),
      new Date(Date.now() + 4.5 * 86_400_000),
    );
    await smtp.waitFor(owner.email, /"Week" in Analytical Engines expires within a day/);
  });

  it("revokes keys unused for the organization's period, audits it and tells the owner", async () => {
    const owner = await signUp(app);
    const saved = await owner.client.ok(SETTINGS, { input: { security: { apiKeyUnusedRevokeDays: 30 } } });
    expect(saved.updateOrganizationSettings.security.apiKeyUnusedRevokeDays).toBe(30);
    const stale = await keyWith(owner, 'Stale', `last_used_at = now() - interval '40 days'`);
    const fresh = await keyWith(owner, 'Fresh', `last_used_at = now() - interval '10 days'`);
    await runJob();
    const [staleRow, freshRow] = await Promise.all(
      [stale, fresh].map(async (id) => (await app.db.query('SELECT revoked_at FROM api_keys WHERE id = $1', [id]))[0]),
    );
    expect([staleRow.revoked_at !== null, freshRow.revoked_at]).toEqual([true, null]);
    await expectAuditEvent(app.db, {
      organizationId: owner.organizationId,
      category: 'USER_ACTIONS',
      action: 'apiKey.revoked',
      actorId: null,
      targetId: stale,
    });
    await smtp.waitFor(owner.email, /key "Stale" in Analytical Engines had/);
  });
});
