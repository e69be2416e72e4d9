import type { RequestContext } from '../kernel/context';
import { record } from '../audit-log/audit-log.service';
import { loadGrantPaths } from '../access/grant-paths';
import {
  assertMayGrantInWorkspace,
  assertMayGrantTenantPermissions,
  permissionsHeldEverywhere,
  permissionsInWorkspace,
  workspacePermissions,
} from '../auth/effective-permissions';
import { requireAuth, requireId, requirePermission } from '../auth/policies';
import { withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { queueEmail } from '../mail/mail.service';
import { changeMembership, humanMemberForChange } from '../member/member.service';
import { permissionsOfRole } from '../role/role-permissions';
import { requireRole } from '../role/role.service';
import { Workspace } from '../workspace/workspace.types';
import { grantWorkspaceRole } from '../workspace/workspace.service';
import type { ApproveAccessRequestInput, DenyAccessRequestInput, RequestAccessInput } from './access-request.inputs';
import { AccessRequest, AccessRequestStatus } from './access-request.types';

interface RequestRow {
  id: string;
  organization_id: string;
  requester_id: string;
  requester_name: string;
  role_id: string;
  role_name: string;
  role_built_in: boolean;
  role_permissions: string[];
  workspace_id: string | null;
  workspace_name: string | null;
  workspace_description: string | null;
  workspace_created_at: Date | null;
  workspace_created_by: string | null;
  duration_minutes: number;
  reason: string;
  status: AccessRequestStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
  granted_until: Date | null;
  created_at: Date;
}

const SELECT = `SELECT ar.*, r.name AS role_name, r.built_in AS role_built_in, r.permissions AS role_permissions,
    w.name AS workspace_name, w.description AS workspace_description, w.created_at AS workspace_created_at,
    w.created_by AS workspace_created_by,
    coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email) AS requester_name
  FROM access_requests ar JOIN roles r ON r.id = ar.role_id JOIN users u ON u.id = ar.requester_id
  LEFT JOIN workspaces w ON w.id = ar.workspace_id`;

const ONE_PENDING = {
  access_requests_one_pending_key: () =>
    AppError.conflict('You already asked for this role here: wait for the answer to that request.'),
};

function permissionsAsked(row: RequestRow): string[] {
  return permissionsOfRole({ id: row.role_id, builtIn: row.role_built_in, permissions: row.role_permissions });
}

function what(row: RequestRow): string {
  return row.workspace_name ? `${row.role_name} in workspace "${row.workspace_name}"` : `the ${row.role_name} role`;
}

function toAccessRequest(row: RequestRow, viewerCanDecide: boolean): AccessRequest {
  return Object.assign(new AccessRequest(), {
    id: row.id,
    requesterId: row.requester_id,
    roleId: row.role_id,
    decidedById: row.decided_by,
    workspace: row.workspace_id
      ? Workspace.from({
          id: row.workspace_id,
          name: row.workspace_name!,
          description: row.workspace_description ?? '',
          createdAt: row.workspace_created_at!,
          createdBy: row.workspace_created_by,
        })
      : null,
    durationMinutes: row.duration_minutes,
    reason: row.reason,
    status: row.status,
    decidedAt: row.decided_at,
    decisionComment: row.decision_comment,
    grantedUntil: row.granted_until,
    createdAt: row.created_at,
    viewerCanDecide,
  });
}

async function loadRequest(ctx: RequestContext, tx: Transaction, id: string, lock = false): Promise<RequestRow> {
  const [row]: RequestRow[] = await tx.query(
    `${SELECT} WHERE ar.id = $1 AND ar.organization_id = $2${lock ? ' FOR UPDATE OF ar' : ''}`,
    [requireId(id, 'Access request'), requireAuth(ctx).organizationId],
  );
  if (!row) throw AppError.notFound('Access request');
  return row;
}

/**
 * Whether the caller could grant what was asked: the same no-escalation rules as giving the role
 * by hand (members:manage and every permission of a tenant role; the workspace's
 * members:manage and every permission of a workspace role there). Nobody decides their own.
 */
async function mayDecide(ctx: RequestContext, row: RequestRow): Promise<boolean> {
  const auth = requireAuth(ctx);
  if (row.requester_id === auth.user.id) return false;
  const asked = permissionsAsked(row);
  if (!row.workspace_id) {
    const held = permissionsHeldEverywhere(ctx);
    return auth.permissions.has('members:manage') && asked.every((p) => held.has(p));
  }
  const held = (await workspacePermissions(ctx)).get(row.workspace_id);
  return Boolean(held?.has('workspace:members:manage') && asked.every((p) => held.has(p)));
}

/** Refuses, and records the refused attempt, when the caller may not decide this request. */
async function assertMayDecide(ctx: RequestContext, row: RequestRow, action: string): Promise<void> {
  try {
    if (row.requester_id === requireAuth(ctx).user.id) {
      throw AppError.forbidden('You cannot decide your own access request: another approver must.');
    }
    if (row.workspace_id) {
      await assertMayGrantInWorkspace(ctx, row.workspace_id, permissionsAsked(row));
    } else {
      requirePermission(ctx, 'members:manage');
      assertMayGrantTenantPermissions(ctx, permissionsAsked(row));
    }
  } catch (error) {
    if (error instanceof AppError && error.code === 'FORBIDDEN') {
      await ctx.db.transaction((tx) =>
        record(ctx, tx, {
          category: 'SYSTEM_CONFIGURATION',
          action,
          outcome: 'FAILURE',
          failureReason: error.message,
          target: { type: 'accessRequest', id: row.id, name: what(row) },
          workspaceId: row.workspace_id,
        }),
      );
    }
    throw error;
  }
}

/** The active members who could approve: the addresses the request is mailed to. */
async function approverEmails(tx: Transaction, row: RequestRow): Promise<string[]> {
  const paths = await loadGrantPaths(tx, row.organization_id, { workspaceId: row.workspace_id });
  const held = new Map<string, { email: string | null; permissions: Set<string> }>();
  for (const path of paths) {
    if (path.workspaceId !== row.workspace_id) continue;
    const entry = held.get(path.userId) ?? { email: path.principalEmail, permissions: new Set<string>() };
    for (const permission of path.permissions) entry.permissions.add(permission);
    held.set(path.userId, entry);
  }
  const manage = row.workspace_id ? 'workspace:members:manage' : 'members:manage';
  const asked = permissionsAsked(row);
  return [...held]
    .filter(([userId, { email, permissions }]) => {
      return userId !== row.requester_id && email && permissions.has(manage) && asked.every((p) => permissions.has(p));
    })
    .map(([, { email }]) => email!);
}

export async function requestAccess(ctx: RequestContext, input: RequestAccessInput): Promise<AccessRequest> {
  const auth = requireAuth(ctx);
  return ctx.db.transaction(async (tx) => {
    const workspaceId = input.workspaceId ? requireId(input.workspaceId, 'Workspace') : null;
    const role = await requireRole(ctx, tx, input.roleId, workspaceId ? 'WORKSPACE' : 'TENANT');
    // Elevation within a workspace the member already sees: one they cannot see does not exist for
    // them, so a request must not confirm it or reveal its name.
    if (workspaceId) await permissionsInWorkspace(ctx, workspaceId);
    const [{ id }] = await withConstraints(
      () =>
        tx.query(
          `INSERT INTO access_requests (organization_id, requester_id, role_id, workspace_id, duration_minutes, reason)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [auth.organizationId, auth.user.id, role.id, workspaceId, input.durationMinutes, input.reason.trim()],
        ),
      ONE_PENDING,
    );
    const row = await loadRequest(ctx, tx, id);
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'accessRequest.created',
      target: { type: 'accessRequest', id, name: what(row) },
      workspaceId,
      changes: {
        role: { before: null, after: role.id },
        durationMinutes: { before: null, after: input.durationMinutes },
      },
    });
    const link = `${ctx.config.publicUrl}/settings/access-requests`;
    for (const to of await approverEmails(tx, row)) {
      await queueEmail(tx, {
        to,
        subject: `${row.requester_name} asks for ${what(row)}`,
        text: [
          `${row.requester_name} asks for ${what(row)} for ${input.durationMinutes} minutes.`,
          '',
          `Reason: ${row.reason}`,
          '',
          `Approve or deny: ${link}`,
        ].join('\n'),
      });
    }
    return toAccessRequest(row, false);
  });
}

/** The caller's own requests and those they could decide, newest first. */
export async function listAccessRequests(
  ctx: RequestContext,
  status?: AccessRequestStatus | null,
): Promise<AccessRequest[]> {
  const auth = requireAuth(ctx);
  const rows: RequestRow[] = await ctx.db.query(
    `${SELECT} WHERE ar.organization_id = $1 AND ($2::text IS NULL OR ar.status = $2)
     ORDER BY ar.created_at DESC LIMIT 200`,
    [auth.organizationId, status ?? null],
  );
  const result: AccessRequest[] = [];
  for (const row of rows) {
    const canDecide = await mayDecide(ctx, row);
    if (canDecide || row.requester_id === auth.user.id) {
      result.push(toAccessRequest(row, canDecide && row.status === AccessRequestStatus.PENDING));
    }
  }
  return result;
}

async function decide(
  ctx: RequestContext,
  id: string,
  action: 'accessRequest.approved' | 'accessRequest.denied',
  apply: (tx: Transaction, row: RequestRow) => Promise<{ status: AccessRequestStatus; until: Date | null }>,
  comment: string | null,
): Promise<AccessRequest> {
  await assertMayDecide(ctx, await loadRequest(ctx, ctx.db.manager, id), action);
  return ctx.db.transaction(async (tx) => {
    const row = await loadRequest(ctx, tx, id, true);
    if (row.status !== AccessRequestStatus.PENDING) {
      throw AppError.conflict(`This request was already ${row.status.toLowerCase()}.`);
    }
    const { status, until } = await apply(tx, row);
    await tx.query(
      `UPDATE access_requests SET status = $2, decided_by = $3, decided_at = now(), decision_comment = $4,
         granted_until = $5 WHERE id = $1`,
      [row.id, status, requireAuth(ctx).user.id, comment, until],
    );
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action,
      target: { type: 'accessRequest', id: row.id, name: what(row) },
      workspaceId: row.workspace_id,
      changes: {
        status: { before: row.status, after: status },
        ...(until ? { grantedUntil: { before: null, after: until.toISOString() } } : {}),
      },
    });
    const [requester] = await tx.query('SELECT email FROM users WHERE id = $1', [row.requester_id]);
    if (requester?.email) {
      await queueEmail(tx, {
        to: requester.email,
        subject: `Your request for ${what(row)} was ${status.toLowerCase()}`,
        text: [
          `Your request for ${what(row)} was ${status.toLowerCase()}${until ? ` until ${until.toUTCString()}` : ''}.`,
          ...(comment ? ['', `Comment: ${comment}`] : []),
        ].join('\n'),
      });
    }
    return toAccessRequest(await loadRequest(ctx, tx, row.id), false);
  });
}

/** Approves, for the time asked or less, and grants the role until then through the usual checks. */
export function approveAccessRequest(ctx: RequestContext, input: ApproveAccessRequestInput): Promise<AccessRequest> {
  return decide(
    ctx,
    input.id,
    'accessRequest.approved',
    async (tx, row) => {
      const minutes = input.durationMinutes ?? row.duration_minutes;
      if (minutes > row.duration_minutes) {
        throw AppError.badInput('durationMinutes', 'Approve for the time asked or less.');
      }
      const until = new Date(Date.now() + minutes * 60_000);
      if (row.workspace_id) {
        await grantWorkspaceRole(ctx, tx, {
          workspaceId: row.workspace_id,
          principalId: row.requester_id,
          roleId: row.role_id,
          expiresAt: until,
        });
      } else {
        const membership = await humanMemberForChange(ctx, tx, row.requester_id);
        await changeMembership(
          ctx,
          tx,
          membership,
          { roleId: row.role_id, expiresAt: until },
          {
            action: 'member.updated',
            target: { type: 'user', id: membership.userId, name: membership.user.displayName },
          },
        );
      }
      return { status: AccessRequestStatus.APPROVED, until };
    },
    input.comment?.trim() || null,
  );
}

export function denyAccessRequest(ctx: RequestContext, input: DenyAccessRequestInput): Promise<AccessRequest> {
  return decide(
    ctx,
    input.id,
    'accessRequest.denied',
    async () => ({ status: AccessRequestStatus.DENIED, until: null }),
    input.comment.trim(),
  );
}
