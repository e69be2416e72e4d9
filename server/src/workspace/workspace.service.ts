import { BUILT_IN_ROLES } from '@gatehouse/shared';
import { In } from 'typeorm';
import { scheduleExpiry } from '../access/grant-expiry';
import { type GrantTerm, isoOrNull, requireOrganizationMembers, timeBoundTerm } from '../access/grants';
import type { RequestContext } from '../kernel/context';
import { groupBy, requestLoader } from '../kernel/loaders';
import { diff, record } from '../audit-log/audit-log.service';
import {
  assertMayGrantInWorkspace,
  permissionsInWorkspace,
  seesEveryWorkspace,
  visibleWorkspaceIds,
  workspacePermissions,
} from '../auth/effective-permissions';
import { requireAuth, requireId } from '../auth/policies';
import { LAST_WORKSPACE_OWNER, withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { GroupEntity } from '../group/group.entity';
import {
  PRINCIPAL_COLUMNS,
  type Principal,
  type PrincipalRow,
  groupPrincipal,
  principalFromRow,
} from '../member/principal.types';
import { RoleEntity } from '../role/role.entity';
import { permissionsOfRole } from '../role/role-permissions';
import { requireRole } from '../role/role.service';
import { Role } from '../role/role.types';
import { WorkspaceEntity, WorkspaceMemberEntity } from './workspace.entity';
import type { CreateWorkspaceInput, SetWorkspaceRoleInput, UpdateWorkspaceInput } from './workspace.inputs';
import {
  EffectiveWorkspaceMember,
  RoleSource,
  RoleSourceKind,
  Workspace,
  WorkspaceAssignment,
  WorkspaceMember,
} from './workspace.types';

const UNIQUE_NAME = {
  workspaces_organization_name_key: () => AppError.conflict('A workspace with this name already exists.', 'name'),
};
const RANK = new Map(BUILT_IN_ROLES.map((role) => [role.id as string, role.rank]));

function auditTarget(workspace: WorkspaceEntity) {
  return { type: 'workspace', id: workspace.id, name: workspace.name };
}

/** The workspaces the caller can see: every one for an Admin, else those where they hold a role. */
export async function listWorkspaces(ctx: RequestContext): Promise<Workspace[]> {
  const visible = [...(await visibleWorkspaceIds(ctx))];
  if (!visible.length) return [];
  const workspaces = await ctx.db
    .getRepository(WorkspaceEntity)
    .createQueryBuilder('w')
    .where('w.id IN (:...ids) AND w.organization_id = :org', { ids: visible, org: requireAuth(ctx).organizationId })
    .orderBy('lower(w.name)')
    .getMany();
  return workspaces.map(Workspace.from);
}

/** The authChecker has checked the workspace permission; this locks the row for the change. */
async function workspaceForChange(ctx: RequestContext, tx: Transaction, id: string): Promise<WorkspaceEntity> {
  const workspace = await tx.findOne(WorkspaceEntity, {
    where: { id: requireId(id, 'Workspace'), organizationId: requireAuth(ctx).organizationId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!workspace) throw AppError.notFound('Workspace');
  return workspace;
}

export async function createWorkspace(ctx: RequestContext, input: CreateWorkspaceInput): Promise<Workspace> {
  const auth = requireAuth(ctx);
  return ctx.db.transaction(async (tx) => {
    const workspace = await withConstraints(
      () =>
        tx.save(
          tx.create(WorkspaceEntity, {
            organizationId: auth.organizationId,
            name: input.name.trim(),
            description: input.description?.trim() ?? '',
            createdBy: auth.user.id,
          }),
        ),
      UNIQUE_NAME,
    );
    await tx.save(
      tx.create(WorkspaceMemberEntity, {
        workspaceId: workspace.id,
        organizationId: auth.organizationId,
        userId: auth.user.id,
        roleId: 'owner',
      }),
    );
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'workspace.created',
      target: auditTarget(workspace),
      workspaceId: workspace.id,
      changes: { name: { before: null, after: workspace.name }, owner: { before: null, after: auth.user.id } },
    });
    return Workspace.from(workspace);
  });
}

export async function updateWorkspace(
  ctx: RequestContext,
  id: string,
  input: UpdateWorkspaceInput,
): Promise<Workspace> {
  return ctx.db.transaction(async (tx) => {
    const workspace = await workspaceForChange(ctx, tx, id);
    const changes = diff(workspace, { name: input.name?.trim(), description: input.description?.trim() });
    if (!changes) return Workspace.from(workspace);
    Object.assign(workspace, {
      name: input.name?.trim() ?? workspace.name,
      description: input.description?.trim() ?? workspace.description,
    });
    await withConstraints(() => tx.save(workspace), UNIQUE_NAME);
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'workspace.updated',
      target: auditTarget(workspace),
      workspaceId: workspace.id,
      changes,
    });
    return Workspace.from(workspace);
  });
}

