import { Client } from 'pg';
import {
  type GraphQLResponse,
  type SignedUp,
  type TestApp,
  type TestClient,
  errorCode,
  signUp,
  startTestApp,
} from '../test/harness';
import { CREATE_API_KEY, addAnotherAdmin, addMember, eventually, withKey } from '../test/access-fixtures';

/**
 * Cached API keys (and sessions, at the end) are dropped by NOTIFYs the database raises itself, so every change below is
 * made with plain SQL, as a script or an operator would, and must stop the key within a second.
 */
const VIEWER = `{ viewer { user { id } permissions } }`;
const SESSIONS = '{ mySessions { id current } }';
const SESSION_VIEWER = '{ viewer { user { id firstName } organization { id } twoFactorSetupRequired } }';

let app: TestApp;
let other: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  other = await startTestApp();
});
afterAll(async () => {
  await other.close();
  await app.close();
});

async function usedKey(owner: SignedUp, on: TestApp = app): Promise<{ id: string; client: TestClient }> {
  const { createApiKey } = await owner.client.ok(CREATE_API_KEY, {
    input: { name: `key-${Math.random().toString(36).slice(2, 8)}` },
  });
  const client = withKey(on, createApiKey.secret);
  expect((await client.ok(VIEWER)).viewer.user.id).toBe(owner.userId);
  return { id: createApiKey.apiKey.id, client };
}

/** The query is asked only once the key is accepted; the default one reads memberships, like most. */
function refusedWithinASecond(client: TestClient, query = VIEWER): Promise<boolean> {
  return eventually(async () => errorCode(await client.request(query)) === 'UNAUTHENTICATED', 1000);
}

describe('access changes made in SQL stop cached keys', () => {
  it('a revocation, on every instance', async () => {
    const owner = await signUp(app);
    const { id, client } = await usedKey(owner);
    const remote = withKey(other, client.bearer!);
    await remote.ok(VIEWER);
    await app.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);
    expect(await refusedWithinASecond(client)).toBe(true);
    expect(await refusedWithinASecond(remote)).toBe(true);
  });

  it('a deleted key', async () => {
    const owner = await signUp(app);
    const { id, client } = await usedKey(owner, other);
    await app.db.query('DELETE FROM api_keys WHERE id = $1', [id]);
    expect(await refusedWithinASecond(client)).toBe(true);
  });

  it('a deactivated membership', async () => {
    const owner = await signUp(app);
    const { client } = await usedKey(owner);
    await addAnotherAdmin(app.db, owner.organizationId);
    await app.db.query(`UPDATE memberships SET status = 'INACTIVE' WHERE user_id = $1`, [owner.userId]);
    expect(await refusedWithinASecond(client)).toBe(true);
  });

  it('a permission taken from a custom role, for every member holding it', async () => {
    const admin = await signUp(app);
    const roleId = `readers-${admin.userId}`;
    await app.db.query(
      `INSERT INTO roles (id, organization_id, name, scope, permissions)
       VALUES ($1, $2, 'Readers', 'TENANT', '{apiKeys:read,apiKeys:manage,members:read}')`,
      [roleId, admin.organizationId],
    );
    const member = await addMember(app, admin, roleId);
    const { client } = await usedKey(member, other);
    expect((await client.ok(VIEWER)).viewer.permissions).toContain('members:read');
    await app.db.query(`UPDATE roles SET permissions = array_remove(permissions, 'members:read') WHERE id = $1`, [
      roleId,
    ]);
    expect(
      await eventually(async () => !(await client.ok(VIEWER)).viewer.permissions.includes('members:read'), 1000),
    ).toBe(true);
  });

  it('a deleted user', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'consumer');
    const { client } = await usedKey(member);
    await app.db.query('DELETE FROM users WHERE id = $1', [member.userId]);
    expect(await refusedWithinASecond(client)).toBe(true);
  });
});

describe('deleteAccount', () => {
  it('stops the keys the account used, at once', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'consumer');
    const { client } = await usedKey(member);
    const remote = withKey(other, client.bearer!);
    await remote.ok(VIEWER);
    await member.client.ok('mutation { deleteAccount(confirmation: "delete my account") }');
    expect(await refusedWithinASecond(client)).toBe(true);
    expect(await refusedWithinASecond(remote)).toBe(true);
  });
});

