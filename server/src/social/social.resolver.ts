import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { SOCIAL_PROVIDERS } from '@gatehouse/shared';
import type { RequestContext } from '../kernel/context';
import { Viewer } from '../auth/viewer.types';
import { ProviderSignUpInput } from './social.inputs';
import {
  connectedSignInMethods,
  disconnectSignInMethod,
  pendingSignUp,
  signInMethods,
  signUpWithProvider,
} from './social.service';
import { ConnectedSignInMethod, PendingProviderSignUp, SignInMethod, SocialProvider } from './social.types';

@Resolver()
export class SocialResolver {
  @Query(() => [SignInMethod], { description: 'Social sign-in providers enabled on this installation' })
  signInMethods(@Ctx() ctx: RequestContext): SignInMethod[] {
    return signInMethods(ctx);
  }

  @Query(() => PendingProviderSignUp, {
    nullable: true,
    description: 'The sign-up a provider started; null when the token is unknown or expired. Public.',
  })
  pendingProviderSignUp(
    @Ctx() ctx: RequestContext,
    @Arg('signUpToken', { description: 'The token from the provider sign-up redirect.' }) signUpToken: string,
  ): PendingProviderSignUp | null {
    const pending = pendingSignUp(ctx, signUpToken.slice(0, 4096));
    return pending
      ? Object.assign(new PendingProviderSignUp(), { ...pending, providerName: SOCIAL_PROVIDERS[pending.provider] })
      : null;
  }

  @Mutation(() => Viewer, {
    description: 'Creates a password-less account and its organization after a first social sign-in',
  })
  signUpWithProvider(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: "The sign-up token and the account's details." }) input: ProviderSignUpInput,
  ): Promise<Viewer> {
    return signUpWithProvider(ctx, input);
  }

  @Authorized()
  @Query(() => [ConnectedSignInMethod], {
    description: "The caller's sign-in methods besides a password. Any signed-in caller.",
  })
  connectedSignInMethods(@Ctx() ctx: RequestContext): Promise<ConnectedSignInMethod[]> {
    return connectedSignInMethods(ctx);
  }

  @Authorized()
  @Mutation(() => [ConnectedSignInMethod], { description: 'Refused (CONFLICT) when it would leave no way to sign in' })
  disconnectSignInMethod(
    @Ctx() ctx: RequestContext,
    @Arg('provider', () => SocialProvider, { description: 'The provider to disconnect.' }) provider: SocialProvider,
  ): Promise<ConnectedSignInMethod[]> {
    return disconnectSignInMethod(ctx, provider);
  }
}
