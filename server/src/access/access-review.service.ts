import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import { permissionsInWorkspace } from '../auth/effective-permissions';
import { requireAuth, requireId } from '../auth/policies';
import type { Transaction } from '../db/data-source';
import { withConstraints } from '../db/constraints';
import { AppError } from '../errors/app-error';
import { removeGroupMembers } from '../group/group.service';
import { updateMember } from '../member/member.service';
import { removeWorkspaceMember } from '../workspace/workspace.service';
import {
  AccessReview,
  AccessReviewDecision,
  AccessReviewItem,
  AccessReviewItemKind,
  AccessReviewOutcome,
  AccessReviewStatus,
} from './access-review.types';
import { AccessPathKind, type GrantPath, loadGrantPaths } from './grant-paths';

/** The tenant role every member holds at least; a review takes a higher one back to it. */
const BASE_TENANT_ROLE = 'consumer';

const ONE_OPEN_REVIEW = {
  access_reviews_one_open_key: () =>
    AppError.conflict('An access review of this scope is already open. Complete it before starting another.'),
};

/**
 * The grants a review can remove, from the same paths as the access-review export: tenant roles
 * above the base role, workspace roles held directly, and memberships of groups that hold
 * workspace roles (once per group). An Admin's implicit Owner is not a grant of its own.
 */