describe('the triggers', () => {
  /** What the database announces about this test's principals (other tests run alongside), on a connection of our own. */
  async function listen(
    ours: (change: Record<string, unknown>) => boolean,
  ): Promise<{ changes: Record<string, unknown>[]; stop(): Promise<void> }> {
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const changes: Record<string, unknown>[] = [];
    client.on('notification', ({ payload }) => {
      const change = JSON.parse(payload!);
      if (ours(change)) changes.push(change);
    });
    await client.query('LISTEN gatehouse_access_changed');
    return { changes, stop: () => client.end() };
  }

  it('announce group and workspace membership, and stay quiet on bookkeeping', async () => {
    const admin = await signUp(app);
    const member = await addMember(app, admin, 'consumer');
    const [used, marker] = [await usedKey(admin), await usedKey(admin)];
    const organizationId = admin.organizationId;
    const listener = await listen(
      (change) => change.organizationId === organizationId || [used.id, marker.id].includes(change.apiKeyId as string),
    );
    try {
      const [group] = await app.db.query(`INSERT INTO groups (organization_id, name) VALUES ($1, 'Ops') RETURNING id`, [
        organizationId,
      ]);
      await app.db.query('INSERT INTO group_members (group_id, user_id, organization_id) VALUES ($1, $2, $3)', [
        group.id,
        member.userId,
        organizationId,
      ]);
      const [workspace] = await app.db.query(
        `INSERT INTO workspaces (organization_id, name) VALUES ($1, 'Docs') RETURNING id`,
        [organizationId],
      );
      await app.db.query(
        `INSERT INTO workspace_members (workspace_id, organization_id, group_id, role_id) VALUES ($1, $2, $3, 'viewer')`,
        [workspace.id, organizationId, group.id],
      );
      await app.db.query('UPDATE api_keys SET last_used_at = now(), last_used_ip = $2 WHERE id = $1', [
        used.id,
        '10.0.0.1',
      ]);
      await app.db.query(`UPDATE memberships SET last_active_at = now() WHERE user_id = $1`, [member.userId]);
      await app.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [marker.id]);
      // Notifications arrive in commit order: once the marker is in, anything earlier would be too.
      expect(await eventually(async () => listener.changes.some((c) => c.apiKeyId === marker.id))).toBe(true);
      expect(listener.changes.filter((c) => c.apiKeyId !== marker.id)).toEqual([
        { organizationId, userId: member.userId },
        { organizationId },
      ]);
    } finally {
      await listener.stop();
    }
  });
});

describe('a TRUNCATE', () => {
  it('has no rows to name, so it stops every cached key', async () => {
    const tables = await app.db.query(
      `SELECT tgrelid::regclass::text AS name FROM pg_trigger WHERE tgname LIKE '%\\_access\\_truncated' ORDER BY 1`,
    );
    expect(tables.map((t: { name: string }) => t.name)).toEqual([
      'api_keys',
      'group_members',
      'memberships',
      'roles',
      'sessions',
      'users',
      'workspace_members',
    ]);
    const owner = await signUp(app);
    const { id, client } = await usedKey(owner);
    // Revoked behind the triggers' back: the cache keeps the key until something is announced.
    await app.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);
    });
    expect((await client.ok(VIEWER)).viewer.user.id).toBe(owner.userId);
    // The shared tables cannot be truncated under other tests: a table of our own with the same trigger.
    const probe = `truncate_probe_${Math.random().toString(36).slice(2, 10)}`;
    await app.db.transaction(async (tx) => {
      await tx.query(`CREATE TABLE ${probe} (id int)`);
      await tx.query(`CREATE TRIGGER probe AFTER TRUNCATE ON ${probe} EXECUTE FUNCTION access_changed()`);
      await tx.query(`TRUNCATE ${probe}`);
      await tx.query(`DROP TABLE ${probe}`);
    });
    expect(await refusedWithinASecond(client)).toBe(true);
  });
});

describe('a key load overtaken by an invalidation', () => {
  it('is neither cached nor served', async () => {
    const owner = await signUp(app);
    const { createApiKey } = await owner.client.ok(CREATE_API_KEY, { input: { name: 'raced' } });
    const witness = await usedKey(owner);
    // Hold the key's load between reading the key and reading its owner's membership. Requests
    // ask for nothing but __typename, so an accepted key does not wait on the lock too.
    const NOTHING = '{ __typename }';
    const blocker = app.db.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    let inFlight: Promise<GraphQLResponse> | undefined;
    try {
      await blocker.query('LOCK TABLE memberships IN ACCESS EXCLUSIVE MODE');
      inFlight = withKey(app, createApiKey.secret).request(NOTHING);
      const waiting = async () => {
        const [row] = await app.db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%"MembershipEntity"%'`,
        );
        return row.n > 0;
      };
      expect(await eventually(waiting)).toBe(true);
      await app.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [createApiKey.apiKey.id]);
      // A later transaction's NOTIFY arrives after the first one's: once the witness is refused,
      // this instance has processed the revocation while the load was still waiting.
      await app.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [witness.id]);
      expect(await refusedWithinASecond(witness.client, NOTHING)).toBe(true);
    } finally {
      await blocker.commitTransaction();
      await blocker.release();
    }
    expect(errorCode((await inFlight)!)).toBe('UNAUTHENTICATED');
    expect(errorCode(await withKey(app, createApiKey.secret).request(VIEWER))).toBe('UNAUTHENTICATED');
  });
});

