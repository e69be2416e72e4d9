import { SSO_FAILURES } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { AppError } from '../errors/app-error';
import { isUniqueViolation } from '../db/data-source';
import { record, userActor } from '../audit-log/audit-log.service';
import { UserEntity } from '../user/user.entity';
import { OrganizationEntity } from '../organization/organization.entity';
import { createMembership, mostRecentMembership } from '../organization/membership.service';
import { sessionAuthState } from './membership-loader';
import { hashPassword, verifyPassword } from './password-hashing';
import { assertAcceptablePassword } from './password-rules';
import { useSecondFactor } from '../two-factor/two-factor.service';
import { secondFactorRequired } from '../two-factor/second-factors';
import { passkeySecondFactorOptions } from '../passkey/passkey-assertion';
import type { MembershipEntity } from '../organization/membership.entity';
import { requireInteractiveSession } from './policies';
import { endSessions, startSession } from './session.service';
import { checkSecretThrottled } from './sign-in-throttle';
import type { SignInInput, SignUpInput } from './auth.inputs';
import { getViewer } from './viewer.service';
import { organizationsRequiringSso } from '../domain/domain.service';
import { connectIdentity, openLink, type PendingLink } from '../social/social-identity';
import type { Transaction } from '../db/data-source';
import type { Viewer } from './viewer.types';

const INVALID_CREDENTIALS = 'The email or password is incorrect.';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function signUp(ctx: RequestContext, input: SignUpInput): Promise<Viewer> {
  const email = normalizeEmail(input.email);
  assertAcceptablePassword('password', input.password, { email });
  const passwordHash = await hashPassword(input.password, ctx.config.bcryptCost);
  await ctx.db.transaction((tx) =>
    createAccountWithOrganization(
      ctx,
      tx,
      { email, firstName: input.firstName, lastName: input.lastName, passwordHash },
      input.organizationName,
    ),
  );
  return (await getViewer(ctx))!;
}

/**
 * A new user, Admin of a new organization, signed in there. Without a password hash the
 * account signs in through a provider only (social sign-up).
 */
export async function createAccountWithOrganization(
  ctx: RequestContext,
  tx: Transaction,
  person: { email: string; firstName: string; lastName: string; passwordHash: string | null },
  organizationName: string,
): Promise<UserEntity> {
  const user = tx.create(UserEntity, {
    email: person.email,
    firstName: person.firstName.trim(),
    lastName: person.lastName.trim(),
    passwordHash: person.passwordHash,
    passwordChangedAt: person.passwordHash ? new Date() : null,
  });
  try {
    await tx.save(user);
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) {
      throw AppError.conflict('An account with this email already exists. Sign in instead.', 'email');
    }
    throw error;
  }
  const organization = await tx.save(tx.create(OrganizationEntity, { name: organizationName.trim() }));
  const actor = userActor(user);
  await record(ctx, tx, {
    organizationId: organization.id,
    category: 'USER_ACTIONS',
    action: 'user.signedUp',
    actor,
    target: { type: 'user', id: user.id, name: user.displayName },
  });
  await record(ctx, tx, {
    organizationId: organization.id,
    category: 'SYSTEM_CONFIGURATION',
    action: 'organization.created',
    actor,
    target: { type: 'organization', id: organization.id, name: organization.name },
    changes: { name: { before: null, after: organization.name } },
  });
  const { membership } = await createMembership(ctx, tx, {
    organizationId: organization.id,
    userId: user.id,
    roleId: 'admin',
  });
  const session = await startSession(ctx, tx, user.id, organization.id);
  ctx.auth = sessionAuthState(membership, session.id);
  return user;
}

/**
 * Whether an organization that requires single sign-on governs this email. Its Admins keep
 * password sign-in (`allowAdmins`), so a broken provider can still be repaired.
 */
export async function ssoRequiredFor(
  tx: Transaction,
  user: { id: string; email: string },
  allowAdmins: boolean,
): Promise<boolean> {
  const organizations = await organizationsRequiringSso(tx, user.email);
  if (!organizations.length || !allowAdmins) return organizations.length > 0;
  const admin = await tx.query(
    `SELECT 1 FROM current_memberships WHERE user_id = $1 AND organization_id = ANY($2::uuid[])
        AND role_id = 'admin' AND status = 'ACTIVE' LIMIT 1`,
    [user.id, organizations],
  );
  return admin.length === 0;
}