export async function deleteWorkspace(ctx: RequestContext, id: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const workspace = await workspaceForChange(ctx, tx, id);
    await tx.delete(WorkspaceEntity, { id: workspace.id });
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'workspace.deleted',
      target: auditTarget(workspace),
      workspaceId: workspace.id,
    });
    return workspace.id;
  });
}

type PrincipalRef = { userId: string; groupId: null; name: string } | { userId: null; groupId: string; name: string };

/** A user, service account or group of the caller's organization. */
async function requirePrincipal(ctx: RequestContext, tx: Transaction, principalId: string): Promise<PrincipalRef> {
  const id = requireId(principalId, 'Member');
  const group = await tx.findOneBy(GroupEntity, { id, organizationId: requireAuth(ctx).organizationId });
  if (group) return { userId: null, groupId: group.id, name: group.name };
  const [membership] = await requireOrganizationMembers(ctx, tx, [id]);
  return { userId: membership.userId, groupId: null, name: membership.user.displayName };
}

/**
 * Gives a principal a workspace role, or changes it. Needs the workspace's members:manage
 * (checked by the authChecker) and every permission of the role there (no escalation).
 */
export async function setWorkspaceRole(ctx: RequestContext, input: SetWorkspaceRoleInput): Promise<Workspace> {
  return ctx.db.transaction((tx) => grantWorkspaceRole(ctx, tx, input));
}

/** setWorkspaceRole inside the caller's transaction (access requests grant through it on approval). */
export async function grantWorkspaceRole(
  ctx: RequestContext,
  tx: Transaction,
  input: SetWorkspaceRoleInput,
): Promise<Workspace> {
  const workspace = await workspaceForChange(ctx, tx, input.workspaceId);
  const principal = await requirePrincipal(ctx, tx, input.principalId);
  const role = await requireRole(ctx, tx, input.roleId, 'WORKSPACE');
  await assertMayGrantInWorkspace(ctx, workspace.id, permissionsOfRole(role));
  const existing = await tx.findOneBy(WorkspaceMemberEntity, {
    workspaceId: workspace.id,
    ...(principal.userId ? { userId: principal.userId } : { groupId: principal.groupId! }),
  });
  const current = currentGrant(existing);
  const term = timeBoundTerm(current, role.id, input.expiresAt);
  if (current.roleId === role.id && current.expiresAt?.getTime() === term.expiresAt?.getTime()) {
    return Workspace.from(workspace);
  }
  const values = { roleId: role.id, expiresAt: term.expiresAt, baseRoleId: term.baseRoleId };
  if (existing) {
    if (current.roleId) await assertMayGrantInWorkspace(ctx, workspace.id, await rolePermissions(tx, current.roleId));
    await withConstraints(() => tx.update(WorkspaceMemberEntity, { id: existing.id }, values), LAST_WORKSPACE_OWNER);
  } else {
    await tx.save(
      tx.create(WorkspaceMemberEntity, {
        workspaceId: workspace.id,
        organizationId: workspace.organizationId,
        userId: principal.userId,
        groupId: principal.groupId,
        ...values,
      }),
    );
  }
  await scheduleExpiry(tx, term.expiresAt);
  await record(ctx, tx, {
    category: 'SYSTEM_CONFIGURATION',
    action: 'workspace.roleSet',
    target: {
      type: principal.userId ? 'user' : 'group',
      id: (principal.userId ?? principal.groupId)!,
      name: principal.name,
    },
    workspaceId: workspace.id,
    changes: {
      role: { before: current.roleId, after: role.id },
      ...(current.expiresAt || term.expiresAt
        ? { expiresAt: { before: isoOrNull(current.expiresAt), after: isoOrNull(term.expiresAt) } }
        : {}),
    },
  });
  return Workspace.from(workspace);
}

