import { ALL_SCOPES, BUILT_IN_ROLES, PERMISSION_CATALOG, isWorkspacePermission } from '@gatehouse/shared';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../kernel/context';
import { AppError } from '../errors/app-error';
import type { MembershipEntity } from '../organization/membership.entity';
import { permissionsOfRole } from '../role/role-permissions';
import type { AuthState } from './auth-state';
import { requireAuth, requireId } from './policies';

const OWNER_PERMISSIONS: readonly string[] = BUILT_IN_ROLES.find((role) => role.id === 'owner')!.permissions;

/** Whose permissions: a member, possibly through an API key narrowed to its scopes. */
type Principal = Pick<AuthState, 'organizationId' | 'scopes'> & {
  user: { id: string };
  membership: Pick<MembershipEntity, 'roleId'>;
};

function narrowToScopes(auth: Pick<Principal, 'scopes'>, permissions: Iterable<string>): Set<string> {
  return new Set([...permissions].filter((permission) => !auth.scopes || auth.scopes.has(permission)));
}

export function isTenantAdmin(auth: Pick<Principal, 'membership'>): boolean {
  return auth.membership.roleId === 'admin';
}

interface RoleRow {
  workspace_id: string;
  id: string;
  built_in: boolean;
  permissions: string[];
}

/**
 * The caller's permissions in every workspace where they hold any: the union of the direct
 * role and the roles of their groups (built-in roles are nested, so this is the strongest
 * one), Owner everywhere for a tenant Admin, narrowed to the API key's scopes. Loaded with one
 * statement the first time a request needs it, then reused for the rest of the request.
 */
const perRequest = new WeakMap<RequestContext, Promise<Map<string, ReadonlySet<string>>>>();

export function workspacePermissions(ctx: RequestContext): Promise<Map<string, ReadonlySet<string>>> {
  const auth = requireAuth(ctx);
  let loaded = perRequest.get(ctx);
  if (!loaded) {
    loaded = loadWorkspacePermissions(ctx.db.manager, auth);
    perRequest.set(ctx, loaded);
  }
  return loaded;
}

async function loadWorkspacePermissions(db: EntityManager, auth: Principal): Promise<Map<string, ReadonlySet<string>>> {
  const byWorkspace = new Map<string, ReadonlySet<string>>();
  if (isTenantAdmin(auth)) {
    const rows: { id: string }[] = await db.query('SELECT id FROM workspaces WHERE organization_id = $1', [
      auth.organizationId,
    ]);
    const owner = narrowToScopes(auth, OWNER_PERMISSIONS);
    for (const { id } of rows) byWorkspace.set(id, owner);
    return byWorkspace;
  }
  const rows: RoleRow[] = await db.query(
    `SELECT wm.workspace_id, r.id, r.built_in, r.permissions
     FROM current_workspace_members wm
     JOIN roles r ON r.id = wm.role_id
     WHERE wm.organization_id = $1
       AND (wm.user_id = $2 OR wm.group_id IN (SELECT group_id FROM current_group_members WHERE user_id = $2))`,
    [auth.organizationId, auth.user.id],
  );
  const union = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = union.get(row.workspace_id) ?? new Set<string>();
    for (const permission of permissionsOfRole({ id: row.id, builtIn: row.built_in, permissions: row.permissions })) {
      set.add(permission);
    }
    union.set(row.workspace_id, set);
  }
  for (const [id, set] of union) byWorkspace.set(id, narrowToScopes(auth, set));
  return byWorkspace;
}

/**
 * The one visibility rule for workspaces: the caller sees a workspace, its name and its members
 * only where they hold `workspace:read` (every workspace for an Admin; else a role held directly
 * or through a group, narrowed to the API key's scopes). `workspaces`, every field that yields a
 * workspace (groups', members', service accounts' and invitations' workspaces) and every member
 * list of a workspace apply it, so they all agree.
 */
function seesWorkspace(permissions: ReadonlySet<string> | undefined): permissions is ReadonlySet<string> {
  return permissions?.has('workspace:read') ?? false;
}

/** Whether the caller sees every workspace of the organization: an Admin, unless a key's scopes leave out workspace:read. */
export function seesEveryWorkspace(ctx: RequestContext): boolean {
  const auth = requireAuth(ctx);
  return isTenantAdmin(auth) && seesWorkspace(narrowToScopes(auth, OWNER_PERMISSIONS));
}

/** The ids of the workspaces the caller can see. */
export async function visibleWorkspaceIds(ctx: RequestContext): Promise<ReadonlySet<string>> {
  const visible = new Set<string>();
  for (const [id, permissions] of await workspacePermissions(ctx)) if (seesWorkspace(permissions)) visible.add(id);
  return visible;
}

