import type { RequestContext } from '../kernel/context';
import { assertMayGrantInWorkspace } from '../auth/effective-permissions';
import { requireAuth, requireId } from '../auth/policies';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { MembershipEntity } from '../organization/membership.entity';
import { permissionsOfRole } from '../role/role-permissions';
import { requireRole } from '../role/role.service';
import type { WorkspaceRoleInput } from '../workspace/workspace.inputs';

/*
 * What members, groups, invitations, service accounts and workspaces all need when someone
 * is given access: the principals and groups named must belong to the caller's organization,
 * and the caller must hold every permission handed over. Kept here, beside no domain service,
 * so those services depend on this module instead of on each other.
 */

/** A time-bound grant as stored: the role, until when, and the role it replaced (null: none). */
export interface GrantTerm {
  roleId: string | null;
  expiresAt: Date | null;
  baseRoleId: string | null;
}

export function isoOrNull(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/**
 * What a grant becomes when `roleId` is given with `expiresAt`: a date makes it time-bound,
 * reverting to the role held before (kept through extensions, so a chain of grants still ends
 * where it began); null makes it permanent; leaving it out keeps the current term when the role
 * stays and makes a new role permanent. A time-bound grant that changes nothing is refused.
 */
export function timeBoundTerm(
  current: GrantTerm,
  roleId: string,
  expiresAt: Date | null | undefined,
  field = 'expiresAt',
): { expiresAt: Date | null; baseRoleId: string | null } {
  if (expiresAt === undefined) {
    return roleId === current.roleId ? { expiresAt: current.expiresAt, baseRoleId: current.baseRoleId } : permanent;
  }
  if (expiresAt === null) return permanent;
  if (expiresAt.getTime() <= Date.now()) throw AppError.badInput(field, 'Choose a time in the future.');
  const baseRoleId = current.expiresAt ? current.baseRoleId : current.roleId;
  if (baseRoleId === roleId) {
    throw AppError.badInput(
      field,
      'This role is already held without an end; choose a different role to give until then.',
    );
  }
  return { expiresAt, baseRoleId };
}

const permanent = { expiresAt: null, baseRoleId: null };

/**
 * Memberships of the caller's organization for these users or service accounts; any id that
 * is not one of them answers NOT_FOUND, like an id from another organization.
 */
export async function requireOrganizationMembers(
  ctx: RequestContext,
  tx: Transaction,
  userIds: readonly string[],
): Promise<MembershipEntity[]> {
  const ids = [...new Set(userIds.map((id) => requireId(id, 'Member')))];
  const memberships = ids.length
    ? await tx
        .getRepository(MembershipEntity)
        .createQueryBuilder('m')
        .innerJoinAndSelect('m.user', 'user')
        .innerJoinAndSelect('m.role', 'role')
        .leftJoinAndSelect('m.baseRole', 'baseRole')
        .where('m.organization_id = :org AND m.user_id IN (:...ids)', { org: requireAuth(ctx).organizationId, ids })
        .getMany()
    : [];
  if (memberships.length !== ids.length) throw AppError.notFound('Member');
  return memberships;
}

/**
 * Joining a group hands over every workspace role the group holds, so the caller must be able
 * to grant each of them (no escalation through groups).
 */
export async function assertMayGrantGroupRoles(
  ctx: RequestContext,
  tx: Transaction,
  groupIds: string[],
): Promise<void> {
  const grants: { workspace_id: string; id: string; built_in: boolean; permissions: string[] }[] = await tx.query(
    `SELECT wm.workspace_id, r.id, r.built_in, r.permissions
     FROM current_workspace_members wm JOIN roles r ON r.id = wm.role_id WHERE wm.group_id = ANY($1)`,
    [groupIds],
  );
  for (const grant of grants) {
    await assertMayGrantInWorkspace(
      ctx,
      grant.workspace_id,
      permissionsOfRole({ id: grant.id, builtIn: grant.built_in, permissions: grant.permissions }),
    );
  }
}

/**
 * Puts a user or service account in groups of its organization (unknown groups and ones it is
 * already in are skipped). No permission check: callers are services that already decided,
 * such as invitation acceptance and SSO group mapping.
 */
export async function addUserToGroups(
  _ctx: RequestContext,
  tx: Transaction,
  userId: string,
  groupIds: readonly string[],
): Promise<void> {
  if (!groupIds.length) return;
  await tx.query(
    `INSERT INTO group_members (group_id, user_id, organization_id)
     SELECT g.id, $1, g.organization_id FROM groups g
     WHERE g.id = ANY($2::uuid[])
       AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $1 AND m.organization_id = g.organization_id)
     ON CONFLICT DO NOTHING`,
    [userId, groupIds],
  );
}

/** Checks and applies group choices made for a new member (invitation, service account). */
export async function assertGroupsGrantable(ctx: RequestContext, tx: Transaction, groupIds: readonly string[]) {
  const ids = [...new Set(groupIds.map((id) => requireId(id, 'Group')))];
  if (!ids.length) return ids;
  const [{ count }] = await tx.query(
    'SELECT count(*)::int AS count FROM groups WHERE id = ANY($1) AND organization_id = $2',
    [ids, requireAuth(ctx).organizationId],
  );
  if (count !== ids.length) throw AppError.notFound('Group');
  await assertMayGrantGroupRoles(ctx, tx, ids);
  return ids;
}

/**
 * Workspace roles chosen for a member that is being created (invitation acceptance, new
 * service account): each workspace and role must exist, and the caller must be able to grant it.
 */
export async function assertWorkspaceRolesGrantable(
  ctx: RequestContext,
  tx: Transaction,
  workspaceRoles: readonly WorkspaceRoleInput[],
): Promise<WorkspaceRoleInput[]> {
  const seen = new Set<string>();
  const result: WorkspaceRoleInput[] = [];
  for (const { workspaceId, roleId } of workspaceRoles) {
    const id = requireId(workspaceId, 'Workspace');
    if (seen.has(id)) throw AppError.badInput('workspaceRoles', 'Choose one role per workspace.');
    seen.add(id);
    const role = await requireRole(ctx, tx, roleId, 'WORKSPACE');
    await assertMayGrantInWorkspace(ctx, id, permissionsOfRole(role));
    result.push({ workspaceId: id, roleId: role.id });
  }
  return result;
}

/** Applies pre-chosen workspace roles to a new member; workspaces or roles deleted meanwhile are skipped. */
export async function applyWorkspaceRoles(
  tx: Transaction,
  organizationId: string,
  userId: string,
  workspaceRoles: readonly WorkspaceRoleInput[],
): Promise<void> {
  for (const { workspaceId, roleId } of workspaceRoles) {
    await tx.query(
      `INSERT INTO workspace_members (workspace_id, organization_id, user_id, role_id)
       SELECT w.id, w.organization_id, $3, r.id FROM workspaces w, roles r
       WHERE w.id = $1 AND w.organization_id = $2 AND r.id = $4 AND r.scope = 'WORKSPACE'
         AND (r.organization_id IS NULL OR r.organization_id = $2)
       ON CONFLICT DO NOTHING`,
      [workspaceId, organizationId, userId, roleId],
    );
  }
}
