import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { Principal } from '../member/principal.types';
import { CreateWorkspaceInput, SetWorkspaceRoleInput, UpdateWorkspaceInput } from './workspace.inputs';
import {
  createWorkspace,
  deleteWorkspace,
  effectiveWorkspaceMembers,
  listWorkspaces,
  principalById,
  removeWorkspaceMember,
  setWorkspaceRole,
  updateWorkspace,
  viewerWorkspacePermissions,
  workspaceMemberCount,
  workspaceMembers,
} from './workspace.service';
import { EffectiveWorkspaceMember, Workspace, WorkspaceMember } from './workspace.types';

@Resolver(() => Workspace)
export class WorkspaceResolver {
  @Authorized('workspaces:read')
  @Query(() => [Workspace], { description: 'Every workspace for an Admin; else those where the caller holds a role' })
  workspaces(@Ctx() ctx: RequestContext): Promise<Workspace[]> {
    return listWorkspaces(ctx);
  }

  @Authorized('workspaces:create')
  @Mutation(() => Workspace, { description: 'Creates a workspace with the caller as its Owner' })
  createWorkspace(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'Its name and description.' }) input: CreateWorkspaceInput,
  ): Promise<Workspace> {
    return createWorkspace(ctx, input);
  }

  @Authorized('workspace:update')
  @Mutation(() => Workspace, {
    description: 'Renames a workspace or changes its description. Needs workspace:update in that workspace.',
  })
  updateWorkspace(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The workspace's id." }) id: string,
    @Arg('input', { description: 'The new name or description.' }) input: UpdateWorkspaceInput,
  ): Promise<Workspace> {
    return updateWorkspace(ctx, id, input);
  }

  @Authorized('workspace:delete')
  @Mutation(() => ID, {
    description: 'Deletes a workspace and returns its id. Needs workspace:delete in that workspace.',
  })
  deleteWorkspace(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The workspace's id." }) id: string,
  ): Promise<string> {
    return deleteWorkspace(ctx, id);
  }

  @Authorized('workspace:members:manage')
  @Mutation(() => Workspace, { description: 'Gives a user, service account or group a role in the workspace' })
  setWorkspaceRole(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The workspace, the principal and the role.' }) input: SetWorkspaceRoleInput,
  ): Promise<Workspace> {
    return setWorkspaceRole(ctx, input);
  }

  @Authorized('workspace:members:manage')
  @Mutation(() => Workspace, {
    description:
      "Takes a principal's direct role in a workspace away. Needs workspace:members:manage in that workspace.",
  })
  removeWorkspaceMember(
    @Ctx() ctx: RequestContext,
    @Arg('workspaceId', () => ID, { description: "The workspace's id." }) workspaceId: string,
    @Arg('principalId', () => ID, { description: 'The user, group or service account.' }) principalId: string,
  ): Promise<Workspace> {
    return removeWorkspaceMember(ctx, workspaceId, principalId);
  }

  @FieldResolver(() => [WorkspaceMember], { description: 'Direct roles: users, service accounts and groups' })
  members(@Ctx() ctx: RequestContext, @Root() workspace: Workspace): Promise<WorkspaceMember[]> {
    return workspaceMembers(ctx, workspace.id);
  }

  @FieldResolver(() => Int, { description: 'How many principals hold a role in it.' })
  memberCount(@Ctx() ctx: RequestContext, @Root() workspace: Workspace): Promise<number> {
    return workspaceMemberCount(ctx, workspace.id);
  }

  @FieldResolver(() => [EffectiveWorkspaceMember], {
    description: 'Users and service accounts with their effective role, direct or through groups',
  })
  effectiveMembers(@Ctx() ctx: RequestContext, @Root() workspace: Workspace): Promise<EffectiveWorkspaceMember[]> {
    return effectiveWorkspaceMembers(ctx, workspace.id);
  }

  @FieldResolver(() => [String], { description: "The caller's permissions in this workspace" })
  viewerPermissions(@Ctx() ctx: RequestContext, @Root() workspace: Workspace): Promise<string[]> {
    return viewerWorkspacePermissions(ctx, workspace.id);
  }

  @FieldResolver(() => Principal, { nullable: true, description: 'Who created it; null when that principal is gone.' })
  createdBy(@Ctx() ctx: RequestContext, @Root() workspace: Workspace): Promise<Principal | null> {
    return principalById(ctx, workspace.createdById);
  }
}
