import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { PageArgs, type Page } from '../kernel/connection';
import { Group } from '../group/group.types';
import { roleById } from '../role/role.service';
import { Role } from '../role/role.types';
import { WorkspaceAssignment } from '../workspace/workspace.types';
import { MemberFilter, UpdateMemberInput } from './member.inputs';
import { listMembers, memberGroups, memberWorkspaces, removeMember, updateMember } from './member.service';
import { Member, MemberConnection } from './member.types';

@Resolver(() => Member)
export class MemberResolver {
  @Authorized('members:read')
  @Query(() => MemberConnection, { description: 'People in the organization and pending invitations, by email' })
  members(
    @Ctx() ctx: RequestContext,
    @Args() page: PageArgs,
    @Arg('filter', () => MemberFilter, { nullable: true, description: 'Which members; omitted: everyone.' })
    filter?: MemberFilter,
  ): Promise<Page<Member>> {
    return listMembers(ctx, page, filter);
  }

  @Authorized('members:manage')
  @Mutation(() => Member, { description: "Changes a member's tenant role or status (ACTIVE, INACTIVE)" })
  updateMember(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The member and what changes.' }) input: UpdateMemberInput,
  ): Promise<Member> {
    return updateMember(ctx, input);
  }

  @Authorized('members:manage')
  @Mutation(() => ID, { description: 'Removes a person from the organization, with their keys and roles in it' })
  removeMember(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => ID, { description: "The member's user id." }) userId: string,
  ): Promise<string> {
    return removeMember(ctx, userId);
  }

  @FieldResolver(() => Role, { description: 'Their tenant role in the organization.' })
  role(@Ctx() ctx: RequestContext, @Root() member: Member): Promise<Role> {
    return roleById(ctx, member.roleId);
  }

  @FieldResolver(() => Role, {
    nullable: true,
    description: 'The tenant role that applies again when a time-bound role ends (roleExpiresAt)',
  })
  roleAfterExpiry(@Ctx() ctx: RequestContext, @Root() member: Member): Promise<Role | null> {
    return member.baseRoleId ? roleById(ctx, member.baseRoleId) : Promise.resolve(null);
  }

  @FieldResolver(() => [Group], { description: 'The groups they belong to (or join on accepting).' })
  groups(@Ctx() ctx: RequestContext, @Root() member: Member): Promise<Group[]> {
    return memberGroups(ctx, member);
  }

  @FieldResolver(() => [WorkspaceAssignment], { description: 'Their workspace roles.' })
  workspaces(@Ctx() ctx: RequestContext, @Root() member: Member): Promise<WorkspaceAssignment[]> {
    return memberWorkspaces(ctx, member);
  }
}
