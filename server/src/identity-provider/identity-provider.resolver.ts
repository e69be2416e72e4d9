import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { IdentityProviderInput } from './identity-provider.inputs';
import {
  createIdentityProvider,
  deleteIdentityProvider,
  listIdentityProviders,
  ssoRedirectUri,
  updateIdentityProvider,
} from './identity-provider.service';
import { IdentityProvider } from './identity-provider.types';

@Resolver()
export class IdentityProviderResolver {
  @Authorized('security:manage')
  @Query(() => [IdentityProvider], { description: "The organization's OpenID Connect identity providers" })
  identityProviders(@Ctx() ctx: RequestContext): Promise<IdentityProvider[]> {
    return listIdentityProviders(ctx);
  }

  @Authorized('security:manage')
  @Query(() => String, { description: 'The redirect URI to register with an identity provider before adding it' })
  ssoRedirectUri(@Ctx() ctx: RequestContext): string {
    return ssoRedirectUri(ctx);
  }

  @Authorized('security:manage')
  @Mutation(() => IdentityProvider, { description: 'Adds an OpenID Connect identity provider. Needs security:manage.' })
  createIdentityProvider(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'Its settings.' }) input: IdentityProviderInput,
  ): Promise<IdentityProvider> {
    return createIdentityProvider(ctx, input);
  }

  @Authorized('security:manage')
  @Mutation(() => IdentityProvider, { description: 'Replaces the configuration; an omitted client secret is kept' })
  updateIdentityProvider(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The provider's id." }) id: string,
    @Arg('input', { description: 'Its new settings.' }) input: IdentityProviderInput,
  ): Promise<IdentityProvider> {
    return updateIdentityProvider(ctx, id, input);
  }

  @Authorized('security:manage')
  @Mutation(() => ID, {
    description:
      'Removes an identity provider and returns its id; nobody signs in through it any more. Needs security:manage.',
  })
  deleteIdentityProvider(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The provider's id." }) id: string,
  ): Promise<string> {
    return deleteIdentityProvider(ctx, id);
  }
}
