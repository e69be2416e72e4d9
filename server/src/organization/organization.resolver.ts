import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { Viewer } from '../auth/viewer.types';
import { CreateOrganizationInput } from './organization.inputs';
import { createOrganization, switchOrganization } from './organization.service';

@Resolver()
export class OrganizationResolver {
  @Authorized('organizations:create')
  @Mutation(() => Viewer, { description: 'Creates an organization with the caller as Admin and switches to it' })
  createOrganization(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'Its name.' }) input: CreateOrganizationInput,
  ): Promise<Viewer> {
    return createOrganization(ctx, input);
  }

  @Authorized()
  @Mutation(() => Viewer, { description: "Makes another of the user's organizations the session's active one" })
  switchOrganization(
    @Ctx() ctx: RequestContext,
    @Arg('organizationId', () => ID, { description: "The organization's id." }) organizationId: string,
  ): Promise<Viewer> {
    return switchOrganization(ctx, organizationId);
  }
}