/** Records a refused sign-in for the account tried (or the name given, when there is no such account). */
export function signInFailureRecorder(
  ctx: RequestContext,
  user: UserEntity | null,
  membership: MembershipEntity | null,
  triedName: string,
): (reason: string) => Promise<unknown> {
  return (reason) =>
    ctx.db.transaction((tx) =>
      record(ctx, tx, {
        organizationId: membership?.organizationId ?? null,
        category: 'USER_ACTIONS',
        action: 'user.signInFailed',
        outcome: 'FAILURE',
        failureReason: reason,
        actor: { type: user ? 'USER' : 'ANONYMOUS', id: user?.id ?? null, name: user ? user.displayName : triedName },
        target: user ? { type: 'user', id: user.id, name: user.displayName } : undefined,
      }),
    );
}

/** Starts the session of a person whose identity is proven, in the organization they used last. */
export async function completeSignIn(
  ctx: RequestContext,
  user: UserEntity,
  membership: MembershipEntity | null,
  recordFailure: (reason: string) => Promise<unknown>,
  link: PendingLink | null = null,
): Promise<Viewer> {
  if (!membership) {
    await recordFailure('no_active_organization');
    throw AppError.forbidden('Your account is not an active member of any organization.');
  }
  // Checked once the person is proven, so the refusal tells nothing to someone who is not.
  // An erased account (no email) never gets this far: it has no password or passkey left.
  if (user.email && (await ssoRequiredFor(ctx.db.manager, { id: user.id, email: user.email }, true))) {
    await recordFailure('sso_required');
    throw AppError.forbidden(SSO_FAILURES.sso_required);
  }
  await ctx.db.transaction(async (tx) => {
    const session = await startSession(ctx, tx, user.id, membership.organizationId);
    ctx.auth = sessionAuthState(membership, session.id);
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.signedIn',
      target: { type: 'user', id: user.id, name: user.displayName },
    });
    // The password (and second factor) just proved the account: only now is the provider's account connected.
    if (link) await connectIdentity(ctx, tx, user, link);
  });
  return (await getViewer(ctx))!;
}

export async function signIn(ctx: RequestContext, input: SignInInput): Promise<Viewer> {
  const email = normalizeEmail(input.email);
  const link = input.linkToken ? openLink(ctx, input.linkToken) : null;
  if (link && link.email !== email) {
    throw AppError.badInput('email', `Sign in as ${link.email} to connect this sign-in method.`);
  }
  const user = await ctx.db.getRepository(UserEntity).findOne({ where: { email, kind: 'HUMAN' } });
  const membership = user ? await mostRecentMembership(ctx.db.manager, user.id) : null;
  const recordFailure = signInFailureRecorder(ctx, user, membership, email);

  let failureReason = 'invalid_credentials';
  const check = await checkSecretThrottled(
    ctx,
    { account: email, onRateLimited: () => recordFailure('rate_limited') },
    async () => {
      const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? null, ctx.config.bcryptCost);
      if (!user || !passwordOk) return 'failed';
      if (!(await secondFactorRequired(ctx.db.manager, user))) return 'passed';
      if (!input.totpCode && !input.recoveryCode && !input.passkeyResponse) return 'firstStep';
      failureReason = 'invalid_second_factor';
      return (await useSecondFactor(ctx, user, input)) ? 'passed' : 'failed';
    },
  );
  if (check === 'failed' || !user) {
    await recordFailure(failureReason);
    throw AppError.unauthenticated(
      failureReason === 'invalid_credentials'
        ? INVALID_CREDENTIALS
        : input.passkeyResponse
          ? 'That passkey could not confirm your sign-in. Try again, or use a code.'
          : 'That code is not right, or was already used. Try the current code or a recovery code.',
    );
  }
  // The password was right: this is the first of two steps, not a failure. The passkey
  // options let the browser offer the person's passkeys for the second step.
  if (check === 'firstStep') {
    throw new AppError('TWO_FACTOR_REQUIRED', 'Confirm it is you with your second factor.', undefined, {
      authenticatorApp: user.totpEnabledAt !== null,
      passkeyOptions: user.passkeyCount > 0 ? await passkeySecondFactorOptions(ctx, user) : null,
    });
  }
  return completeSignIn(ctx, user, membership, recordFailure, link);
}

export async function signOut(ctx: RequestContext): Promise<boolean> {
  const auth = requireInteractiveSession(ctx);
  await ctx.db.transaction(async (tx) => {
    await endSessions(tx, { sessionId: auth.sessionId });
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.signedOut',
      target: { type: 'user', id: auth.user.id, name: auth.user.displayName },
    });
  });
  ctx.sessionCookie.clear();
  ctx.auth = null;
  return true;
}