function reviewableGrants(paths: GrantPath[], workspaceId: string | null) {
  const seen = new Set<string>();
  const grants: { kind: AccessReviewItemKind; path: GrantPath }[] = [];
  for (const path of paths) {
    if (path.kind === AccessPathKind.ADMIN_OWNER) continue;
    let kind: AccessReviewItemKind;
    if (path.groupId) kind = AccessReviewItemKind.GROUP_MEMBERSHIP;
    else if (path.workspaceId) kind = AccessReviewItemKind.WORKSPACE_ROLE;
    else if (!workspaceId && path.roleId !== BASE_TENANT_ROLE) kind = AccessReviewItemKind.TENANT_ROLE;
    else continue;
    const key = `${kind}:${path.userId}:${path.groupId ?? path.workspaceId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    grants.push({ kind, path });
  }
  return grants;
}

interface ItemRow {
  id: string;
  review_id: string;
  kind: AccessReviewItemKind;
  user_id: string;
  principal_name: string;
  role_name: string | null;
  workspace_id: string | null;
  workspace_name: string | null;
  group_id: string | null;
  group_name: string | null;
  expires_at: Date | null;
  decision: AccessReviewDecision | null;
  outcome: AccessReviewOutcome | null;
  refused_because: string | null;
}

interface ReviewRow {
  id: string;
  workspace_id: string | null;
  status: AccessReviewStatus;
  started_by: string | null;
  started_at: Date;
  completed_at: Date | null;
}

function itemFromRow(row: ItemRow): AccessReviewItem {
  return Object.assign(new AccessReviewItem(), {
    id: row.id,
    kind: row.kind,
    principalId: row.user_id,
    principalName: row.principal_name,
    roleName: row.kind === AccessReviewItemKind.GROUP_MEMBERSHIP ? null : row.role_name,
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
    groupId: row.group_id,
    groupName: row.group_name,
    expiresAt: row.expires_at,
    decision: row.decision,
    outcome: row.outcome,
    refusedBecause: row.refused_because,
  });
}

async function reviewsWithItems(ctx: RequestContext, reviews: ReviewRow[]): Promise<AccessReview[]> {
  const items: ItemRow[] = reviews.length
    ? await ctx.db.query('SELECT * FROM access_review_items WHERE review_id = ANY($1) ORDER BY principal_name, id', [
        reviews.map((r) => r.id),
      ])
    : [];
  return reviews.map((row) => {
    const own = items.filter((item) => item.review_id === row.id);
    return Object.assign(new AccessReview(), {
      id: row.id,
      workspaceId: row.workspace_id,
      status: row.status,
      startedBy: row.started_by,
      startedAt: row.started_at,
      completedAt: row.completed_at,
      removedCount: own.filter((item) => item.outcome === AccessReviewOutcome.REMOVED).length,
      items: own.map(itemFromRow),
    });
  });
}

const REVIEW_COLUMNS = 'id, workspace_id, status, started_by, started_at, completed_at';

/** The organization's access reviews, newest first. */
export async function listAccessReviews(ctx: RequestContext): Promise<AccessReview[]> {
  const rows: ReviewRow[] = await ctx.db.query(
    `SELECT ${REVIEW_COLUMNS} FROM access_reviews WHERE organization_id = $1 ORDER BY started_at DESC, id`,
    [requireAuth(ctx).organizationId],
  );
  return reviewsWithItems(ctx, rows);
}

/** One review of the caller's organization; another organization's is NOT_FOUND. */
export async function getAccessReview(ctx: RequestContext, id: string): Promise<AccessReview> {
  const [row]: ReviewRow[] = await ctx.db.query(
    `SELECT ${REVIEW_COLUMNS} FROM access_reviews WHERE id = $1 AND organization_id = $2`,
    [requireId(id, 'Access review'), requireAuth(ctx).organizationId],
  );
  if (!row) throw AppError.notFound('Access review');
  return (await reviewsWithItems(ctx, [row]))[0];
}

/**
 * Starts a review of the organization (or one workspace the caller can see) by snapshotting its
 * removable grants. One open review per scope, kept by the database.
 */
export async function startAccessReview(ctx: RequestContext, workspaceId?: string | null): Promise<AccessReview> {
  const auth = requireAuth(ctx);
  const scope = workspaceId ? requireId(workspaceId, 'Workspace') : null;
  if (scope) await permissionsInWorkspace(ctx, scope);
  const grants = reviewableGrants(
    await loadGrantPaths(ctx.db.manager, auth.organizationId, { workspaceId: scope }),
    scope,
  );
  const id = await ctx.db.transaction(async (tx) => {
    const [review]: { id: string }[] = await withConstraints(
      () =>
        tx.query(
          'INSERT INTO access_reviews (organization_id, workspace_id, started_by) VALUES ($1, $2, $3) RETURNING id',
          [auth.organizationId, scope, auth.user.id],
        ),
      ONE_OPEN_REVIEW,
    );
    for (const { kind, path } of grants) {
      await tx.query(
        `INSERT INTO access_review_items (review_id, organization_id, kind, user_id, principal_name, role_id, role_name,
           workspace_id, workspace_name, group_id, group_name, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          review.id,
          auth.organizationId,
          kind,
          path.userId,
          path.principalName,
          path.roleId,
          path.roleName,
          kind === AccessReviewItemKind.GROUP_MEMBERSHIP ? null : path.workspaceId,
          kind === AccessReviewItemKind.GROUP_MEMBERSHIP ? null : path.workspaceName,
          path.groupId,
          path.groupName,
          path.expiresAt,
        ],
      );
    }
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessReview.started',
      target: { type: 'accessReview', id: review.id },
      workspaceId: scope,
      changes: { items: { before: null, after: grants.length } },
    });
    return review.id;
  });
  return getAccessReview(ctx, id);
}

async function openReviewForChange(ctx: RequestContext, tx: Transaction, id: string): Promise<ReviewRow> {
  const [row]: ReviewRow[] = await tx.query(
    `SELECT ${REVIEW_COLUMNS} FROM access_reviews WHERE id = $1 AND organization_id = $2 FOR UPDATE`,
    [id, requireAuth(ctx).organizationId],
  );
  if (!row) throw AppError.notFound('Access review');
  if (row.status !== AccessReviewStatus.OPEN) throw AppError.conflict('This access review is already completed.');
  return row;
}

