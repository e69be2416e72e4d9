import type { DataSource } from 'typeorm';
import { MEMBERSHIP_ROLES, MembershipEntity } from '../organization/membership.entity';
import { permissionsOfRole } from '../role/role-permissions';
import type { AuthState } from './auth-state';

export async function loadActiveMembership(
  db: DataSource,
  userId: string,
  organizationId: string,
): Promise<MembershipEntity | null> {
  return db.getRepository(MembershipEntity).findOne({
    where: { userId, organizationId, status: 'ACTIVE' },
    relations: { user: true, ...MEMBERSHIP_ROLES, organization: true },
  });
}

/**
 * Whether the member must set up 2FA first: their organization requires it and they have neither
 * an authenticator app nor a passkey.
 * People without a password sign in through an identity provider, whose own 2FA applies.
 */
export function twoFactorSetupRequired(membership: Pick<MembershipEntity, 'user' | 'organization'>): boolean {
  const { user } = membership;
  return (
    Boolean(membership.organization?.requireTwoFactor) &&
    !user.totpEnabledAt &&
    user.passkeyCount === 0 &&
    user.passwordHash !== null
  );
}

/** The caller as a member of an organization, signed in through a browser session. */
export function sessionAuthState(membership: MembershipEntity, sessionId: string): AuthState {
  return {
    user: membership.user,
    membership,
    organizationId: membership.organizationId,
    permissions: new Set(permissionsOfRole(membership.role)),
    scopes: null,
    sessionId,
    apiKeyId: null,
    twoFactorSetupRequired: twoFactorSetupRequired(membership),
  };
}
