import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum AccessReviewStatus {
  OPEN = 'OPEN',
  COMPLETED = 'COMPLETED',
}

export enum AccessReviewItemKind {
  TENANT_ROLE = 'TENANT_ROLE',
  WORKSPACE_ROLE = 'WORKSPACE_ROLE',
  GROUP_MEMBERSHIP = 'GROUP_MEMBERSHIP',
}

export enum AccessReviewDecision {
  KEEP = 'KEEP',
  REMOVE = 'REMOVE',
}

export enum AccessReviewOutcome {
  KEPT = 'KEPT',
  REMOVED = 'REMOVED',
  REFUSED = 'REFUSED',
}

registerEnumType(AccessReviewStatus, {
  name: 'AccessReviewStatus',
  description: 'Whether an access review still takes decisions',
  valuesConfig: {
    OPEN: { description: 'Started; items can be decided, and it can be completed' },
    COMPLETED: { description: 'Completed; its REMOVE decisions were applied and it no longer changes' },
  },
});

registerEnumType(AccessReviewItemKind, {
  name: 'AccessReviewItemKind',
  description: 'Which grant an access review item is about',
  valuesConfig: {
    TENANT_ROLE: { description: 'A tenant role above Consumer; removing it makes the member a Consumer' },
    WORKSPACE_ROLE: {
      description: 'A workspace role held directly; removing it takes the principal out of the workspace',
    },
    GROUP_MEMBERSHIP: {
      description: 'Membership of a group that holds workspace roles; removing it takes the principal out of the group',
    },
  },
});

registerEnumType(AccessReviewDecision, {
  name: 'AccessReviewDecision',
  description: "A reviewer's decision on one grant",
  valuesConfig: {
    KEEP: { description: 'The grant stays' },
    REMOVE: { description: 'The grant is removed when the review is completed' },
  },
});

registerEnumType(AccessReviewOutcome, {
  name: 'AccessReviewOutcome',
  description: 'What completing the review did with one grant',
  valuesConfig: {
    KEPT: { description: 'The grant was kept (decided KEEP, or left undecided)' },
    REMOVED: { description: 'The grant was removed' },
    REFUSED: { description: 'The removal was refused (see refusedBecause), so the grant stays' },
  },
});

@ObjectType({ description: 'One grant in an access review, as it was when the review started, and its decision' })
export class AccessReviewItem {
  @Field(() => ID, { description: 'The item id, for decideAccessReviewItem' })
  id: string;

  @Field(() => AccessReviewItemKind, { description: 'Which kind of grant this is' })
  kind: AccessReviewItemKind;

  @Field(() => ID, { description: 'The user or service account holding the grant' })
  principalId: string;

  @Field({ description: 'The name (or email) of the principal when the review started' })
  principalName: string;

  @Field(() => String, { nullable: true, description: 'The role granted; null for a group membership' })
  roleName: string | null;

  @Field(() => ID, { nullable: true, description: 'The workspace of a workspace role; null otherwise' })
  workspaceId: string | null;

  @Field(() => String, { nullable: true, description: 'The name of that workspace' })
  workspaceName: string | null;

  @Field(() => ID, { nullable: true, description: 'The group of a group membership; null otherwise' })
  groupId: string | null;

  @Field(() => String, { nullable: true, description: 'The name of that group' })
  groupName: string | null;

  @Field(() => Date, { nullable: true, description: 'When the grant ends by itself; null when it does not' })
  expiresAt: Date | null;

  @Field(() => AccessReviewDecision, { nullable: true, description: 'The decision; null while undecided' })
  decision: AccessReviewDecision | null;

  @Field(() => AccessReviewOutcome, { nullable: true, description: 'What completion did; null until completed' })
  outcome: AccessReviewOutcome | null;

  @Field(() => String, { nullable: true, description: 'Why a removal was refused, in a sentence; null otherwise' })
  refusedBecause: string | null;
}

@ObjectType({ description: 'An access review: the grants of the organization or one workspace, each kept or removed' })
export class AccessReview {
  @Field(() => ID, { description: 'The review id' })
  id: string;

  @Field(() => ID, { nullable: true, description: 'The workspace reviewed; null for the whole organization' })
  workspaceId: string | null;

  @Field(() => AccessReviewStatus, { description: 'OPEN while decisions are taken, then COMPLETED' })
  status: AccessReviewStatus;

  @Field(() => ID, { nullable: true, description: 'Who started it; null when that user is gone' })
  startedBy: string | null;

  @Field(() => Date, { description: 'When it started' })
  startedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was completed; null while open' })
  completedAt: Date | null;

  @Field(() => Int, { description: 'How many grants were removed on completion (0 while open)' })
  removedCount: number;

  @Field(() => [AccessReviewItem], { description: 'Every grant under review, by principal name' })
  items: AccessReviewItem[];
}
