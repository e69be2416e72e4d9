import { TestApp, TestClient, errorCode, signUp, startTestApp } from '../test/harness';
import { expectAuditEvent } from '../test/audit';
import { SET_WORKSPACE_ROLE, addMember, createGroup, createWorkspace } from '../test/access-fixtures';

const ITEM_FIELDS = 'id kind principalId principalName roleName workspaceId groupId decision outcome refusedBecause';
const REVIEW_FIELDS = `id status workspaceId startedAt completedAt removedCount items { ${ITEM_FIELDS} }`;
const START = `mutation($w: ID) { startAccessReview(workspaceId: $w) { ${REVIEW_FIELDS} } }`;
const REVIEWS = `{ accessReviews { ${REVIEW_FIELDS} } }`;
const REVIEW = `query($id: ID!) { accessReview(id: $id) { ${REVIEW_FIELDS} } }`;
const DECIDE = `mutation($i: ID!, $d: AccessReviewDecision!) { decideAccessReviewItem(itemId: $i, decision: $d) { ${ITEM_FIELDS} } }`;
const COMPLETE = `mutation($id: ID!) { completeAccessReview(id: $id) { ${REVIEW_FIELDS} } }`;
const ADD_TO_GROUP = `mutation($g: ID!, $p: [ID!]!) { addGroupMembers(groupId: $g, principalIds: $p) { id } }`;

