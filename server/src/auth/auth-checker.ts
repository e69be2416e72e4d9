import type { AuthChecker } from 'type-graphql';
import { isWorkspacePermission } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { recordDenial } from '../audit-log/audit-log.service';
import { AppError } from '../errors/app-error';
import type { AuthState } from './auth-state';
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

/**
 * What a member who must set up 2FA may still do. The logo is shown by the app shell around
 * the set-up screen and reveals nothing the member could not see before the rule was switched on.
 */
const TWO_FACTOR_SETUP_OPERATIONS = new Set([
  'startTwoFactorEnrollment',
  'confirmTwoFactorEnrollment',
  'passkeys',
  'startPasskeyRegistration',
  'finishPasskeyRegistration',
  'signOut',
  'switchOrganization',
  'organizationLogo',
]);

/** What a request with refused credentials is answered, whatever it asked. */
export function rejectedCredentials(ctx: RequestContext): AppError {
  return ctx.credentialsRefusal ?? AppError.unauthenticated('The API key is not valid. Check it, or create a new one.');
}

export interface AuthorizeOptions {
  /** Anyone may call it; credentials that were presented and refused are still refused. */
  public?: boolean;
  /** Only an identity provider with its organization's SCIM token may call it (the SCIM endpoints). */
  scim?: boolean;
  /** The workspace a workspace permission is checked in. */
  workspaceId?: string;
  /** Record a refusal for want of a permission in the audit log (state changes and exports). */
  recordDenial?: boolean;
}

/**
 * The one guard for every transport (GraphQL operations through `authChecker`, REST and SSO
 * routes through `app/routes.ts`). `permissions` empty means any signed-in caller; otherwise
 * each named permission is needed: a tenant permission in the active organization, a workspace
 * permission in `workspaceId` (effective role, Admin is Owner everywhere). Both are already
 * narrowed to an API key's scopes. SCIM routes need a SCIM token and nothing else does. A workspace the caller cannot see answers NOT_FOUND, like one
 * in another organization. A member who must set up 2FA may only set it up.
 */
export async function authorize(
  ctx: RequestContext,
  operation: string,
  permissions: readonly string[],
  options: AuthorizeOptions = {},
): Promise<AuthState | null> {
  if (ctx.credentialsRejected) throw rejectedCredentials(ctx);
  if (options.public) return ctx.auth;
  if (options.scim) {
    if (!ctx.scim) throw AppError.unauthenticated('The SCIM endpoints need a SCIM token (Security settings).');
    return null;
  }
  // A SCIM token provisions people; it is nobody's credential for anything else.
  if (ctx.scim) throw AppError.unauthenticated('A SCIM token works on the SCIM endpoints only.');
  const auth = ctx.auth;
  if (!auth) throw AppError.unauthenticated();
  if (auth.twoFactorSetupRequired && !TWO_FACTOR_SETUP_OPERATIONS.has(operation)) {
    throw new AppError('TWO_FACTOR_REQUIRED', 'Your organization requires two-factor authentication: set it up first.');
  }
  for (const permission of permissions) {
    if (isWorkspacePermission(permission)) {
      await requireWorkspacePermission(ctx, options.workspaceId ?? '', permission);
    } else if (!auth.permissions.has(permission)) {
      if (options.recordDenial) await recordDenial(ctx, operation, permission);
      throw AppError.missingPermission(permission);
    }
  }
  return auth;
}

/** type-graphql's entry to `authorize`: `@Authorized()` or `@Authorized('area:action', …)`. */
export const authChecker: AuthChecker<RequestContext> = async ({ context, args, info }, permissions) => {
  await authorize(context, info.fieldName, permissions, {
    workspaceId: workspaceIdOf(args),
    recordDenial: info.parentType.name === 'Mutation',
  });
  return true;
};
