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
  invitationPreview(@Ctx() ctx: RequestContext, @Arg('token') token: string): Promise<InvitationPreview | null> {
    return invitationPreview(ctx, token);
  }

  @Authorized('members:manage')
  @Mutation(() => [Invitation], { description: 'Invites people by email, with their role, groups and workspace roles' })
  inviteMembers(@Ctx() ctx: RequestContext, @Arg('input') input: InviteMembersInput): Promise<Invitation[]> {
    return inviteMembers(ctx, input);
  }

  @Authorized('members:manage')
  @Mutation(() => Invitation, { description: 'Sends a new link with a new expiry; the old link stops working' })
  resendInvitation(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Invitation> {
    return resendInvitation(ctx, id);
  }

  @Authorized('members:manage')
  @Mutation(() => ID)
  cancelInvitation(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return cancelInvitation(ctx, id);
  }

  @Mutation(() => Viewer, {
    description:
      'Public: joins with the token from the email; a new person sets names and a password, an existing one must be signed in',
  })
  acceptInvitation(@Ctx() ctx: RequestContext, @Arg('input') input: AcceptInvitationInput): Promise<Viewer> {
    return acceptInvitation(ctx, input);
  }

  @FieldResolver(() => Role)
  role(@Ctx() ctx: RequestContext, @Root() invitation: Invitation): Promise<Role> {
    return roleById(ctx, invitation.roleId);
  }

  @FieldResolver(() => [Group])
  groups(@Ctx() ctx: RequestContext, @Root() invitation: Invitation): Promise<Group[]> {
    return pendingGroups(ctx, invitation.groupIds);
  }

  @FieldResolver(() => [WorkspaceAssignment])
  workspaceRoles(@Ctx() ctx: RequestContext, @Root() invitation: Invitation): Promise<WorkspaceAssignment[]> {
    return pendingWorkspaceRoles(ctx, invitation.pendingWorkspaceRoles);
  }

  @FieldResolver(() => Principal, { nullable: true })
  invitedBy(@Ctx() ctx: RequestContext, @Root() invitation: Invitation): Promise<Principal | null> {
    return principalById(ctx, invitation.invitedById);
  }
}