/** The same browser session (cookie), presented to the other instance and used there once. */
async function onOther(user: SignedUp): Promise<TestClient> {
  const remote = other.client(user.client.ip);
  remote.cookie = user.client.cookie;
  expect((await remote.ok(SESSION_VIEWER)).viewer.user.id).toBe(user.userId);
  return remote;
}

async function currentSessionId(client: TestClient): Promise<string> {
  return (await client.ok(SESSIONS)).mySessions.find((s: { current: boolean }) => s.current).id;
}

/**
 * Browser sessions are cached like keys and dropped by the same NOTIFYs: a session used (and so
 * cached) on the other instance must be refused there once it ends on this one, or in plain SQL.
 */
describe('a cached session', () => {
  it('ended on one instance is refused by the other', async () => {
    const user = await signUp(app);
    const laptop = app.client();
    await laptop.ok('mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }', {
      input: { email: user.email, password: user.password },
    });
    const remote = await onOther({ ...user, client: laptop });
    await user.client.ok('mutation($id: ID!) { endSession(id: $id) }', { id: await currentSessionId(laptop) });
    expect(await refusedWithinASecond(remote, SESSIONS)).toBe(true);
    expect((await user.client.ok(SESSION_VIEWER)).viewer.user.id).toBe(user.userId);
  });

  it('revoked or deleted in SQL is refused by the other instance', async () => {
    const revoked = await signUp(app);
    const remoteRevoked = await onOther(revoked);
    await app.db.query('UPDATE sessions SET revoked_at = now() WHERE id = $1', [
      await currentSessionId(revoked.client),
    ]);
    expect(await refusedWithinASecond(remoteRevoked, SESSIONS)).toBe(true);

    const deleted = await signUp(app);
    const remoteDeleted = await onOther(deleted);
    await app.db.query('DELETE FROM sessions WHERE id = $1', [await currentSessionId(deleted.client)]);
    expect(await refusedWithinASecond(remoteDeleted, SESSIONS)).toBe(true);
  });

  it('follows changes to its holder and organization on the other instance', async () => {
    const user = await signUp(app);
    const remote = await onOther(user);
    await app.db.query(`UPDATE users SET first_name = 'Renamed' WHERE id = $1`, [user.userId]);
    expect(
      await eventually(async () => (await remote.ok(SESSION_VIEWER)).viewer.user.firstName === 'Renamed', 1000),
    ).toBe(true);
    // The organization's 2FA requirement is part of the session's snapshot.
    await app.db.query('UPDATE organizations SET require_two_factor = true WHERE id = $1', [user.organizationId]);
    expect(
      await eventually(async () => (await remote.ok(SESSION_VIEWER)).viewer.twoFactorSetupRequired === true, 1000),
    ).toBe(true);
  });

  it('writes its last-seen time behind, in a batch, not on every request', async () => {
    const user = await signUp(app);
    const sessionId = await currentSessionId(user.client);
    await app.db.query(`UPDATE sessions SET last_seen_at = now() - interval '1 hour' WHERE id = $1`, [sessionId]);
    await app.db.query(`UPDATE memberships SET last_active_at = NULL WHERE user_id = $1`, [user.userId]);
    await user.client.ok(SESSION_VIEWER);
    const stale = await app.db.query(
      `SELECT last_seen_at < now() - interval '30 minutes' AS old FROM sessions WHERE id = $1`,
      [sessionId],
    );
    expect(stale[0].old).toBe(true);
    await app.flushLastUsed();
    const [seen] = await app.db.query(
      `SELECT s.last_seen_at > now() - interval '1 minute' AS session, m.last_active_at IS NOT NULL AS member
       FROM sessions s JOIN memberships m ON m.user_id = s.user_id AND m.organization_id = s.organization_id
       WHERE s.id = $1`,
      [sessionId],
    );
    expect(seen).toEqual({ session: true, member: true });
  });
});
