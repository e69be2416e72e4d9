import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Workspace } from '../workspace/workspace.types';

export enum AccessRequestStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  DENIED = 'DENIED',
}
registerEnumType(AccessRequestStatus, {
  name: 'AccessRequestStatus',
  description: 'Where an access request stands',
  valuesConfig: {
    PENDING: { description: 'Waiting for an approver' },
    APPROVED: { description: 'Approved: the role was granted until grantedUntil' },
    DENIED: { description: "Denied, with the approver's comment" },
  },
});

@ObjectType({ description: 'A request by a member for a role, in the organization or a workspace, for a while' })
export class AccessRequest {
  @Field(() => ID, { description: 'The request id' })
  id: string;

  @Field(() => Workspace, {
    nullable: true,
    description: 'The workspace, for a workspace role; null for a tenant role',
  })
  workspace: Workspace | null;

  @Field(() => Int, { description: 'How long the role is asked for, in minutes' })
  durationMinutes: number;

  @Field({ description: 'Why the requester needs it' })
  reason: string;

  @Field(() => AccessRequestStatus, { description: 'Pending, approved or denied' })
  status: AccessRequestStatus;

  @Field(() => Date, { nullable: true, description: 'When it was approved or denied' })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true, description: "The approver's comment" })
  decisionComment: string | null;

  @Field(() => Date, { nullable: true, description: 'For an approved request: when the granted role ends' })
  grantedUntil: Date | null;

  @Field({ description: 'When it was asked' })
  createdAt: Date;

  @Field({ description: 'Whether the caller may approve or deny it (an approver other than the requester)' })
  viewerCanDecide: boolean;

  requesterId: string;
  roleId: string;
  decidedById: string | null;
}
