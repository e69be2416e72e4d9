import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { ResetPasswordInput } from './password-reset.inputs';
import { requestPasswordReset, resetPassword } from './password-reset.service';

@Resolver()
export class PasswordResetResolver {
  @Mutation(() => Boolean, {
    description: 'Public: emails a reset link if the account exists; the answer is the same either way',
  })
  requestPasswordReset(
    @Ctx() ctx: RequestContext,
    @Arg('email', { description: "The account's email; the answer is the same whether it exists or not." })
    email: string,
  ): Promise<boolean> {
    return requestPasswordReset(ctx, email);
  }

  @Mutation(() => Boolean, { description: 'Public: sets a new password from a reset link and ends every session' })
  resetPassword(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The token from the reset link and the new password.' }) input: ResetPasswordInput,
  ): Promise<boolean> {
    return resetPassword(ctx, input);
  }
}
