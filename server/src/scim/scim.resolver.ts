import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { Group } from '../group/group.types';
import { Member } from '../member/member.types';
import { groupManagedByIdentityProvider, memberManagedByIdentityProvider } from './scim-managed';
import { createScimToken, listScimTokens, revokeScimToken, scimProvisioning } from './scim-token.service';
import { CreatedScimToken, ScimProvisioning, ScimToken } from './scim.types';

@Resolver()
export class ScimResolver {
  @Authorized('security:manage')
  @Query(() => [ScimToken], { description: "The organization's SCIM tokens that still work, newest first" })
  scimTokens(@Ctx() ctx: RequestContext): Promise<ScimToken[]> {
    return listScimTokens(ctx);
  }

  @Authorized('security:manage')
  @Query(() => ScimProvisioning, { description: 'The SCIM base URL and when the identity provider last synced' })
  scimProvisioning(@Ctx() ctx: RequestContext): Promise<ScimProvisioning> {
    return scimProvisioning(ctx);
  }

  @Authorized('security:manage')
  @Mutation(() => CreatedScimToken, {
    description: 'Creates a SCIM token; its secret is in the answer and never again',
  })
  createScimToken(
    @Ctx() ctx: RequestContext,
    @Arg('name', { description: 'What the token is for, such as the identity provider that will use it' }) name: string,
  ): Promise<CreatedScimToken> {
    return createScimToken(ctx, name);
  }

  @Authorized('security:manage')
  @Mutation(() => ID, { description: 'Revokes a SCIM token: the identity provider using it is refused from now on' })
  revokeScimToken(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The SCIM token to revoke' }) id: string,
  ): Promise<string> {
    return revokeScimToken(ctx, id);
  }
}

@Resolver(() => Member)
export class ScimMemberResolver {
  @FieldResolver(() => Boolean, {
    description:
      "Provisioned by the organization's identity provider over SCIM: their status and membership are changed there, not here",
  })
  managedByIdentityProvider(@Ctx() ctx: RequestContext, @Root() member: Member): Promise<boolean> {
    return member.user ? memberManagedByIdentityProvider(ctx, member.id) : Promise.resolve(false);
  }
}

@Resolver(() => Group)
export class ScimGroupResolver {
  @FieldResolver(() => Boolean, {
    description:
      "Pushed by the organization's identity provider over SCIM: its name and members are changed there; its workspace roles here",
  })
  managedByIdentityProvider(@Ctx() ctx: RequestContext, @Root() group: Group): Promise<boolean> {
    return groupManagedByIdentityProvider(ctx, group.id);
  }
}
