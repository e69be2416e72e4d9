import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../kernel/connection';
import { User } from '../user/user.types';
import type { PendingWorkspaceRole } from '../invitation/invitation.entity';

export enum MemberStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  INVITED = 'INVITED',
  INVITATION_EXPIRED = 'INVITATION_EXPIRED',
}
registerEnumType(MemberStatus, { name: 'MemberStatus' });

@ObjectType({ description: 'A person in the organization, or invited to it (user is null until they accept)' })
export class Member {
  @Field(() => ID, { description: 'The user id, or the invitation id while invited' })
  id: string;

  @Field(() => User, { nullable: true })
  user: User | null;

  @Field()
  email: string;

  @Field(() => MemberStatus)
  status: MemberStatus;

  @Field(() => Date, { nullable: true })
  lastActiveAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a pending invitation expires' })
  expiresAt: Date | null;

  @Field()
  createdAt: Date;

  roleId: string;
  @Field(() => Date, {
    nullable: true,
    description: 'When a time-bound tenant role ends and roleAfterExpiry applies again; null for a permanent role',
  })
  roleExpiresAt: Date | null;

  baseRoleId: string | null;
  /** Set for invitations: the groups and workspace roles waiting for acceptance. */
  pending: { groupIds: string[]; workspaceRoles: PendingWorkspaceRole[] } | null;
}

export const MemberConnection = Connection(Member, 'Member');
