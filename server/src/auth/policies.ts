import type { RequestContext } from '../kernel/context';
import { AppError } from '../errors/app-error';
import type { AuthState } from './auth-state';

/**
 * Object-level authorization rules, called at the top of service methods. The authChecker
 * has already checked the operation's permission; these check the objects it touches.
 */
export function requireAuth(ctx: RequestContext): AuthState {
  if (!ctx.auth) throw AppError.unauthenticated();
  return ctx.auth;
}

/** Interactive-only operations (password, organizations) are refused to API keys. */
export function requireInteractiveSession(ctx: RequestContext): AuthState & { sessionId: string } {
  const auth = requireAuth(ctx);
  if (!auth.sessionId) throw AppError.forbidden('This can only be done when signed in through the browser.');
  return auth as AuthState & { sessionId: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that cannot exist answers like one that does not: NOT_FOUND, before any query. */
export function requireId(id: string, what: string): string {
  if (!UUID.test(id)) throw AppError.notFound(what);
  return id.toLowerCase();
}

/** For rules that depend on the object: the operation's own permission is checked by the authChecker. */
export function requirePermission(ctx: RequestContext, permission: string): void {
  if (!requireAuth(ctx).permissions.has(permission)) throw AppError.forbidden();
}

/** Another organization's object answers exactly like a missing one. */
export function requireSameOrganization<T extends { organizationId: string | null }>(
  ctx: RequestContext,
  object: T | null | undefined,
  what: string,
): T {
  const auth = requireAuth(ctx);
  if (!object || object.organizationId !== auth.organizationId) throw AppError.notFound(what);
  return object;
}

/**
 * An organization with authorized email domains takes members only from them; Admins are exempt
 * so that an organization can never lock its own Admins out.
 */
export function requireAuthorizedEmailDomain(
  organization: { authorizedEmailDomains: string[] },
  email: string,
  roleId: string,
  field: string,
): void {
  const domains = organization.authorizedEmailDomains;
  if (domains.length === 0 || roleId === 'admin') return;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!domains.includes(domain)) {
    throw AppError.badInput(
      field,
      `${email} is not in one of the organization's authorized domains (${domains.join(', ')}).`,
    );
  }
}
