import { BUILT_IN_ROLES, PERMISSION_CATALOG, type PermissionScope } from '@gatehouse/shared';
import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import type { RequestContext } from '../kernel/context';
import { requestLoader } from '../kernel/loaders';
import { diff, record } from '../audit-log/audit-log.service';
import { assertMayGrantTenantPermissions } from '../auth/effective-permissions';
import { requireAuth, requireId } from '../auth/policies';
import { withConstraints } from '../db/constraints';
import type { Transaction } from '../db/data-source';
import { AppError } from '../errors/app-error';
import { RoleEntity } from './role.entity';
import type { CreateRoleInput, UpdateRoleInput } from './role.inputs';
import { permissionsOfRole } from './role-permissions';
import { Role } from './role.types';

const UNIQUE_NAME = {
  roles_organization_name_key: () => AppError.conflict('A role with this name already exists.', 'name'),
};
const IN_USE = {
  memberships_role_id_fkey: () => AppError.conflict('This role is held by members; give them another role first.'),
  workspace_members_role_id_fkey: () =>
    AppError.conflict('This role is held in workspaces; give those members another role first.'),
  invitations_open_role: () => AppError.conflict('Pending invitations offer this role; cancel them first.'),
  identity_provider_mappings_role_id_fkey: () =>
    AppError.conflict("An identity provider's group mappings give this role; change them first."),
};

function auditTarget(role: RoleEntity) {
  return { type: 'role', id: role.id, name: role.name };
}

export async function listRoles(ctx: RequestContext): Promise<Role[]> {
  const roles = await ctx.db.getRepository(RoleEntity).find({
    where: [{ organizationId: IsNull() }, { organizationId: requireAuth(ctx).organizationId }],
    order: { builtIn: 'DESC', createdAt: 'ASC' },
  });
  const order = new Map(BUILT_IN_ROLES.map((role, index) => [role.id as string, index]));
  return roles.sort((a, b) => (order.get(a.id) ?? order.size) - (order.get(b.id) ?? order.size)).map(Role.from);
}

/**
 * A role the caller may hand out with the given scope: built in, or custom in their own
 * organization. Anything else does not exist for them.
 */
export async function requireRole(
  ctx: RequestContext,
  tx: Transaction,
  roleId: string,
  scope: PermissionScope,
): Promise<RoleEntity> {
  const role = await tx.findOneBy(RoleEntity, { id: roleId });
  if (!role || (!role.builtIn && role.organizationId !== requireAuth(ctx).organizationId)) {
    throw AppError.notFound('Role');
  }
  if (role.scope !== scope) {
    throw AppError.badInput('roleId', scope === 'TENANT' ? 'Choose a tenant role.' : 'Choose a workspace role.');
  }
  return role;
}

/** A tenant role the caller may give: it holds no permission the caller lacks. */
export async function requireGrantableTenantRole(ctx: RequestContext, tx: Transaction, roleId: string) {
  const role = await requireRole(ctx, tx, roleId, 'TENANT');
  assertMayGrantTenantPermissions(ctx, permissionsOfRole(role));
  return role;
}

function validatedPermissions(ctx: RequestContext, scope: PermissionScope, permissions: string[]): string[] {
  const unique = [...new Set(permissions)];
  for (const name of unique) {
    const entry = PERMISSION_CATALOG.find((p) => p.name === name);
    if (!entry) throw AppError.badInput('permissions', `"${name}" is not a permission.`);
    if (entry.scope !== scope) {
      throw AppError.badInput('permissions', `"${name}" cannot be part of a ${scope.toLowerCase()} role.`);
    }
  }
  assertMayGrantTenantPermissions(ctx, unique);
  return PERMISSION_CATALOG.map((p) => p.name).filter((name) => unique.includes(name));
}

