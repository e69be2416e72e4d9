import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { UpdateOrganizationSettingsInput } from './settings.inputs';
import { getOrganizationSettings, membersWithoutTwoFactor, updateOrganizationSettings } from './settings.service';
import { Principal } from '../member/principal.types';
import { OrganizationSettings } from './settings.types';

@Resolver()
export class SettingsResolver {
  @Authorized('settings:read')
  @Query(() => OrganizationSettings, { description: "The active organization's settings" })
  organizationSettings(@Ctx() ctx: RequestContext): Promise<OrganizationSettings> {
    return getOrganizationSettings(ctx);
  }

  @Authorized('security:manage')
  @Query(() => [Principal], {
    description: 'Active members who do not use two-factor authentication: those a 2FA requirement affects',
  })
  membersWithoutTwoFactor(@Ctx() ctx: RequestContext): Promise<Principal[]> {
    return membersWithoutTwoFactor(ctx);
  }

  @Authorized('settings:manage')
  @Mutation(() => OrganizationSettings, { description: 'The Security group also needs security:manage' })
  updateOrganizationSettings(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The sections to change.' }) input: UpdateOrganizationSettingsInput,
  ): Promise<OrganizationSettings> {
    return updateOrganizationSettings(ctx, input);
  }
}