/** A stored workspace role as it stands now: an expired time-bound role the job has not reverted yet is its base. */
function currentGrant(row: WorkspaceMemberEntity | null): GrantTerm {
  if (!row) return { roleId: null, expiresAt: null, baseRoleId: null };
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
    return { roleId: row.baseRoleId, expiresAt: null, baseRoleId: null };
  }
  return { roleId: row.roleId, expiresAt: row.expiresAt, baseRoleId: row.baseRoleId };
}

async function rolePermissions(tx: Transaction, roleId: string): Promise<string[]> {
  return permissionsOfRole(await tx.findOneByOrFail(RoleEntity, { id: roleId }));
}

export async function removeWorkspaceMember(
  ctx: RequestContext,
  workspaceId: string,
  principalId: string,
): Promise<Workspace> {
  return ctx.db.transaction(async (tx) => {
    const workspace = await workspaceForChange(ctx, tx, workspaceId);
    const id = requireId(principalId, 'Member');
    const existing = await tx
      .getRepository(WorkspaceMemberEntity)
      .createQueryBuilder('wm')
      .where('wm.workspace_id = :ws AND (wm.user_id = :id OR wm.group_id = :id)', { ws: workspace.id, id })
      .getOne();
    if (!existing) throw AppError.notFound('Member');
    await assertMayGrantInWorkspace(ctx, workspace.id, await rolePermissions(tx, existing.roleId));
    await withConstraints(() => tx.delete(WorkspaceMemberEntity, { id: existing.id }), LAST_WORKSPACE_OWNER);
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'workspace.memberRemoved',
      target: { type: existing.userId ? 'user' : 'group', id },
      workspaceId: workspace.id,
      changes: { role: { before: existing.roleId, after: null } },
    });
    return Workspace.from(workspace);
  });
}

interface AssignmentRow {
  key: string;
  workspace_id: string;
  workspace_name: string;
  workspace_description: string;
  workspace_created_at: Date;
  workspace_created_by: string | null;
  role_id: string;
  role_name: string;
  role_description: string;
  role_scope: string;
  role_permissions: string[];
  role_built_in: boolean;
  group_id: string | null;
  group_name: string | null;
  expires_at: Date | null;
}

const ASSIGNMENT_COLUMNS = `w.id AS workspace_id, w.name AS workspace_name, w.description AS workspace_description,
  w.created_at AS workspace_created_at, w.created_by AS workspace_created_by,
  r.id AS role_id, r.name AS role_name, r.description AS role_description, r.scope AS role_scope,
  r.permissions AS role_permissions, r.built_in AS role_built_in`;

/** When a grant read through current_workspace_members (wm) and current_group_members (gm) ends: whichever first. */
const EARLIEST_EXPIRY = `least(wm.expires_at, gm.expires_at) AS expires_at, wm.expires_at AS role_expires_at`;

function roleFromRow(row: AssignmentRow): Role {
  return Role.from({
    id: row.role_id,
    name: row.role_name,
    description: row.role_description,
    scope: row.role_scope,
    permissions: row.role_permissions,
    builtIn: row.role_built_in,
  } as RoleEntity);
}

/**
 * Leaves out the rows of workspaces the caller cannot see (see visibleWorkspaceIds). Rows the
 * query already kept to the caller's organization need no look-up when the caller sees all of it.
 */