/** The caller's permissions in one workspace; a workspace they cannot see does not exist for them. */
export async function permissionsInWorkspace(ctx: RequestContext, workspaceId: string): Promise<ReadonlySet<string>> {
  const permissions = (await workspacePermissions(ctx)).get(requireId(workspaceId, 'Workspace'));
  if (!seesWorkspace(permissions)) throw AppError.notFound('Workspace');
  return permissions;
}

export async function requireWorkspacePermission(
  ctx: RequestContext,
  workspaceId: string,
  permission: string,
): Promise<void> {
  if (!(await permissionsInWorkspace(ctx, workspaceId)).has(permission)) throw AppError.missingPermission(permission);
}

/**
 * What the caller holds regardless of workspace: their tenant permissions, plus every
 * workspace permission for an Admin (Owner everywhere). Granting anything outside this set
 * through a role, an invitation or a service account would be an escalation.
 */
export function permissionsHeldEverywhere(ctx: RequestContext): ReadonlySet<string> {
  const auth = requireAuth(ctx);
  const held = new Set(auth.permissions);
  if (isTenantAdmin(auth)) for (const permission of narrowToScopes(auth, OWNER_PERMISSIONS)) held.add(permission);
  return held;
}

/** No escalation: refuses to hand out a tenant role with a permission the caller lacks. */
export function assertMayGrantTenantPermissions(ctx: RequestContext, permissions: readonly string[]): void {
  const held = permissionsHeldEverywhere(ctx);
  if (permissions.some((permission) => !held.has(permission))) {
    throw AppError.forbidden('You cannot grant a permission that you do not hold yourself.');
  }
}

/** No escalation in a workspace: the caller manages its members and holds every permission granted. */
export async function assertMayGrantInWorkspace(
  ctx: RequestContext,
  workspaceId: string,
  permissions: readonly string[],
): Promise<void> {
  const held = await permissionsInWorkspace(ctx, workspaceId);
  if (!held.has('workspace:members:manage') || permissions.some((permission) => !held.has(permission))) {
    throw AppError.forbidden('You cannot grant a permission that you do not hold yourself in this workspace.');
  }
}

/**
 * Nobody obtains a secret that can do more than they can. A key acts as its owner narrowed to
 * its scopes, in the organization and in every workspace where the owner holds a role (Admins:
 * all of them); the caller, narrowed to their own key's scopes, must hold every one of those
 * permissions in the same place. Checked when the secret is handed out; afterwards the key
 * follows its owner, whose grants are themselves checked against escalation.
 */
export async function assertMayObtainKey(
  ctx: RequestContext,
  tx: EntityManager,
  owner: MembershipEntity,
  keyScopes: readonly string[],
): Promise<void> {
  const auth = requireAuth(ctx);
  const key: Principal = {
    organizationId: owner.organizationId,
    scopes: keyScopes.includes(ALL_SCOPES) ? null : new Set(keyScopes),
    user: { id: owner.userId },
    membership: owner,
  };
  const refuse = () => AppError.forbidden('You cannot obtain a key that can do more than you can yourself.');
  if (owner.organizationId !== auth.organizationId) throw refuse();
  if ([...narrowToScopes(key, permissionsOfRole(owner.role))].some((p) => !auth.permissions.has(p))) throw refuse();
  const callerInWorkspaces = await workspacePermissions(ctx);
  for (const [workspaceId, permissions] of await loadWorkspacePermissions(tx, key)) {
    const held = callerInWorkspaces.get(workspaceId);
    if ([...permissions].some((p) => !held?.has(p))) throw refuse();
  }
}

/** `can(permission, workspaceId)`: the authorization question, answered for the caller. */
export async function can(ctx: RequestContext, permission: string, workspaceId?: string | null): Promise<boolean> {
  const auth = requireAuth(ctx);
  if (!PERMISSION_CATALOG.some((p) => p.name === permission)) {
    throw AppError.badInput('permission', `"${permission}" is not a permission.`);
  }
  if (!isWorkspacePermission(permission)) {
    if (workspaceId) await assertWorkspaceExists(ctx, workspaceId);
    return auth.permissions.has(permission);
  }
  if (!workspaceId) throw AppError.badInput('workspaceId', 'A workspace permission needs a workspace.');
  const permissions = (await workspacePermissions(ctx)).get(requireId(workspaceId, 'Workspace'));
  if (permissions) return permissions.has(permission);
  await assertWorkspaceExists(ctx, workspaceId);
  return false;
}

async function assertWorkspaceExists(ctx: RequestContext, workspaceId: string): Promise<void> {
  const [row] = await ctx.db.query('SELECT 1 FROM workspaces WHERE id = $1 AND organization_id = $2', [
    requireId(workspaceId, 'Workspace'),
    requireAuth(ctx).organizationId,
  ]);
  if (!row) throw AppError.notFound('Workspace');
}
