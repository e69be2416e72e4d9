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
  signUp(@Ctx() ctx: RequestContext, @Arg('input') input: SignUpInput): Promise<Viewer> {
    return signUp(ctx, input);
  }

  @Mutation(() => Viewer)
  signIn(@Ctx() ctx: RequestContext, @Arg('input') input: SignInInput): Promise<Viewer> {
    return signIn(ctx, input);
  }

  @Authorized()
  @Mutation(() => Boolean)
  signOut(@Ctx() ctx: RequestContext): Promise<boolean> {
    return signOut(ctx);
  }
}