async function visibleRows<T extends { workspace_id: string }>(
  ctx: RequestContext,
  rows: T[],
  ofCallersOrganization = false,
): Promise<T[]> {
  if (ofCallersOrganization && seesEveryWorkspace(ctx)) return rows;
  const visible = await visibleWorkspaceIds(ctx);
  return rows.filter((row) => visible.has(row.workspace_id));
}

function assignmentFromRow(row: AssignmentRow): WorkspaceAssignment {
  return Object.assign(new WorkspaceAssignment(), {
    workspace: Workspace.from({
      id: row.workspace_id,
      name: row.workspace_name,
      description: row.workspace_description,
      createdAt: row.workspace_created_at,
      createdBy: row.workspace_created_by,
    }),
    role: roleFromRow(row),
    viaGroup: row.group_id ? groupPrincipal({ id: row.group_id, name: row.group_name! }) : null,
    expiresAt: row.expires_at,
  });
}

/**
 * Each user's workspace roles, direct and through groups, in the caller's organization, in the
 * workspaces the caller can see: one statement per batch.
 */
export function workspacesOfUser(ctx: RequestContext, userId: string): Promise<WorkspaceAssignment[]> {
  return requestLoader<WorkspaceAssignment[]>(
    ctx,
    'workspacesOfUser',
    async (userIds) => {
      const rows = await visibleRows<AssignmentRow>(
        ctx,
        await ctx.db.query(
          `SELECT coalesce(wm.user_id, gm.user_id) AS key, ${ASSIGNMENT_COLUMNS}, g.id AS group_id, g.name AS group_name,
                  ${EARLIEST_EXPIRY}
           FROM current_workspace_members wm
           JOIN workspaces w ON w.id = wm.workspace_id
           JOIN roles r ON r.id = wm.role_id
           LEFT JOIN groups g ON g.id = wm.group_id
           LEFT JOIN current_group_members gm ON gm.group_id = wm.group_id
           WHERE wm.organization_id = $2 AND (wm.user_id = ANY($1) OR gm.user_id = ANY($1))
           ORDER BY lower(w.name), g.name NULLS FIRST`,
          [userIds, requireAuth(ctx).organizationId],
        ),
        true,
      );
      return new Map([...groupBy(rows, (row) => row.key)].map(([id, list]) => [id, list.map(assignmentFromRow)]));
    },
    () => [],
  ).load(userId);
}

/** The workspace roles each group holds, in the workspaces the caller can see, batched per request. */
export function workspacesOfGroup(ctx: RequestContext, groupId: string): Promise<WorkspaceAssignment[]> {
  return requestLoader<WorkspaceAssignment[]>(
    ctx,
    'workspacesOfGroup',
    async (groupIds) => {
      const rows = await visibleRows<AssignmentRow>(
        ctx,
        await ctx.db.query(
          `SELECT wm.group_id AS key, ${ASSIGNMENT_COLUMNS}, NULL AS group_id, NULL AS group_name, wm.expires_at
           FROM current_workspace_members wm JOIN workspaces w ON w.id = wm.workspace_id JOIN roles r ON r.id = wm.role_id
           WHERE wm.group_id = ANY($1) ORDER BY lower(w.name)`,
          [groupIds],
        ),
      );
      return new Map([...groupBy(rows, (row) => row.key)].map(([id, list]) => [id, list.map(assignmentFromRow)]));
    },
    () => [],
  ).load(groupId);
}

/** A workspace the caller can see, by id; null for any other (pending invitations name workspaces by id). */
export function workspaceById(ctx: RequestContext, id: string): Promise<Workspace | null> {
  return requestLoader<Workspace | null>(
    ctx,
    'workspaceById',
    async (ids) => {
      const visible = await visibleWorkspaceIds(ctx);
      const wanted = ids.filter((id) => visible.has(id));
      if (!wanted.length) return new Map();
      const rows = await ctx.db
        .getRepository(WorkspaceEntity)
        .createQueryBuilder('w')
        .where('w.id IN (:...ids) AND w.organization_id = :org', {
          ids: wanted,
          org: requireAuth(ctx).organizationId,
        })
        .getMany();
      return new Map(rows.map((row) => [row.id, Workspace.from(row)]));
    },
    () => null,
  ).load(id);
}

