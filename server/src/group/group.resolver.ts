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
  @Query(() => [Group])
  groups(@Ctx() ctx: RequestContext): Promise<Group[]> {
    return listGroups(ctx);
  }

  @Authorized('groups:manage')
  @Mutation(() => Group)
  createGroup(@Ctx() ctx: RequestContext, @Arg('input') input: CreateGroupInput): Promise<Group> {
    return createGroup(ctx, input);
  }

  @Authorized('groups:manage')
  @Mutation(() => Group)
  updateGroup(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateGroupInput,
  ): Promise<Group> {
    return updateGroup(ctx, id, input);
  }

  @Authorized('groups:manage')
  @Mutation(() => ID)
  deleteGroup(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return deleteGroup(ctx, id);
  }

  @Authorized('groups:manage')
  @Mutation(() => Group, { description: 'Adds users or service accounts of the organization to the group' })
  addGroupMembers(
    @Ctx() ctx: RequestContext,
    @Arg('groupId', () => ID) groupId: string,
    @Arg('principalIds', () => [ID]) principalIds: string[],
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
  @Mutation(() => Group)
  removeGroupMembers(
    @Ctx() ctx: RequestContext,
    @Arg('groupId', () => ID) groupId: string,
    @Arg('principalIds', () => [ID]) principalIds: string[],
  ): Promise<Group> {
    return removeGroupMembers(ctx, groupId, principalIds);
  }

  @FieldResolver(() => [Principal], { description: 'Users and service accounts in the group' })
  members(@Ctx() ctx: RequestContext, @Root() group: Group): Promise<Principal[]> {
    return groupMembers(ctx, group.id);
  }

  @FieldResolver(() => Int)
  async memberCount(@Ctx() ctx: RequestContext, @Root() group: Group): Promise<number> {
    return (await groupMembers(ctx, group.id)).length;
  }

  @FieldResolver(() => [WorkspaceAssignment], { description: 'The workspaces where the group holds a role' })
  workspaces(@Ctx() ctx: RequestContext, @Root() group: Group): Promise<WorkspaceAssignment[]> {
    return workspacesOfGroup(ctx, group.id);
  }
}
