import { Field, Int, ID, ObjectType, registerEnumType } from 'type-graphql';
import { MemberStatus } from '../member/member.types';
import type { InvitationEntity, PendingWorkspaceRole } from './invitation.entity';

@ObjectType({ description: 'A pending invitation; groups and workspace roles are applied when it is accepted' })
export class Invitation {
  @Field(() => ID, { description: "The invitation's id." })
  id: string;

  @Field({ description: 'The address it was sent to.' })
  email: string;

  @Field(() => MemberStatus, { description: 'INVITED or INVITATION_EXPIRED' })
  status: MemberStatus;

  @Field({ description: 'When the link stops working (5 days after sending).' })
  expiresAt: Date;

  @Field({ description: 'When it was sent.' })
  createdAt: Date;

  roleId: string;
  groupIds: string[];
  pendingWorkspaceRoles: PendingWorkspaceRole[];
  invitedById: string | null;

  /** For open invitations, which always have a role. */
  static from(entity: InvitationEntity, now = new Date()): Invitation {
    return Object.assign(new Invitation(), {
      id: entity.id,
      email: entity.email,
      status: entity.expiresAt <= now ? MemberStatus.INVITATION_EXPIRED : MemberStatus.INVITED,
      expiresAt: entity.expiresAt,
      createdAt: entity.createdAt,
      roleId: entity.roleId!,
      groupIds: entity.groupIds,
      pendingWorkspaceRoles: entity.workspaceRoles,
      invitedById: entity.invitedBy,
    });
  }
}

export enum InvitationLinkStatus {
  PENDING = 'PENDING',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
  ACCEPTED = 'ACCEPTED',
}
registerEnumType(InvitationLinkStatus, {
  name: 'InvitationLinkStatus',
  description: 'Whether an invitation link can still be accepted.',
  valuesConfig: {
    ACCEPTED: { description: 'Already accepted.' },
    CANCELLED: { description: 'Cancelled by an admin.' },
    EXPIRED: { description: 'Past its expiry; ask for it to be resent.' },
    PENDING: { description: 'Can be accepted.' },
  },
});

@ObjectType({ description: 'What the holder of an invitation link may know before accepting it' })
export class InvitationPreview {
  @Field({ description: 'The address invited.' })
  email: string;

  @Field({ description: 'The organization the invitation is to.' })
  organizationName: string;

  @Field(() => String, { nullable: true, description: 'The name of who sent it, if known.' })
  invitedByName: string | null;

  @Field(() => InvitationLinkStatus, { description: 'Whether it can still be accepted.' })
  status: InvitationLinkStatus;

  @Field({ description: 'True when the invited email already has an account: sign in to join' })
  accountExists: boolean;

  @Field({ description: 'When the link stops working.' })
  expiresAt: Date;

  @Field(() => Int, { description: "The organization's minimum length for a new password" })
  minPasswordLength: number;
}
