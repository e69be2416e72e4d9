import type { RequestContext } from '../kernel/context';
import { AppError } from '../errors/app-error';
import { isUniqueViolation } from '../db/data-source';
import { diff, record } from '../audit-log/audit-log.service';
import { requireAuth, requireInteractiveSession } from '../auth/policies';
import { hashPassword, verifyPassword } from '../auth/password-hashing';
import { assertAcceptablePassword } from '../auth/password-rules';
import { OrganizationEntity } from '../organization/organization.entity';
import { endSessions } from '../auth/session.service';
import { checkSecretThrottled } from '../auth/sign-in-throttle';
import { UserEntity } from './user.entity';
import { User } from './user.types';
import type { ChangePasswordInput, UpdateProfileInput } from './user.inputs';

export async function updateProfile(ctx: RequestContext, input: UpdateProfileInput): Promise<User> {
  const auth = requireAuth(ctx);
  const updated = await ctx.db.transaction(async (tx) => {
    const user = await tx.findOneOrFail(UserEntity, {
      where: { id: auth.user.id },
      lock: { mode: 'pessimistic_write' },
    });
    const next = {
      username: input.username,
      firstName: input.firstName?.trim(),
      lastName: input.lastName?.trim(),
      theme: input.theme,
    };
    const changes = diff(user, next);
    if (!changes) return user;
    Object.assign(user, Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined)));
    try {
      await tx.save(user);
    } catch (error) {
      if (isUniqueViolation(error, 'users_username_key'))
        throw AppError.conflict('That username is taken.', 'username');
      throw error;
    }
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.profileUpdated',
      target: { type: 'user', id: user.id, name: user.displayName },
      changes,
    });
    return user;
  });
  auth.user = updated;
  return User.from(updated);
}

export async function changePassword(ctx: RequestContext, input: ChangePasswordInput): Promise<boolean> {
  const auth = requireInteractiveSession(ctx);
  const { user } = auth;
  if (!user.passwordHash)
    throw AppError.forbidden('Your account signs in through your identity provider and has no password.');
  const check = await checkSecretThrottled(ctx, { account: user.email! }, async () =>
    (await verifyPassword(input.currentPassword, user.passwordHash, ctx.config.bcryptCost)) ? 'passed' : 'failed',
  );
  if (check === 'failed') {
    await ctx.db.transaction((tx) =>
      record(ctx, tx, {
        category: 'USER_ACTIONS',
        action: 'user.passwordChangeFailed',
        outcome: 'FAILURE',
        failureReason: 'wrong_current_password',
        target: { type: 'user', id: user.id, name: user.displayName },
      }),
    );
    throw AppError.badInput('currentPassword', 'The current password is incorrect.');
  }
  const { minPasswordLength } = await ctx.db.manager.findOneByOrFail(OrganizationEntity, { id: auth.organizationId });
  assertAcceptablePassword('newPassword', input.newPassword, {
    email: user.email,
    username: user.username,
    minLength: minPasswordLength,
  });
  if (input.newPassword === input.currentPassword) {
    throw AppError.badInput('newPassword', 'The new password must be different from the current one.');
  }
  const passwordHash = await hashPassword(input.newPassword, ctx.config.bcryptCost);
  await ctx.db.transaction(async (tx) => {
    await tx.update(UserEntity, { id: user.id }, { passwordHash, passwordChangedAt: new Date() });
    await endSessions(tx, { userId: user.id, exceptSessionId: auth.sessionId });
    await record(ctx, tx, {
      category: 'USER_ACTIONS',
      action: 'user.passwordChanged',
      target: { type: 'user', id: user.id, name: user.displayName },
    });
  });
  user.passwordHash = passwordHash;
  return true;
}
