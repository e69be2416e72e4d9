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
import type { Viewer } from './viewer.types';

const INVALID_CREDENTIALS = 'The email or password is incorrect.';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function signUp(ctx: RequestContext, input: SignUpInput): Promise<Viewer> {
  const email = normalizeEmail(input.email);
  assertAcceptablePassword('password', input.password, { email });
  const passwordHash = await hashPassword(input.password, ctx.config.bcryptCost);
  await ctx.db.transaction(async (tx) => {
    const user = tx.create(UserEntity, {
      email,
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      passwordHash,
      passwordChangedAt: new Date(),
    });
    try {
      await tx.save(user);
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw AppError.conflict('An account with this email already exists. Sign in instead.', 'email');
      }
      throw error;
    }
    const organization = await tx.save(tx.create(OrganizationEntity, { name: input.organizationName.trim() }));
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
  });
  return (await getViewer(ctx))!;
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
): Promise<Viewer> {
  if (!membership) {
    await recordFailure('no_active_organization');
    throw AppError.forbidden('Your account is not an active member of any organization.');
  }
  await ctx.db.transaction(async (tx) => {
    const session = await startSession(ctx, tx, user.id, membership.organizationId);
    ctx.auth = sessionAuthState(membership, session.id);
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.signedIn',
      target: { type: 'user', id: user.id, name: user.displayName },
    });
  });
  return (await getViewer(ctx))!;
}

export async function signIn(ctx: RequestContext, input: SignInInput): Promise<Viewer> {
  const email = normalizeEmail(input.email);
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
  return completeSignIn(ctx, user, membership, recordFailure);
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
