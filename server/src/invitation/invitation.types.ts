import { Field, Int, ID, ObjectType, registerEnumType } from 'type-graphql';
import { MemberStatus } from '../member/member.types';
import type { InvitationEntity, PendingWorkspaceRole } from './invitation.entity';

@ObjectType({ description: 'A pending invitation; groups and workspace roles are applied when it is accepted' })
export class Invitation {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field(() => MemberStatus, { description: 'INVITED or INVITATION_EXPIRED' })
  status: MemberStatus;

  @Field()
  expiresAt: Date;

  @Field()
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
registerEnumType(InvitationLinkStatus, { name: 'InvitationLinkStatus' });

@ObjectType({ description: 'What the holder of an invitation link may know before accepting it' })
export class InvitationPreview {
  @Field()
  email: string;

  @Field()
  organizationName: string;

  @Field(() => String, { nullable: true })
  invitedByName: string | null;

  @Field(() => InvitationLinkStatus)
  status: InvitationLinkStatus;

  @Field({ description: 'True when the invited email already has an account: sign in to join' })
  accountExists: boolean;

  @Field()
  expiresAt: Date;

  @Field(() => Int, { description: "The organization's minimum length for a new password" })
  minPasswordLength: number;
}
