import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { ChangePasswordInput, UpdateProfileInput } from './user.inputs';
import { changePassword, updateProfile } from './user.service';
import { deleteAccount } from './account-deletion';
import { User } from './user.types';

@Resolver()
export class UserResolver {
  @Authorized('profile:update')
  @Mutation(() => User, { description: "Changes the caller's name, username or theme. Needs profile:update." })
  updateProfile(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The new values.' }) input: UpdateProfileInput,
  ): Promise<User> {
    return updateProfile(ctx, input);
  }

  @Authorized('profile:update')
  @Mutation(() => Boolean, { description: "Changes the password and ends the user's other sessions" })
  changePassword(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The current and the new password.' }) input: ChangePasswordInput,
  ): Promise<boolean> {
    return changePassword(ctx, input);
  }

  @Authorized('profile:update')
  @Mutation(() => Boolean, {
    description:
      'Deletes the account for good; refused while it is the last Admin of an organization with other members',
  })
  deleteAccount(
    @Ctx() ctx: RequestContext,
    @Arg('confirmation', { description: 'The phrase "delete my account"' }) confirmation: string,
  ): Promise<boolean> {
    return deleteAccount(ctx, confirmation);
  }
}
