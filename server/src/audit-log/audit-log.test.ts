import { TestApp, signUp, startTestApp } from '../test/harness';
import { AuditEventEntity } from './audit-event.entity';
import { GENESIS_HASH, hashAuditEvent } from './audit-chain';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function chain(organizationId: string): Promise<AuditEventEntity[]> {
  return app.db.getRepository(AuditEventEntity).find({ where: { organizationId }, order: { sequence: 'ASC' } });
}

describe('audit trail', () => {
  it('records who did what, from where, with a per-organization sequence', async () => {
    const { client, organizationId, userId } = await signUp(app);
    await client.ok(`mutation { updateProfile(input: { lastName: "Byron" }) { id } }`);
    const events = await chain(organizationId);
    expect(events.map((e) => [e.sequence, e.category, e.action])).toEqual([
      [1, 'USER_ACTIONS', 'user.signedUp'],
      [2, 'SYSTEM_CONFIGURATION', 'organization.created'],
      [3, 'USER_ACTIONS', 'apiKey.created'],
      [4, 'USER_ACTIONS', 'user.profileUpdated'],
    ]);
    const last = events[3];
    expect(last).toMatchObject({
      actorType: 'USER',
      actorId: userId,
      actorName: 'Ada Lovelace',
      targetType: 'user',
      targetId: userId,
      ip: client.ip,
      userAgent: 'gatehouse-tests',
      outcome: 'SUCCESS',
      changes: { lastName: { before: 'Lovelace', after: 'Byron' } },
    });
    expect(last.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never stores a password in the changes', async () => {
    const { client, organizationId, password } = await signUp(app);
    await client.ok(`mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`, {
      input: { currentPassword: password, newPassword: 'Another-Secret-99' },
    });
    const rows = await app.db.query(
      'SELECT row_to_json(e)::text AS row FROM audit_events e WHERE organization_id = $1',
      [organizationId],
    );
    const text = rows.map((r: { row: string }) => r.row).join('\n');
    expect(text).toContain('user.passwordChanged');
    expect(text).not.toContain(password);
    expect(text).not.toContain('Another-Secret-99');
  });

  it('links every event to the previous one by hash, without gaps under parallel writes', async () => {
    const { client, organizationId } = await signUp(app);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.ok(`mutation($name: String!) { updateProfile(input: { firstName: $name }) { id } }`, { name: `N${i}` }),
      ),
    );
    const events = await chain(organizationId);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    events.forEach((event, i) => {
      expect(event.previousHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1].hash);
      expect(hashAuditEvent(event)).toBe(event.hash);
    });
  });

  it('detects a changed field through the hash', async () => {
    const { organizationId } = await signUp(app);
    const [first] = await chain(organizationId);
    expect(hashAuditEvent({ ...first, action: 'user.deleted' })).not.toBe(first.hash);
    expect(hashAuditEvent({ ...first, changes: { role: { before: 'a', after: 'b' } } })).not.toBe(first.hash);
  });
});
