import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { SignInInput, SignUpInput } from './auth.inputs';
import { signIn, signOut, signUp } from './auth.service';
import { getViewer } from './viewer.service';
import { Viewer } from './viewer.types';

@Resolver()
export class AuthResolver {
  @Query(() => Viewer, { nullable: true, description: 'The caller; null when not authenticated' })
  viewer(@Ctx() ctx: RequestContext): Promise<Viewer | null> {
    return getViewer(ctx);
  }

  @Mutation(() => Viewer, { description: 'Creates a user and a new organization with that user as Admin' })
  signUp(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The account and its organization.' }) input: SignUpInput,
  ): Promise<Viewer> {
    return signUp(ctx, input);
  }

  @Mutation(() => Viewer, {
    description:
      'Signs in with email and password and sets the session cookie; failures are throttled (RATE_LIMITED). Public.',
  })
  signIn(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'Email and password.' }) input: SignInInput,
  ): Promise<Viewer> {
    return signIn(ctx, input);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Ends the caller's session (clears the cookie); true when done." })
  signOut(@Ctx() ctx: RequestContext): Promise<boolean> {
    return signOut(ctx);
  }
}
