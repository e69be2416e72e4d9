import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from '../app/context';
import { AppError } from '../errors/app-error';

/**
 * The one guard for every operation: `@Authorized()` needs a signed-in caller,
 * `@Authorized('area:action', …)` also needs each named permission in the active organization
 * (already narrowed to an API key's scopes when a key is used).
 */
export const authChecker: AuthChecker<RequestContext> = ({ context }, permissions) => {
  if (!context.auth) throw AppError.unauthenticated();
  const missing = permissions.filter((permission) => !context.auth!.permissions.has(permission));
  if (missing.length) throw AppError.forbidden();
  return true;
};
