import { TestApp, signUp, startTestApp } from '../test/harness';
import { AuditEventEntity } from './audit-event.entity';
import { GENESIS_HASH, auditChainKey, hashAuditEvent } from './audit-chain';
import { rechainWithoutKey } from '../test/audit';
import { keyLegacyAuditChains } from './audit-chain-upgrade';

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
      expect(hashAuditEvent(auditChainKey(app.config), event)).toBe(event.hash);
    });
  });

  it('detects a changed field through the hash', async () => {
    const { organizationId } = await signUp(app);
    const [first] = await chain(organizationId);
    expect(hashAuditEvent(auditChainKey(app.config), { ...first, action: 'user.deleted' })).not.toBe(first.hash);
    expect(
      hashAuditEvent(auditChainKey(app.config), { ...first, changes: { role: { before: 'a', after: 'b' } } }),
    ).not.toBe(first.hash);
  });
});

describe('chains written before the key', () => {
  const VERIFY = `{ verifyAuditLog { ok checkedCount firstBrokenSequence firstSequence } }`;

  /** Puts an organization's chain back the way the unkeyed version wrote it. */
  async function unkey(organizationId: string): Promise<void> {
    await rechainWithoutKey(app.db, organizationId);
    await app.db.query('UPDATE audit_chain_heads SET keyed = false WHERE chain_id = $1', [organizationId]);
  }

  it('re-hashes an intact chain under the key once, and records it in the chain', async () => {
    const admin = await signUp(app);
    await unkey(admin.organizationId);
    const [{ last_hash: unkeyedHead }] = await app.db.query(
      'SELECT last_hash FROM audit_chain_heads WHERE chain_id = $1',
      [admin.organizationId],
    );
    expect((await admin.client.ok(VERIFY)).verifyAuditLog.ok).toBe(false);
    await keyLegacyAuditChains(app.db, app.config);
    await keyLegacyAuditChains(app.db, app.config);
    expect((await admin.client.ok(VERIFY)).verifyAuditLog).toEqual({
      ok: true,
      checkedCount: 4,
      firstBrokenSequence: null,
      firstSequence: 1,
    });
    const events = await chain(admin.organizationId);
    expect(events.map((e) => e.action)).toEqual([
      'user.signedUp',
      'organization.created',
      'apiKey.created',
      'auditLog.chainKeyed',
    ]);
    expect(events[3]).toMatchObject({ actorType: 'SYSTEM', outcome: 'SUCCESS' });
    expect(events[3].changes).toEqual({
      algorithm: { before: 'SHA-256', after: 'HMAC-SHA-256' },
      headHash: { before: unkeyedHead, after: events[2].hash },
    });
  });

  it('leaves a chain that was already broken broken at the same sequence', async () => {
    const admin = await signUp(app);
    await unkey(admin.organizationId);
    await app.db.query(`UPDATE audit_events SET actor_name = 'Mallory' WHERE organization_id = $1 AND sequence = 2`, [
      admin.organizationId,
    ]);
    await keyLegacyAuditChains(app.db, app.config);
    expect((await admin.client.ok(VERIFY)).verifyAuditLog).toMatchObject({ ok: false, firstBrokenSequence: 2 });
    const [keyed] = await app.db.query(
      `SELECT outcome, failure_reason FROM audit_events WHERE organization_id = $1 AND action = 'auditLog.chainKeyed'`,
      [admin.organizationId],
    );
    expect(keyed).toEqual({ outcome: 'FAILURE', failure_reason: 'The unkeyed chain was already broken at sequence 2' });
  });
});

describe('chain key', () => {
  it('uses AUDIT_CHAIN_KEY when set, else a key derived from the secrets key, never the secrets key itself', () => {
    const secretsKey = Buffer.alloc(32, 7).toString('base64');
    const chainKey = Buffer.alloc(32, 9).toString('base64');
    const base = { secretsKey, dataDir: app.config.dataDir };
    const derived = auditChainKey({ ...base, auditChainKey: undefined });
    expect(derived).toHaveLength(32);
    expect(derived.equals(Buffer.from(secretsKey, 'base64'))).toBe(false);
    expect(auditChainKey({ ...base, auditChainKey: chainKey }).equals(Buffer.from(chainKey, 'base64'))).toBe(true);
    expect(() => auditChainKey({ ...base, auditChainKey: Buffer.alloc(16).toString('base64') })).toThrow(
      /AUDIT_CHAIN_KEY/,
    );
  });
});
