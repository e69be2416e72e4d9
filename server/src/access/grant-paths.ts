import type { EntityManager } from 'typeorm';
import { permissionsOfRole } from '../role/role-permissions';

/*
 * Every way a principal holds permissions, one row per path, read through the same `current_*`
 * views as the authorization check (effective-permissions.ts), so an explanation or an access
 * review never shows a grant that the check would ignore, nor misses one it would count.
 */

export enum AccessPathKind {
  /** A built-in tenant role (Admin, Builder, Consumer). */
  TENANT_ROLE = 'TENANT_ROLE',
  /** A custom role: a tenant role, or a workspace role held directly. */
  CUSTOM_ROLE = 'CUSTOM_ROLE',
  /** A built-in workspace role held directly. */
  WORKSPACE_ROLE = 'WORKSPACE_ROLE',
  /** A workspace role held by a group the principal is in. */
  GROUP_WORKSPACE_ROLE = 'GROUP_WORKSPACE_ROLE',
  /** An Admin of the organization is Owner of every workspace. */
  ADMIN_OWNER = 'ADMIN_OWNER',
  /** The scopes of an API key, which narrow its owner's permissions. */
  API_KEY_SCOPES = 'API_KEY_SCOPES',
}

export interface GrantPath {
  userId: string;
  principalName: string;
  principalEmail: string | null;
  kind: AccessPathKind;
  roleId: string;
  roleName: string;
  permissions: string[];
  workspaceId: string | null;
  workspaceName: string | null;
  groupId: string | null;
  groupName: string | null;
  /** When the path ends: the time-bound role or group membership it rests on, whichever first. */
  expiresAt: Date | null;
}

interface GrantRow {
  user_id: string;
  principal_name: string;
  principal_email: string | null;
  source: 'TENANT' | 'DIRECT' | 'GROUP' | 'ADMIN';
  role_id: string;
  role_name: string;
  built_in: boolean;
  permissions: string[];
  workspace_id: string | null;
  workspace_name: string | null;
  group_id: string | null;
  group_name: string | null;
  expires_at: Date | null;
}

const PRINCIPAL = `u.id AS user_id, coalesce(sa.name, nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email) AS principal_name,
  u.email AS principal_email`;

/**
 * The paths of the active members of an organization (one member with `userId`; one workspace's
 * workspace paths with `workspaceId`, tenant paths always included).
 */
export async function loadGrantPaths(
  db: EntityManager,
  organizationId: string,
  filter: { userId?: string | null; workspaceId?: string | null } = {},
): Promise<GrantPath[]> {
  const rows: GrantRow[] = await db.query(
    `WITH members AS (
       SELECT m.* FROM current_memberships m
       WHERE m.organization_id = $1 AND m.status = 'ACTIVE' AND ($2::uuid IS NULL OR m.user_id = $2)
     )
     SELECT ${PRINCIPAL}, 'TENANT' AS source, r.id AS role_id, r.name AS role_name, r.built_in, r.permissions,
            NULL::uuid AS workspace_id, NULL AS workspace_name, NULL::uuid AS group_id, NULL AS group_name,
            m.role_expires_at AS expires_at
       FROM members m JOIN roles r ON r.id = m.role_id
       JOIN users u ON u.id = m.user_id LEFT JOIN service_accounts sa ON sa.user_id = u.id
     UNION ALL
     SELECT ${PRINCIPAL}, 'ADMIN', 'owner', 'Owner', true, '{}', w.id, w.name, NULL, NULL, m.role_expires_at
       FROM members m JOIN workspaces w ON w.organization_id = m.organization_id AND ($3::uuid IS NULL OR w.id = $3)
       JOIN users u ON u.id = m.user_id LEFT JOIN service_accounts sa ON sa.user_id = u.id
      WHERE m.role_id = 'admin'
     UNION ALL
     SELECT ${PRINCIPAL}, CASE WHEN gm.group_id IS NULL THEN 'DIRECT' ELSE 'GROUP' END, r.id, r.name, r.built_in,
            r.permissions, w.id, w.name, g.id, g.name, least(wm.expires_at, gm.expires_at)
       FROM current_workspace_members wm
       JOIN workspaces w ON w.id = wm.workspace_id
       JOIN roles r ON r.id = wm.role_id
       LEFT JOIN groups g ON g.id = wm.group_id
       LEFT JOIN current_group_members gm ON gm.group_id = wm.group_id
       JOIN members m ON m.user_id = coalesce(wm.user_id, gm.user_id)
       JOIN users u ON u.id = m.user_id LEFT JOIN service_accounts sa ON sa.user_id = u.id
      WHERE wm.organization_id = $1 AND ($3::uuid IS NULL OR wm.workspace_id = $3)
     ORDER BY principal_name, user_id, workspace_name NULLS FIRST, group_name NULLS FIRST`,
    [organizationId, filter.userId ?? null, filter.workspaceId ?? null],
  );
  return rows.map((row) => ({
    userId: row.user_id,
    principalName: row.principal_name,
    principalEmail: row.principal_email,
    kind: kindOf(row),
    roleId: row.role_id,
    roleName: row.role_name,
    permissions: permissionsOfRole({ id: row.role_id, builtIn: row.built_in, permissions: row.permissions }),
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
    groupId: row.group_id,
    groupName: row.group_name,
    expiresAt: row.expires_at,
  }));
}

function kindOf(row: GrantRow): AccessPathKind {
  if (row.source === 'ADMIN') return AccessPathKind.ADMIN_OWNER;
  if (row.source === 'GROUP') return AccessPathKind.GROUP_WORKSPACE_ROLE;
  if (!row.built_in) return AccessPathKind.CUSTOM_ROLE;
  return row.source === 'TENANT' ? AccessPathKind.TENANT_ROLE : AccessPathKind.WORKSPACE_ROLE;
}

/** One sentence for a person: which role, held how, where. */
export function describePath(path: GrantPath, permission: string): string {
  const where = path.workspaceName ? ` in workspace "${path.workspaceName}"` : '';
  switch (path.kind) {
    case AccessPathKind.ADMIN_OWNER:
      return `The Admin tenant role makes ${path.principalName} Owner${where}, which includes ${permission}.`;
    case AccessPathKind.GROUP_WORKSPACE_ROLE:
      return `Group "${path.groupName}" holds the ${path.roleName} role${where}, which includes ${permission}.`;
    case AccessPathKind.CUSTOM_ROLE:
      return `The custom ${path.workspaceId ? 'workspace' : 'tenant'} role ${path.roleName}${where} includes ${permission}.`;
    default:
      return `The ${path.roleName} ${path.workspaceId ? 'workspace' : 'tenant'} role${where} includes ${permission}.`;
  }
}

/** Whether a path gives `permission` (in `workspaceId` for a workspace permission). */
export function pathGrants(path: GrantPath, permission: string, workspaceId: string | null): boolean {
  return path.workspaceId === workspaceId && path.permissions.includes(permission);
}
