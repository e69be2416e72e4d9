import type { AuthChecker } from 'type-graphql';
import { isWorkspacePermission } from '@gatehouse/shared';
import type { RequestContext } from '../app/context';
import { recordDenial } from '../audit-log/audit-log.service';
import { AppError } from '../errors/app-error';
import { requireWorkspacePermission } from './effective-permissions';

/**
 * Operations guarded by a workspace permission name their workspace in an argument `id`,
 * `workspaceId` or `input.workspaceId`.
 */
function workspaceIdOf(args: Record<string, unknown>): string {
  const input = args.input as { workspaceId?: unknown } | undefined;
  const id = args.workspaceId ?? input?.workspaceId ?? args.id;
  return typeof id === 'string' ? id : '';
}

/** What a member who must set up 2FA may still do. */
const TWO_FACTOR_SETUP_OPERATIONS = new Set([
  'startTwoFactorEnrollment',
  'confirmTwoFactorEnrollment',
  'signOut',
  'switchOrganization',
]);

/**
 * The one guard for every operation: `@Authorized()` needs a signed-in caller,
 * `@Authorized('area:action', …)` also needs each named permission: a tenant permission in the
 * active organization, a workspace permission in the operation's workspace (effective role,
 * Admin is Owner everywhere). Both are already narrowed to an API key's scopes. A workspace
 * the caller cannot see answers NOT_FOUND, like one in another organization. A refused mutation
 * is recorded in the audit log.
 */
export const authChecker: AuthChecker<RequestContext> = async ({ context, args, info }, permissions) => {
  const auth = context.auth;
  if (!auth) throw AppError.unauthenticated();
  if (auth.twoFactorSetupRequired && !TWO_FACTOR_SETUP_OPERATIONS.has(info.fieldName)) {
    throw new AppError('TWO_FACTOR_REQUIRED', 'Your organization requires two-factor authentication: set it up first.');
  }
  for (const permission of permissions) {
    if (isWorkspacePermission(permission)) {
      await requireWorkspacePermission(context, workspaceIdOf(args), permission);
    } else if (!auth.permissions.has(permission)) {
      if (info.parentType.name === 'Mutation') await recordDenial(context, info.fieldName, permission);
      throw AppError.forbidden();
    }
  }
  return true;
};
