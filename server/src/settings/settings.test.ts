import { STRONG_PASSWORD, TestApp, errorCode, signUp, startTestApp } from '../test/harness';
import { CREATE_API_KEY, INVITE, addMember } from '../test/access-fixtures';
import { expectAuditEvent } from '../test/audit';
import { totpCode } from '../two-factor/totp';

const SETTINGS = `{ organizationSettings {
  general { name dateFormat timeFormat }
  ai { copilotTestDataAccess }
  security { requireTwoFactor authorizedEmailDomains minPasswordLength sessionLifetimeHours apiKeyMaxLifetimeDays allowNeverExpiringApiKeys auditRetentionDays }
} }`;
const UPDATE = `mutation($input: UpdateOrganizationSettingsInput!) {
  updateOrganizationSettings(input: $input) { general { name } }
}`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type Admin = Awaited<ReturnType<typeof signUp>>;

async function settings(admin: Admin) {
  return (await admin.client.ok(SETTINGS)).organizationSettings;
}

async function update(admin: Admin, input: object) {
  return admin.client.ok(UPDATE, { input });
}

describe('organization settings', () => {
  it('starts from safe defaults and saves every field, recording before and after', async () => {
    const admin = await signUp(app);
    expect(await settings(admin)).toEqual({
      general: { name: expect.any(String), dateFormat: 'MM_DD_YYYY', timeFormat: 'H12' },
      ai: { copilotTestDataAccess: false },
      security: {
        requireTwoFactor: false,
        authorizedEmailDomains: [],
        minPasswordLength: 8,
        sessionLifetimeHours: 168,
        apiKeyMaxLifetimeDays: 365,
        allowNeverExpiringApiKeys: false,
        auditRetentionDays: 365,
      },
    });
    await update(admin, {
      general: { name: 'Renamed Co', dateFormat: 'DD_MM_YYYY', timeFormat: 'H24' },
      ai: { copilotTestDataAccess: true },
      security: {
        authorizedEmailDomains: ['Example.com', 'example.com', 'corp.example.org'],
        minPasswordLength: 12,
        sessionLifetimeHours: 24,
        apiKeyMaxLifetimeDays: 90,
        allowNeverExpiringApiKeys: true,
        auditRetentionDays: 30,
      },
    });
    expect(await settings(admin)).toEqual({
      general: { name: 'Renamed Co', dateFormat: 'DD_MM_YYYY', timeFormat: 'H24' },
      ai: { copilotTestDataAccess: true },
      security: {
        requireTwoFactor: false,
        authorizedEmailDomains: ['corp.example.org', 'example.com'],
        minPasswordLength: 12,
        sessionLifetimeHours: 24,
        apiKeyMaxLifetimeDays: 90,
        allowNeverExpiringApiKeys: true,
        auditRetentionDays: 30,
      },
    });
    const event = await expectAuditEvent(app.db, {
      mutation: 'updateOrganizationSettings',
      organizationId: admin.organizationId,
      category: 'SETTING_UPDATES',
      action: 'settings.updated',
      actorId: admin.userId,
      targetId: admin.organizationId,
    });
    expect(event.changes.copilotTestDataAccess).toEqual({ before: false, after: true });
    expect(event.changes.minPasswordLength).toEqual({ before: 8, after: 12 });
    const viewer = await admin.client.ok(`{ viewer { organization { name dateFormat timeFormat } } }`);
    expect(viewer.viewer.organization).toEqual({ name: 'Renamed Co', dateFormat: 'DD_MM_YYYY', timeFormat: 'H24' });
  });

  it.each([
    [{ general: { name: '' } }, 'name'],
    [{ general: { name: 'x'.repeat(65) } }, 'name'],
    [{ security: { authorizedEmailDomains: ['not a domain'] } }, 'authorizedEmailDomains'],
    [{ security: { minPasswordLength: 7 } }, 'minPasswordLength'],
    [{ security: { minPasswordLength: 73 } }, 'minPasswordLength'],
    [{ security: { sessionLifetimeHours: 0 } }, 'sessionLifetimeHours'],
    [{ security: { sessionLifetimeHours: 721 } }, 'sessionLifetimeHours'],
    [{ security: { apiKeyMaxLifetimeDays: 0 } }, 'apiKeyMaxLifetimeDays'],
    [{ security: { auditRetentionDays: 0 } }, 'auditRetentionDays'],
  ])('refuses %j at the field and changes nothing', async (input, field) => {
    const admin = await signUp(app);
    const before = await settings(admin);
    const result = await admin.client.request(UPDATE, { input: { ai: { copilotTestDataAccess: true }, ...input } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toMatch(new RegExp(`${field}$`));
    expect(await settings(admin)).toEqual(before);
  });

  it('lets a Builder read but not change them, and keeps Security for security:manage', async () => {
    const admin = await signUp(app);
    const builder = await addMember(app, admin, 'builder');
    expect((await settings(builder)).ai.copilotTestDataAccess).toBe(false);
    expect(errorCode(await builder.client.request(UPDATE, { input: { ai: { copilotTestDataAccess: true } } }))).toBe(
      'FORBIDDEN',
    );
    const consumer = await addMember(app, admin);
    expect(errorCode(await consumer.client.request(SETTINGS))).toBe('FORBIDDEN');

    const roleId = `settings-only-${admin.userId}`;
    await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions)
       VALUES ($1, $2, 'Settings only', 'TENANT', '{settings:read,settings:manage}')`,
      [roleId, admin.organizationId],
    );
    const manager = await addMember(app, admin, roleId);
    await update(manager, { general: { timeFormat: 'H24' } });
    const refused = await manager.client.request(UPDATE, {
      input: { general: { timeFormat: 'H12' }, security: { minPasswordLength: 20 } },
    });
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect((await settings(admin)).general.timeFormat).toBe('H24');
    expect((await settings(admin)).security.minPasswordLength).toBe(8);
  });
});

describe('the settings take effect', () => {
  it('limits API key lifetimes, or allows keys that never expire', async () => {
    const admin = await signUp(app);
    const never = { name: 'Forever', neverExpires: true };
    expect(errorCode(await admin.client.request(CREATE_API_KEY, { input: never }))).toBe('BAD_USER_INPUT');
    await update(admin, { security: { allowNeverExpiringApiKeys: true, apiKeyMaxLifetimeDays: 30 } });
    await admin.client.ok(CREATE_API_KEY, { input: never });
    const tooLate = new Date(Date.now() + 60 * 86_400_000).toISOString();
    const refused = await admin.client.request(CREATE_API_KEY, { input: { name: 'Late', expiresAt: tooLate } });
    expect([errorCode(refused), refused.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'expiresAt']);
    const viewer = await admin.client.ok(
      `{ viewer { organization { apiKeyLifetime { maxLifetimeDays allowNeverExpiring } } } }`,
    );
    expect(viewer.viewer.organization.apiKeyLifetime).toEqual({ maxLifetimeDays: 30, allowNeverExpiring: true });
  });

  it('raises the minimum password length for new passwords', async () => {
    const admin = await signUp(app);
    await update(admin, { security: { minPasswordLength: 16 } });
    const change = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`;
    const short = await admin.client.request(change, {
      input: { currentPassword: STRONG_PASSWORD, newPassword: 'Short-Pass-12' },
    });
    expect([errorCode(short), short.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'newPassword']);
    await admin.client.ok(change, {
      input: { currentPassword: STRONG_PASSWORD, newPassword: 'A-much-longer-pass-42' },
    });
  });

  it('takes members only from authorized domains, except Admins', async () => {
    const admin = await signUp(app);
    await update(admin, { security: { authorizedEmailDomains: ['example.com'] } });
    const invite = (email: string, roleId: string) =>
      admin.client.request(INVITE, { input: { invitations: [{ email, roleId }] } });
    const outsider = await invite(`outsider-${Date.now()}@elsewhere.test`, 'consumer');
    expect([errorCode(outsider), outsider.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'invitations']);
    expect((await invite(`insider-${Date.now()}@example.com`, 'consumer')).errors).toBeUndefined();
    expect((await invite(`contractor-${Date.now()}@elsewhere.test`, 'admin')).errors).toBeUndefined();
  });

  it('shortens open sessions when the session lifetime goes down', async () => {
    const admin = await signUp(app);
    await app.db.query(`UPDATE sessions SET created_at = now() - interval '3 hours' WHERE user_id = $1`, [
      admin.userId,
    ]);
    await update(admin, { security: { sessionLifetimeHours: 2 } });
    expect((await admin.client.request(`{ viewer { user { id } } }`)).data!.viewer).toBeNull();

    const again = app.client();
    await again.ok(`mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }`, {
      input: { email: admin.email, password: admin.password },
    });
    const [{ hours }] = await app.db.query(
      `SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours FROM sessions
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [admin.userId],
    );
    expect(hours).toBe(2);
  });
});

describe('requiring two-factor authentication', () => {
  const ENROLL = 'mutation { startTwoFactorEnrollment { secret } }';
  const CONFIRM = 'mutation($code: String!) { confirmTwoFactorEnrollment(code: $code) }';

  async function enroll(person: Admin) {
    const { startTwoFactorEnrollment } = await person.client.ok(ENROLL);
    await person.client.ok(CONFIRM, { code: totpCode(startTwoFactorEnrollment.secret) });
  }

  it('needs the Admin to use 2FA first, shows who is affected, then holds members to setting it up', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'builder');
    const refused = await admin.client.request(UPDATE, { input: { security: { requireTwoFactor: true } } });
    expect([errorCode(refused), refused.errors![0].extensions!.field]).toEqual(['CONFLICT', 'requireTwoFactor']);

    const affected = async () =>
      (await admin.client.ok('{ membersWithoutTwoFactor { id } }')).membersWithoutTwoFactor.map(
        (p: { id: string }) => p.id,
      );
    expect((await affected()).sort()).toEqual([admin.userId, member.userId].sort());
    await enroll(admin);
    expect(await affected()).toEqual([member.userId]);
    await update(admin, { security: { requireTwoFactor: true } });

    const viewer = '{ viewer { twoFactorSetupRequired organization { requireTwoFactor } } }';
    expect((await member.client.ok(viewer)).viewer).toEqual({
      twoFactorSetupRequired: true,
      organization: { requireTwoFactor: true },
    });
    expect(errorCode(await member.client.request('{ members { nodes { id } } }'))).toBe('TWO_FACTOR_REQUIRED');
    await enroll(member);
    expect((await member.client.ok(viewer)).viewer.twoFactorSetupRequired).toBe(false);
    await member.client.ok('{ members { nodes { id } } }');
    expect(await affected()).toEqual([]);
  });
});