interface MemberRow extends PrincipalRow {
  workspace_id: string;
  member_group_id: string | null;
  member_group_name: string | null;
  role_id: string;
  role_name: string;
  role_description: string;
  role_scope: string;
  role_permissions: string[];
  role_built_in: boolean;
  via_group_id: string | null;
  via_group_name: string | null;
  expires_at: Date | null;
  role_expires_at: Date | null;
}

/**
 * Every direct role in the workspaces, and every user or service account that holds one
 * directly or through a group: one statement per batch of workspaces. The members of a workspace
 * the caller cannot see are NOT_FOUND, like the workspace.
 */
async function workspaceMemberRows(ctx: RequestContext, workspaceId: string): Promise<MemberRow[]> {
  await permissionsInWorkspace(ctx, workspaceId);
  return requestLoader<MemberRow[]>(
    ctx,
    'workspaceMemberRows',
    async (workspaceIds) => {
      const rows: MemberRow[] = await ctx.db.query(
        `SELECT wm.workspace_id, wm.group_id AS member_group_id, g.name AS member_group_name,
                r.id AS role_id, r.name AS role_name, r.description AS role_description, r.scope AS role_scope,
                r.permissions AS role_permissions, r.built_in AS role_built_in,
                g.id AS via_group_id, g.name AS via_group_name, ${EARLIEST_EXPIRY}, ${PRINCIPAL_COLUMNS}
         FROM current_workspace_members wm
         JOIN roles r ON r.id = wm.role_id
         LEFT JOIN groups g ON g.id = wm.group_id
         LEFT JOIN current_group_members gm ON gm.group_id = wm.group_id
         LEFT JOIN users u ON u.id = coalesce(wm.user_id, gm.user_id)
         LEFT JOIN service_accounts sa ON sa.user_id = u.id
         WHERE wm.workspace_id = ANY($1) AND wm.organization_id = $2`,
        [workspaceIds, requireAuth(ctx).organizationId],
      );
      return groupBy(rows, (row) => row.workspace_id);
    },
    () => [],
  ).load(workspaceId);
}

function roleOfMemberRow(row: MemberRow): Role {
  return roleFromRow(row as unknown as AssignmentRow);
}

export async function workspaceMembers(ctx: RequestContext, workspaceId: string): Promise<WorkspaceMember[]> {
  const rows = await workspaceMemberRows(ctx, workspaceId);
  const members = new Map<string, WorkspaceMember>();
  for (const row of rows) {
    const principal: Principal | null = row.member_group_id
      ? groupPrincipal({ id: row.member_group_id, name: row.member_group_name! })
      : row.id
        ? principalFromRow(row)
        : null;
    if (principal && !members.has(principal.id)) {
      members.set(
        principal.id,
        Object.assign(new WorkspaceMember(), {
          principal,
          role: roleOfMemberRow(row),
          expiresAt: row.role_expires_at,
        }),
      );
    }
  }
  return [...members.values()].sort((a, b) => a.principal.name.localeCompare(b.principal.name));
}

export async function workspaceMemberCount(ctx: RequestContext, workspaceId: string): Promise<number> {
  return (await workspaceMembers(ctx, workspaceId)).length;
}

