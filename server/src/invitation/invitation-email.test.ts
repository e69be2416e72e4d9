import { STRONG_PASSWORD, TestApp, signUp, startTestApp, uniqueEmail } from '../test/harness';
import { SmtpCatcher, decodeQuotedPrintable, startSmtpCatcher } from '../test/smtp-catcher';
import { ACCEPT, INVITE, createGroup, createWorkspace } from '../test/access-fixtures';

const ME = `{ viewer { user { email } role { id } } members(filter: { search: "Katherine" }) {
  nodes { groups { id } workspaces { workspace { id } role { id } } } } }`;

describe('invitation by email through SMTP', () => {
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

  it('invite → email → accept: signed in with the pre-assigned role, groups and workspaces', async () => {
    const admin = await signUp(app);
    const groupId = await createGroup(admin.client, 'Research');
    const workspaceId = await createWorkspace(admin.client, 'Lab');
    const email = uniqueEmail('katherine');
    await admin.client.ok(INVITE, {
      input: {
        invitations: [
          { email, roleId: 'builder', groupIds: [groupId], workspaceRoles: [{ workspaceId, roleId: 'owner' }] },
        ],
      },
    });
    const message = decodeQuotedPrintable((await smtp.waitFor(email, /invited you/)).raw);
    expect(message).toMatch(/Subject: Ada Lovelace invited you to Analytical Engines on Gatehouse/);
    const link = /https:\/\/gatehouse\.example\.test\/accept-invitation\?token=([A-Za-z0-9_-]+)/.exec(message);
    expect(link).not.toBeNull();

    const invited = app.client();
    await invited.ok(ACCEPT, {
      input: { token: link![1], firstName: 'Katherine', lastName: 'Johnson', password: STRONG_PASSWORD },
    });
    const data = await invited.ok(ME);
    expect(data.viewer).toEqual({ user: { email }, role: { id: 'builder' } });
    expect(data.members.nodes).toEqual([
      { groups: [{ id: groupId }], workspaces: [{ workspace: { id: workspaceId }, role: { id: 'owner' } }] },
    ]);
  });
});
