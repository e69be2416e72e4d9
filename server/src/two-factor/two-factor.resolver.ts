import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { confirmTwoFactorEnrollment, disableTwoFactor, startTwoFactorEnrollment } from './two-factor.service';
import { TwoFactorEnrollment } from './two-factor.types';

@Resolver()
export class TwoFactorResolver {
  @Authorized('profile:update')
  @Mutation(() => TwoFactorEnrollment, { description: 'A new authenticator secret; confirm it with a code' })
  startTwoFactorEnrollment(@Ctx() ctx: RequestContext): Promise<TwoFactorEnrollment> {
    return startTwoFactorEnrollment(ctx);
  }

  @Authorized('profile:update')
  @Mutation(() => [String], { description: 'Turns 2FA on; answers the 10 recovery codes, shown once' })
  confirmTwoFactorEnrollment(
    @Ctx() ctx: RequestContext,
    @Arg('code', { description: 'A current 6-digit code from the authenticator app.' }) code: string,
  ): Promise<string[]> {
    return confirmTwoFactorEnrollment(ctx, code);
  }

  @Authorized('profile:update')
  @Mutation(() => Boolean, { description: 'Turns 2FA off with the password and a code or recovery code' })
  disableTwoFactor(
    @Ctx() ctx: RequestContext,
    @Arg('password', { description: "The caller's password." }) password: string,
    @Arg('code', { description: 'A current code from the authenticator app, or a recovery code.' }) code: string,
  ): Promise<boolean> {
    return disableTwoFactor(ctx, password, code);
  }
}