interface Item {
  id: string;
  kind: string;
  principalId: string;
  roleName: string | null;
  workspaceId: string | null;
  groupId: string | null;
  decision: string | null;
  outcome: string | null;
  refusedBecause: string | null;
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** An organization with a Builder in a workspace (directly) and in a group that holds a role there. */
async function organization() {
  const admin = await signUp(app);
  const workspaceId = await createWorkspace(admin.client, 'Ledger');
  const builder = await addMember(app, admin, 'builder', { workspaceRoles: [{ workspaceId, roleId: 'contributor' }] });
  const groupId = await createGroup(admin.client, 'Finance');
  await admin.client.ok(SET_WORKSPACE_ROLE, { input: { workspaceId, principalId: groupId, roleId: 'viewer' } });
  await admin.client.ok(ADD_TO_GROUP, { g: groupId, p: [builder.userId] });
  return { admin, workspaceId, builder, groupId };
}

const find = (items: Item[], kind: string, principalId: string) =>
  items.find((item) => item.kind === kind && item.principalId === principalId)!;

/** Starts a review as `client`, marks these grants REMOVE, completes it, and returns the completed review. */
async function removeInReview(client: TestClient, grants: [kind: string, principalId: string][]) {
  const { startAccessReview: review } = await client.ok(START);
  for (const [kind, principalId] of grants) {
    await client.ok(DECIDE, { i: find(review.items, kind, principalId).id, d: 'REMOVE' });
  }
  return (await client.ok(COMPLETE, { id: review.id })).completeAccessReview;
}

describe('access reviews', () => {
  it('snapshots the grants, takes decisions, and removes exactly the REMOVE ones on completion, audited', async () => {
    const { admin, workspaceId, builder, groupId } = await organization();
    const { startAccessReview: review } = await admin.client.ok(START);
    expect(review.status).toBe('OPEN');
    await expectAuditEvent(app.db, {
      mutation: 'startAccessReview',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessReview.started',
      actorId: admin.userId,
      targetId: review.id,
    });
    const items: Item[] = review.items;
    const tenant = find(items, 'TENANT_ROLE', builder.userId);
    const direct = find(items, 'WORKSPACE_ROLE', builder.userId);
    const group = find(items, 'GROUP_MEMBERSHIP', builder.userId);
    expect(tenant).toMatchObject({ roleName: 'Builder', workspaceId: null, decision: null });
    expect(direct).toMatchObject({ roleName: 'Contributor', workspaceId });
    expect(group).toMatchObject({ groupId, roleName: null });
    expect(find(items, 'TENANT_ROLE', admin.userId)).toMatchObject({ roleName: 'Admin' });
    // The Admin is Owner of the workspace it created; Consumers hold only the base role, which is not reviewed.
    expect(find(items, 'WORKSPACE_ROLE', admin.userId)).toMatchObject({ roleName: 'Owner', workspaceId });
    expect(items).toHaveLength(5);
    expect(items.filter((item) => item.kind === 'TENANT_ROLE')).toHaveLength(2);

    const listed = await admin.client.ok(REVIEWS);
    expect(listed.accessReviews.map((r: { id: string }) => r.id)).toEqual([review.id]);

    const decided = await admin.client.ok(DECIDE, { i: direct.id, d: 'REMOVE' });
    expect(decided.decideAccessReviewItem).toMatchObject({ id: direct.id, decision: 'REMOVE', outcome: null });
    await expectAuditEvent(app.db, {
      mutation: 'decideAccessReviewItem',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessReview.itemDecided',
      actorId: admin.userId,
      targetId: direct.id,
    });
    await admin.client.ok(DECIDE, { i: group.id, d: 'REMOVE' });
    await admin.client.ok(DECIDE, { i: tenant.id, d: 'KEEP' });
    // Until completion nothing changes.
    const [stillThere] = await app.db.query('SELECT count(*)::int AS n FROM workspace_members WHERE user_id = $1', [
      builder.userId,
    ]);
    expect(stillThere.n).toBe(1);

    const { completeAccessReview: done } = await admin.client.ok(COMPLETE, { id: review.id });
    expect(done).toMatchObject({ status: 'COMPLETED', removedCount: 2 });
    expect(done.completedAt).not.toBeNull();
    expect(find(done.items, 'WORKSPACE_ROLE', builder.userId).outcome).toBe('REMOVED');
    expect(find(done.items, 'GROUP_MEMBERSHIP', builder.userId).outcome).toBe('REMOVED');
    expect(find(done.items, 'TENANT_ROLE', builder.userId).outcome).toBe('KEPT');
    expect(find(done.items, 'TENANT_ROLE', admin.userId).outcome).toBe('KEPT');

    const [{ ws, groups, role }] = await app.db.query(
      `SELECT (SELECT count(*)::int FROM workspace_members WHERE user_id = $1) AS ws,
              (SELECT count(*)::int FROM group_members WHERE user_id = $1) AS groups,
              (SELECT role_id FROM memberships WHERE user_id = $1 AND organization_id = $2) AS role`,
      [builder.userId, admin.organizationId],
    );
    expect({ ws, groups, role }).toEqual({ ws: 0, groups: 0, role: 'builder' });
    // The group keeps its role in the workspace; only the membership went.
    const [groupRole] = await app.db.query('SELECT role_id FROM workspace_members WHERE group_id = $1', [groupId]);
    expect(groupRole.role_id).toBe('viewer');

    await expectAuditEvent(app.db, {
      mutation: 'completeAccessReview',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'workspace.memberRemoved',
      actorId: admin.userId,
      targetId: builder.userId,
    });
    await expectAuditEvent(app.db, {
      mutation: 'completeAccessReview',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'group.membersRemoved',
      actorId: admin.userId,
      targetId: groupId,
    });
    const completed = await expectAuditEvent(app.db, {
      mutation: 'completeAccessReview',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessReview.completed',
      actorId: admin.userId,
      targetId: review.id,
    });
    expect(completed.changes.result.after).toEqual({ removed: 2, refused: 0, kept: 3, undecided: 2 });

    // A completed review takes no more decisions, and a new one may start.
    expect(errorCode(await admin.client.request(DECIDE, { i: tenant.id, d: 'REMOVE' }))).toBe('CONFLICT');
    expect(errorCode(await admin.client.request(COMPLETE, { id: review.id }))).toBe('CONFLICT');
    await admin.client.ok(START);
  });

  it('refuses and reports removing the last Admin, and completes the rest', async () => {
    const { admin, builder } = await organization();
    const done = await removeInReview(admin.client, [
      ['TENANT_ROLE', admin.userId],
      ['TENANT_ROLE', builder.userId],
    ]);
    expect(find(done.items, 'TENANT_ROLE', admin.userId)).toMatchObject({ outcome: 'REFUSED' });
    expect(find(done.items, 'TENANT_ROLE', admin.userId).refusedBecause).toMatch(/at least one active Admin/);
    expect(find(done.items, 'TENANT_ROLE', builder.userId).outcome).toBe('REMOVED');
    expect(done.removedCount).toBe(1);
    const roles = await app.db.query('SELECT user_id, role_id FROM memberships WHERE organization_id = $1', [
      admin.organizationId,
    ]);
    expect(Object.fromEntries(roles.map((r: { user_id: string; role_id: string }) => [r.user_id, r.role_id]))).toEqual({
      [admin.userId]: 'admin',
      [builder.userId]: 'consumer',
    });
    await expectAuditEvent(app.db, {
      mutation: 'completeAccessReview',
      organizationId: admin.organizationId,
      category: 'SYSTEM_CONFIGURATION',
      action: 'member.updated',
      actorId: admin.userId,
      targetId: builder.userId,
    });
  });

  it('gives no more power than the reviewer holds: removals beyond it are refused and reported', async () => {
    const { admin, builder, groupId } = await organization();
    const { createRole } = await admin.client.ok(
      'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }',
      { input: { name: 'Access reviewer', scope: 'TENANT', permissions: ['members:read', 'members:manage'] } },
    );
    const reviewer = await addMember(app, admin, createRole.id);
    const done = await removeInReview(reviewer.client, [
      ['GROUP_MEMBERSHIP', builder.userId],
      ['TENANT_ROLE', admin.userId],
    ]);
    expect(find(done.items, 'GROUP_MEMBERSHIP', builder.userId)).toMatchObject({ outcome: 'REFUSED' });
    expect(find(done.items, 'GROUP_MEMBERSHIP', builder.userId).refusedBecause).toMatch(/groups:manage/);
    expect(find(done.items, 'TENANT_ROLE', admin.userId).outcome).toBe('REFUSED');
    expect(done.removedCount).toBe(0);
    const [{ n }] = await app.db.query(
      'SELECT count(*)::int AS n FROM group_members WHERE group_id = $1 AND user_id = $2',
      [groupId, builder.userId],
    );
    expect(n).toBe(1);
    const [{ role_id }] = await app.db.query(
      'SELECT role_id FROM memberships WHERE user_id = $1 AND organization_id = $2',
      [admin.userId, admin.organizationId],
    );
    expect(role_id).toBe('admin');
  });

  it('allows one open review per scope, enforced by the database', async () => {
    const { admin, workspaceId } = await organization();
    await admin.client.ok(START);
    expect(errorCode(await admin.client.request(START))).toBe('CONFLICT');
    // A workspace is a scope of its own, and only its grants are reviewed.
    const { startAccessReview: scoped } = await admin.client.ok(START, { w: workspaceId });
    expect(scoped.workspaceId).toBe(workspaceId);
    expect(scoped.items.every((item: Item) => item.kind !== 'TENANT_ROLE')).toBe(true);
    expect(scoped.items.length).toBeGreaterThan(0);
    expect(errorCode(await admin.client.request(START, { w: workspaceId }))).toBe('CONFLICT');
  });

  it('needs members:manage, and answers NOT_FOUND for another organization’s ids', async () => {
    const { admin, builder, workspaceId } = await organization();
    const { startAccessReview: review } = await admin.client.ok(START);
    const item = review.items[0];

    expect(errorCode(await builder.client.request(START))).toBe('FORBIDDEN');
    expect(errorCode(await builder.client.request(REVIEWS))).toBe('FORBIDDEN');
    expect(errorCode(await builder.client.request(REVIEW, { id: review.id }))).toBe('FORBIDDEN');
    expect(errorCode(await builder.client.request(DECIDE, { i: item.id, d: 'REMOVE' }))).toBe('FORBIDDEN');
    expect(errorCode(await builder.client.request(COMPLETE, { id: review.id }))).toBe('FORBIDDEN');
    expect((await admin.client.ok(REVIEW, { id: review.id })).accessReview.id).toBe(review.id);

    const other = await signUp(app);
    expect(errorCode(await other.client.request(REVIEW, { id: review.id }))).toBe('NOT_FOUND');
    expect(errorCode(await other.client.request(DECIDE, { i: item.id, d: 'REMOVE' }))).toBe('NOT_FOUND');
    expect(errorCode(await other.client.request(COMPLETE, { id: review.id }))).toBe('NOT_FOUND');
    expect(errorCode(await other.client.request(START, { w: workspaceId }))).toBe('NOT_FOUND');
    expect((await other.client.ok(REVIEWS)).accessReviews).toEqual([]);
    const [untouched] = await app.db.query(
      'SELECT decision, status FROM access_review_items i JOIN access_reviews r ON r.id = i.review_id WHERE i.id = $1',
      [item.id],
    );
    expect(untouched).toEqual({ decision: null, status: 'OPEN' });
  });
});
