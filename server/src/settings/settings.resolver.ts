import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../app/context';
import { UpdateOrganizationSettingsInput } from './settings.inputs';
import { getOrganizationSettings, updateOrganizationSettings } from './settings.service';
import { OrganizationSettings } from './settings.types';

@Resolver()
export class SettingsResolver {
  @Authorized('settings:read')
  @Query(() => OrganizationSettings, { description: "The active organization's settings" })
  organizationSettings(@Ctx() ctx: RequestContext): Promise<OrganizationSettings> {
    return getOrganizationSettings(ctx);
  }

  @Authorized('settings:manage')
  @Mutation(() => OrganizationSettings, { description: 'The Security group also needs security:manage' })
  updateOrganizationSettings(
    @Ctx() ctx: RequestContext,
    @Arg('input') input: UpdateOrganizationSettingsInput,
  ): Promise<OrganizationSettings> {
    return updateOrganizationSettings(ctx, input);
  }
}