async function customRoleForChange(ctx: RequestContext, tx: Transaction, id: string): Promise<RoleEntity> {
  if (BUILT_IN_ROLES.some((role) => role.id === id)) throw AppError.conflict('Built-in roles cannot be changed.');
  const role = await tx.findOne(RoleEntity, {
    where: { id: requireId(id, 'Role'), organizationId: requireAuth(ctx).organizationId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!role) throw AppError.notFound('Role');
  return role;
}

function assertNotBuiltInName(name: string): void {
  if (BUILT_IN_ROLES.some((role) => role.name.toLowerCase() === name.toLowerCase())) {
    throw AppError.conflict('A built-in role has this name.', 'name');
  }
}

export async function createRole(ctx: RequestContext, input: CreateRoleInput): Promise<Role> {
  const auth = requireAuth(ctx);
  const name = input.name.trim();
  assertNotBuiltInName(name);
  const permissions = validatedPermissions(ctx, input.scope, input.permissions);
  return ctx.db.transaction(async (tx) => {
    const role = await withConstraints(
      () =>
        tx.save(
          tx.create(RoleEntity, {
            id: randomUUID(),
            organizationId: auth.organizationId,
            name,
            description: input.description?.trim() ?? '',
            scope: input.scope,
            permissions,
            builtIn: false,
          }),
        ),
      UNIQUE_NAME,
    );
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'role.created',
      target: auditTarget(role),
      changes: {
        name: { before: null, after: role.name },
        scope: { before: null, after: role.scope },
        permissions: { before: null, after: permissions },
      },
    });
    return Role.from(role);
  });
}

export async function updateRole(ctx: RequestContext, id: string, input: UpdateRoleInput): Promise<Role> {
  return ctx.db.transaction(async (tx) => {
    const role = await customRoleForChange(ctx, tx, id);
    const name = input.name?.trim();
    if (name) assertNotBuiltInName(name);
    const permissions = input.permissions && validatedPermissions(ctx, role.scope, input.permissions);
    const changes = diff(role, { name, description: input.description?.trim() }) ?? {};
    if (permissions && permissions.join() !== role.permissions.join()) {
      changes.permissions = { before: role.permissions, after: permissions };
    }
    if (!Object.keys(changes).length) return Role.from(role);
    Object.assign(role, {
      name: name ?? role.name,
      description: input.description?.trim() ?? role.description,
      permissions: permissions ?? role.permissions,
    });
    await withConstraints(() => tx.save(role), UNIQUE_NAME);
    await record(ctx, tx, {
      category: 'SYSTEM_CONFIGURATION',
      action: 'role.updated',
      target: auditTarget(role),
      changes,
    });
    return Role.from(role);
  });
}

export async function deleteRole(ctx: RequestContext, id: string): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const role = await customRoleForChange(ctx, tx, id);
    await withConstraints(() => tx.delete(RoleEntity, { id: role.id }), IN_USE);
    await record(ctx, tx, { category: 'SYSTEM_CONFIGURATION', action: 'role.deleted', target: auditTarget(role) });
    return role.id;
  });
}

/** Roles by id (built in, or custom in the caller's organization), batched per request. */
export function roleById(ctx: RequestContext, id: string): Promise<Role> {
  return requestLoader<Role | null>(
    ctx,
    'roleById',
    async (ids) => {
      const roles = await ctx.db.query(
        `SELECT id, name, description, scope, permissions, built_in AS "builtIn", organization_id AS "organizationId"
         FROM roles WHERE id = ANY($1) AND (organization_id IS NULL OR organization_id = $2)`,
        [ids, requireAuth(ctx).organizationId],
      );
      return new Map(roles.map((role: RoleEntity) => [role.id, Role.from(role)]));
    },
    () => null,
  )
    .load(id)
    .then((role) => {
      if (!role) throw AppError.notFound('Role');
      return role;
    });
}

/** How many members (and service accounts) of the caller's organization hold each role, batched. */
export function roleMemberCount(ctx: RequestContext, roleId: string): Promise<number> {
  return requestLoader<number>(
    ctx,
    'roleMemberCount',
    async (ids) => {
      const rows: { role_id: string; count: number }[] = await ctx.db.query(
        `SELECT role_id, count(*)::int AS count FROM (
           SELECT role_id FROM memberships WHERE organization_id = $2 AND role_id = ANY($1)
           UNION ALL
           SELECT role_id FROM workspace_members WHERE organization_id = $2 AND role_id = ANY($1)
         ) held GROUP BY role_id`,
        [ids, requireAuth(ctx).organizationId],
      );
      return new Map(rows.map((row) => [row.role_id, row.count]));
    },
    () => 0,
  ).load(roleId);
}
