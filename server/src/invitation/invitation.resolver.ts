import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../kernel/context';
import { Viewer } from '../auth/viewer.types';
import { Group } from '../group/group.types';
import { roleById } from '../role/role.service';
import { Role } from '../role/role.types';
import { WorkspaceAssignment } from '../workspace/workspace.types';
import { principalById } from '../workspace/workspace.service';
import { Principal } from '../member/principal.types';
import { AcceptInvitationInput, InviteMembersInput } from './invitation.inputs';
import {
  acceptInvitation,
  cancelInvitation,
  invitationPreview,
  inviteMembers,
  listInvitations,
  pendingGroups,
  pendingWorkspaceRoles,
  resendInvitation,
} from './invitation.service';
import { Invitation, InvitationPreview } from './invitation.types';

@Resolver(() => Invitation)
export class InvitationResolver {
  @Authorized('members:read')
  @Query(() => [Invitation], { description: 'Pending invitations, expired ones included' })
  invitations(@Ctx() ctx: RequestContext): Promise<Invitation[]> {
    return listInvitations(ctx);
  }

  @Query(() => InvitationPreview, { nullable: true, description: 'Public: what an invitation link is about' })
  invitationPreview(
    @Ctx() ctx: RequestContext,
    @Arg('token', { description: 'The token from the invitation link.' }) token: string,
  ): Promise<InvitationPreview | null> {
    return invitationPreview(ctx, token);
  }

  @Authorized('members:manage')
  @Mutation(() => [Invitation], { description: 'Invites people by email, with their role, groups and workspace roles' })
  inviteMembers(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'Who to invite, with role, groups and workspace roles.' }) input: InviteMembersInput,
  ): Promise<Invitation[]> {
    return inviteMembers(ctx, input);
  }

  @Authorized('members:manage')
  @Mutation(() => Invitation, { description: 'Sends a new link with a new expiry; the old link stops working' })
  resendInvitation(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The invitation's id." }) id: string,
  ): Promise<Invitation> {
    return resendInvitation(ctx, id);
  }

  @Authorized('members:manage')
  @Mutation(() => ID, {
    description: 'Cancels a pending invitation (its link stops working) and returns its id. Needs members:manage.',
  })
  cancelInvitation(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The invitation's id." }) id: string,
  ): Promise<string> {
    return cancelInvitation(ctx, id);
  }

  @Mutation(() => Viewer, {
    description:
      'Public: joins with the token from the email; a new person sets names and a password, an existing one must be signed in',
  })
  acceptInvitation(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The invitation token, and for a new account its name and password.' })
    input: AcceptInvitationInput,
  ): Promise<Viewer> {
    return acceptInvitation(ctx, input);
  }

  @FieldResolver(() => Role, { description: 'The tenant role the person gets on accepting.' })
  role(@Ctx() ctx: RequestContext, @Root() invitation: Invitation): Promise<Role> {
    return roleById(ctx, invitation.roleId);
  }

  @FieldResolver(() => [Group], { description: 'The groups the person joins on accepting.' })
  groups(@Ctx() ctx: RequestContext, @Root() invitation: Invitation): Promise<Group[]> {
    return pendingGroups(ctx, invitation.groupIds);
  }

  @FieldResolver(() => [WorkspaceAssignment], { description: 'The workspace roles the person gets on accepting.' })
  workspaceRoles(@Ctx() ctx: RequestContext, @Root() invitation: Invitation): Promise<WorkspaceAssignment[]> {
    return pendingWorkspaceRoles(ctx, invitation.pendingWorkspaceRoles);
  }

  @FieldResolver(() => Principal, { nullable: true, description: 'Who sent it; null when that principal is gone.' })
  invitedBy(@Ctx() ctx: RequestContext, @Root() invitation: Invitation): Promise<Principal | null> {
    return principalById(ctx, invitation.invitedById);
  }
}
