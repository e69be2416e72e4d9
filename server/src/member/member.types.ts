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
registerEnumType(MemberStatus, {
  name: 'MemberStatus',
  description: 'Where a member stands in the organization.',
  valuesConfig: {
    ACTIVE: { description: 'A member who can sign in.' },
    INACTIVE: { description: 'Deactivated: cannot sign in until reactivated.' },
    INVITATION_EXPIRED: { description: 'Invited, but the link expired.' },
    INVITED: { description: 'Invited, not yet accepted.' },
  },
});

@ObjectType({ description: 'A person in the organization, or invited to it (user is null until they accept)' })
export class Member {
  @Field(() => ID, { description: 'The user id, or the invitation id while invited' })
  id: string;

  @Field(() => User, { nullable: true, description: 'The user; null while invited.' })
  user: User | null;

  @Field({ description: 'Their email address (or the invited address).' })
  email: string;

  @Field(() => MemberStatus, { description: 'Whether they are active, deactivated or still invited.' })
  status: MemberStatus;

  @Field(() => Date, { nullable: true, description: 'When they were last active; null if never.' })
  lastActiveAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a pending invitation expires' })
  expiresAt: Date | null;

  @Field({ description: 'When they joined, or were invited.' })
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