/** Users and service accounts with their effective role (strongest source) in the workspace. */
export async function effectiveWorkspaceMembers(
  ctx: RequestContext,
  workspaceId: string,
): Promise<EffectiveWorkspaceMember[]> {
  const rows = (await workspaceMemberRows(ctx, workspaceId)).filter((row) => row.id);
  const byUser = new Map<string, EffectiveWorkspaceMember>();
  for (const row of rows) {
    const source = Object.assign(new RoleSource(), {
      kind: row.via_group_id ? RoleSourceKind.GROUP : RoleSourceKind.DIRECT,
      role: roleOfMemberRow(row),
      group: row.via_group_id ? groupPrincipal({ id: row.via_group_id, name: row.via_group_name! }) : null,
      expiresAt: row.expires_at,
    });
    const entry =
      byUser.get(row.id) ??
      Object.assign(new EffectiveWorkspaceMember(), {
        principal: principalFromRow(row),
        role: source.role,
        sources: [],
      });
    entry.sources.push(source);
    if (strength(source.role) > strength(entry.role)) entry.role = source.role;
    byUser.set(row.id, entry);
  }
  const admins = await organizationAdmins(ctx);
  if (admins.length) {
    const owner = await ownerRole(ctx);
    for (const admin of admins) {
      const entry =
        byUser.get(admin.id) ??
        Object.assign(new EffectiveWorkspaceMember(), { principal: principalFromRow(admin), role: owner, sources: [] });
      entry.sources.push(
        Object.assign(new RoleSource(), {
          kind: RoleSourceKind.TENANT_ADMIN,
          role: owner,
          group: null,
          expiresAt: admin.role_expires_at,
        }),
      );
      entry.role = owner;
      byUser.set(admin.id, entry);
    }
  }
  return [...byUser.values()].sort((a, b) => a.principal.name.localeCompare(b.principal.name));
}

/** The active Admins of the caller's organization, Owners of every workspace: one query per request. */
function organizationAdmins(ctx: RequestContext): Promise<(PrincipalRow & { role_expires_at: Date | null })[]> {
  return requestLoader<(PrincipalRow & { role_expires_at: Date | null })[]>(
    ctx,
    'organizationAdmins',
    async (organizationIds) => {
      const rows: (PrincipalRow & { organization_id: string; role_expires_at: Date | null })[] = await ctx.db.query(
        `SELECT m.organization_id, m.role_expires_at, ${PRINCIPAL_COLUMNS} FROM current_memberships m
           JOIN users u ON u.id = m.user_id LEFT JOIN service_accounts sa ON sa.user_id = u.id
          WHERE m.organization_id = ANY($1) AND m.role_id = 'admin' AND m.status = 'ACTIVE'`,
        [organizationIds],
      );
      return groupBy(rows, (row) => row.organization_id);
    },
    () => [],
  ).load(requireAuth(ctx).organizationId);
}

function ownerRole(ctx: RequestContext): Promise<Role> {
  return requestLoader<Role | null>(
    ctx,
    'builtInRole',
    async (ids) => {
      const roles = await ctx.db.getRepository(RoleEntity).findBy({ id: In([...ids]) });
      return new Map(roles.map((role) => [role.id, Role.from(role)]));
    },
    () => null,
  )
    .load('owner')
    .then((role) => role!);
}

/** Built-in roles by rank; a custom role by how many permissions it holds, below Owner. */
function strength(role: Role): number {
  return RANK.get(role.id) ?? role.permissions.length * 10;
}

/** What the caller may do in this workspace, for the UI's buttons. */
export async function viewerWorkspacePermissions(ctx: RequestContext, workspaceId: string): Promise<string[]> {
  return [...((await workspacePermissions(ctx)).get(workspaceId) ?? [])].sort();
}

export function principalById(ctx: RequestContext, userId: string | null): Promise<Principal | null> {
  if (!userId) return Promise.resolve(null);
  return requestLoader<Principal | null>(
    ctx,
    'principalById',
    async (ids) => {
      const rows: PrincipalRow[] = await ctx.db.query(
        `SELECT ${PRINCIPAL_COLUMNS} FROM users u LEFT JOIN service_accounts sa ON sa.user_id = u.id WHERE u.id = ANY($1)`,
        [ids],
      );
      return new Map(rows.map((row) => [row.id, principalFromRow(row)]));
    },
    () => null,
  ).load(userId);
}
