import { ALL_SCOPES, PERMISSION_CATALOG, isWorkspacePermission } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { permissionsInWorkspace } from '../auth/effective-permissions';
import { requireAuth, requireId } from '../auth/policies';
import { AppError } from '../errors/app-error';
import { AccessExplanation, AccessPath } from './access.types';
import { AccessPathKind, describePath, loadGrantPaths, pathGrants } from './grant-paths';

interface KeyRow {
  id: string;
  name: string;
  owner_id: string;
  scopes: string[];
  expires_at: Date | null;
}

/**
 * Who is asked about: a member or service account of the caller's organization, or one of its
 * API keys. A key is explained to its owner and to those who manage members; to anyone else it
 * does not exist.
 */
async function resolvePrincipal(
  ctx: RequestContext,
  principalId: string,
): Promise<{ userId: string; key: KeyRow | null }> {
  const auth = requireAuth(ctx);
  const id = requireId(principalId, 'Principal');
  const [member] = await ctx.db.query('SELECT user_id FROM memberships WHERE organization_id = $1 AND user_id = $2', [
    auth.organizationId,
    id,
  ]);
  if (member) return { userId: id, key: null };
  const [key]: KeyRow[] = await ctx.db.query(
    `SELECT id, name, owner_id, scopes, expires_at FROM api_keys
      WHERE id = $1 AND organization_id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [id, auth.organizationId],
  );
  if (!key || (key.owner_id !== auth.user.id && !auth.permissions.has('members:manage'))) {
    throw AppError.notFound('Principal');
  }
  return { userId: key.owner_id, key };
}

/**
 * Answers "may they, and why?" with the paths the authorization check itself counts: the tenant
 * role (built-in or custom), direct and group workspace roles, an Admin's implicit Owner, and
 * for a key its scopes. A workspace the caller cannot see is NOT_FOUND, like in every other place.
 */
export async function explainAccess(
  ctx: RequestContext,
  principalId: string,
  permission: string,
  workspaceId?: string | null,
): Promise<AccessExplanation> {
  const auth = requireAuth(ctx);
  if (!PERMISSION_CATALOG.some((p) => p.name === permission)) {
    throw AppError.badInput('permission', `"${permission}" is not a permission.`);
  }
  const inWorkspace = isWorkspacePermission(permission);
  if (inWorkspace && !workspaceId) throw AppError.badInput('workspaceId', 'A workspace permission needs a workspace.');
  if (workspaceId) await permissionsInWorkspace(ctx, workspaceId);
  const { userId, key } = await resolvePrincipal(ctx, principalId);
  const where = inWorkspace ? requireId(workspaceId!, 'Workspace') : null;
  const grants = (await loadGrantPaths(ctx.db.manager, auth.organizationId, { userId, workspaceId: where })).filter(
    (path) => pathGrants(path, permission, where),
  );
  const paths = grants.map((path) =>
    Object.assign(new AccessPath(), {
      kind: path.kind,
      description: describePath(path, permission),
      expiresAt: path.expiresAt,
    }),
  );
  let deniedBecause = paths.length ? null : `No role ${inWorkspace ? 'in this workspace ' : ''}includes ${permission}.`;
  if (key) {
    const scoped = key.scopes.includes(ALL_SCOPES) || key.scopes.includes(permission);
    if (scoped) {
      paths.push(
        Object.assign(new AccessPath(), {
          kind: AccessPathKind.API_KEY_SCOPES,
          description: key.scopes.includes(ALL_SCOPES)
            ? `API key "${key.name}" has every scope, so it acts with its owner's permissions.`
            : `API key "${key.name}" is scoped to ${permission}.`,
          expiresAt: key.expires_at,
        }),
      );
    } else {
      deniedBecause ??= `API key "${key.name}" is not scoped to ${permission}.`;
    }
  }
  return Object.assign(new AccessExplanation(), { allowed: deniedBecause === null, paths, deniedBecause });
}