/** Records KEEP or REMOVE for one item of an open review; nothing changes until completion. */
export async function decideAccessReviewItem(
  ctx: RequestContext,
  itemId: string,
  decision: AccessReviewDecision,
): Promise<AccessReviewItem> {
  const auth = requireAuth(ctx);
  return ctx.db.transaction(async (tx) => {
    const [item]: ItemRow[] = await tx.query(
      'SELECT * FROM access_review_items WHERE id = $1 AND organization_id = $2',
      [requireId(itemId, 'Access review item'), auth.organizationId],
    );
    if (!item) throw AppError.notFound('Access review item');
    const review = await openReviewForChange(ctx, tx, item.review_id);
    await tx.query('UPDATE access_review_items SET decision = $2, decided_by = $3 WHERE id = $1', [
      item.id,
      decision,
      auth.user.id,
    ]);
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessReview.itemDecided',
      target: { type: 'accessReviewItem', id: item.id, name: item.principal_name },
      workspaceId: review.workspace_id,
      changes: { decision: { before: item.decision, after: decision } },
    });
    return itemFromRow({ ...item, decision });
  });
}

/**
 * Removes one grant through the service that owns it, so its own checks hold (no escalation,
 * the last Admin and the last workspace Owner) and it records its own audit event.
 */
async function removeGrant(ctx: RequestContext, item: ItemRow): Promise<void> {
  switch (item.kind) {
    case AccessReviewItemKind.TENANT_ROLE:
      await updateMember(ctx, { userId: item.user_id, roleId: BASE_TENANT_ROLE, expiresAt: null });
      return;
    case AccessReviewItemKind.WORKSPACE_ROLE:
      await removeWorkspaceMember(ctx, item.workspace_id!, item.user_id);
      return;
    case AccessReviewItemKind.GROUP_MEMBERSHIP:
      // removeGroupMembers is guarded by groups:manage at its resolver; a review must not bypass that.
      if (!requireAuth(ctx).permissions.has('groups:manage')) throw AppError.missingPermission('groups:manage');
      await removeGroupMembers(ctx, item.group_id!, [item.user_id]);
  }
}

/**
 * Completes an open review: each REMOVE decision is applied in its own transaction by the
 * owning service; a refused one (last Admin, a role above the caller's, a grant gone meanwhile)
 * is reported on its item and the grant stays. Undecided items count as kept.
 */
export async function completeAccessReview(ctx: RequestContext, id: string): Promise<AccessReview> {
  const auth = requireAuth(ctx);
  const reviewId = requireId(id, 'Access review');
  const review = await ctx.db.transaction((tx) => openReviewForChange(ctx, tx, reviewId));
  const items: ItemRow[] = await ctx.db.query(
    `SELECT * FROM access_review_items WHERE review_id = $1 AND decision = 'REMOVE' AND outcome IS NULL ORDER BY id`,
    [reviewId],
  );
  for (const item of items) {
    let outcome = AccessReviewOutcome.REMOVED;
    let refusedBecause: string | null = null;
    try {
      await removeGrant(ctx, item);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcome = AccessReviewOutcome.REFUSED;
      refusedBecause = error.message;
    }
    await ctx.db.query('UPDATE access_review_items SET outcome = $2, refused_because = $3 WHERE id = $1', [
      item.id,
      outcome,
      refusedBecause,
    ]);
  }
  await ctx.db.transaction(async (tx) => {
    await openReviewForChange(ctx, tx, reviewId);
    await tx.query(`UPDATE access_review_items SET outcome = 'KEPT' WHERE review_id = $1 AND outcome IS NULL`, [
      reviewId,
    ]);
    await tx.query(
      `UPDATE access_reviews SET status = 'COMPLETED', completed_by = $2, completed_at = now() WHERE id = $1`,
      [reviewId, auth.user.id],
    );
    const [counts] = await tx.query(
      `SELECT count(*) FILTER (WHERE outcome = 'REMOVED')::int AS removed,
              count(*) FILTER (WHERE outcome = 'REFUSED')::int AS refused,
              count(*) FILTER (WHERE outcome = 'KEPT')::int AS kept,
              count(*) FILTER (WHERE decision IS NULL)::int AS undecided
         FROM access_review_items WHERE review_id = $1`,
      [reviewId],
    );
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessReview.completed',
      target: { type: 'accessReview', id: reviewId },
      workspaceId: review.workspace_id,
      changes: { status: { before: 'OPEN', after: 'COMPLETED' }, result: { before: null, after: counts } },
    });
  });
  return getAccessReview(ctx, reviewId);
}
