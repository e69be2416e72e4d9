import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { Principal } from '../member/principal.types';
import { WorkspaceAssignment } from '../workspace/workspace.types';
import { workspacesOfGroup } from '../workspace/workspace.service';
import { CreateGroupInput, UpdateGroupInput } from './group.inputs';
import {
  addGroupMembers,
  createGroup,
  deleteGroup,
  groupMembers,
  listGroups,
  removeGroupMembers,
  updateGroup,
} from './group.service';
import { Group } from './group.types';

@Resolver(() => Group)
export class GroupResolver {
  @Authorized('groups:read')
  @Query(() => [Group], { description: "The organization's groups. Needs groups:read." })
  groups(@Ctx() ctx: RequestContext): Promise<Group[]> {
    return listGroups(ctx);
  }

  @Authorized('groups:manage')
  @Mutation(() => Group, { description: 'Creates a group. Needs groups:manage.' })
  createGroup(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'Its name and description.' }) input: CreateGroupInput,
  ): Promise<Group> {
    return createGroup(ctx, input);
  }

  @Authorized('groups:manage')
  @Mutation(() => Group, { description: 'Renames a group or changes its description. Needs groups:manage.' })
  updateGroup(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The group's id." }) id: string,
    @Arg('input', { description: 'The new name or description.' }) input: UpdateGroupInput,
  ): Promise<Group> {
    return updateGroup(ctx, id, input);
  }

  @Authorized('groups:manage')
  @Mutation(() => ID, {
    description: 'Deletes a group and returns its id; its members lose the roles it gave. Needs groups:manage.',
  })
  deleteGroup(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The group's id." }) id: string,
  ): Promise<string> {
    return deleteGroup(ctx, id);
  }

  @Authorized('groups:manage')
  @Mutation(() => Group, { description: 'Adds users or service accounts of the organization to the group' })
  addGroupMembers(
    @Ctx() ctx: RequestContext,
    @Arg('groupId', () => ID, { description: "The group's id." }) groupId: string,
    @Arg('principalIds', () => [ID], { description: 'Ids of users and service accounts to add.' })
    principalIds: string[],
    @Arg('expiresAt', () => Date, {
      nullable: true,
      validate: false,
      description:
        "Ends these memberships at this time (the group's workspace roles go with them). Leave it out to keep the end of an existing membership; null makes it permanent.",
    })
    expiresAt?: Date | null,
  ): Promise<Group> {
    return addGroupMembers(ctx, groupId, principalIds, expiresAt);
  }

  @Authorized('groups:manage')
  @Mutation(() => Group, { description: 'Removes users or service accounts from a group. Needs groups:manage.' })
  removeGroupMembers(
    @Ctx() ctx: RequestContext,
    @Arg('groupId', () => ID, { description: "The group's id." }) groupId: string,
    @Arg('principalIds', () => [ID], { description: 'Ids of users and service accounts to remove.' })
    principalIds: string[],
  ): Promise<Group> {
    return removeGroupMembers(ctx, groupId, principalIds);
  }

  @FieldResolver(() => [Principal], { description: 'Users and service accounts in the group' })
  members(@Ctx() ctx: RequestContext, @Root() group: Group): Promise<Principal[]> {
    return groupMembers(ctx, group.id);
  }

  @FieldResolver(() => Int, { description: 'How many users and service accounts belong to it.' })
  async memberCount(@Ctx() ctx: RequestContext, @Root() group: Group): Promise<number> {
    return (await groupMembers(ctx, group.id)).length;
  }

  @FieldResolver(() => [WorkspaceAssignment], { description: 'The workspaces where the group holds a role' })
  workspaces(@Ctx() ctx: RequestContext, @Root() group: Group): Promise<WorkspaceAssignment[]> {
    return workspacesOfGroup(ctx, group.id);
  }
}
