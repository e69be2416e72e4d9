import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../kernel/connection';
import { JSONScalar } from '../kernel/scalars';
import type { AuditActorType, AuditCategory, AuditOutcome } from './audit-event.entity';

export enum AuditCategoryValue {
  USER_ACTIONS = 'USER_ACTIONS',
  SETTING_UPDATES = 'SETTING_UPDATES',
  SYSTEM_CONFIGURATION = 'SYSTEM_CONFIGURATION',
}
registerEnumType(AuditCategoryValue, { name: 'AuditCategory' });

export enum AuditOutcomeValue {
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
}
registerEnumType(AuditOutcomeValue, { name: 'AuditOutcome' });

export enum AuditActorTypeValue {
  USER = 'USER',
  SERVICE_ACCOUNT = 'SERVICE_ACCOUNT',
  API_KEY = 'API_KEY',
  SYSTEM = 'SYSTEM',
  ANONYMOUS = 'ANONYMOUS',
  SCIM_TOKEN = 'SCIM_TOKEN',
}
registerEnumType(AuditActorTypeValue, {
  name: 'AuditActorType',
  valuesConfig: {
    SCIM_TOKEN: {
      description:
        "The organization's identity provider, provisioning over SCIM with the SCIM token named in the actor",
    },
  },
});

@ObjectType({ description: 'Who did it, with the display name frozen at the time' })
export class AuditActor {
  @Field(() => AuditActorTypeValue)
  type: AuditActorType;

  @Field(() => ID, { nullable: true })
  id: string | null;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => ID, { nullable: true, description: 'The API key the request authenticated with' })
  apiKeyId: string | null;
}

@ObjectType({ description: 'What it was done to' })
export class AuditTarget {
  @Field()
  type: string;

  @Field()
  id: string;

  @Field(() => String, { nullable: true })
  name: string | null;
}

@ObjectType({ description: 'One entry of the tamper-evident audit log' })
export class AuditEvent {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: "Position in the organization's hash chain, from 1" })
  sequence: number;

  @Field()
  occurredAt: Date;

  @Field(() => AuditCategoryValue)
  category: AuditCategory;

  @Field({ description: 'e.g. apiKey.revoked' })
  action: string;

  @Field(() => AuditOutcomeValue)
  outcome: AuditOutcome;

  @Field(() => String, { nullable: true })
  failureReason: string | null;

  @Field(() => AuditActor)
  actor: AuditActor;

  @Field(() => AuditTarget, { nullable: true })
  target: AuditTarget | null;

  @Field(() => ID, { nullable: true })
  workspaceId: string | null;

  @Field(() => String, { nullable: true })
  ip: string | null;

  @Field(() => String, { nullable: true })
  userAgent: string | null;

  @Field(() => String, { nullable: true })
  requestId: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'Before → after of each changed field; never secrets' })
  changes: Record<string, { before: unknown; after: unknown }> | null;

  @Field({ description: "HMAC-SHA-256 over the event's content and the previous event's hash" })
  hash: string;

  @Field()
  previousHash: string;
}

export const AuditEventConnection = Connection(AuditEvent, 'AuditEvent');

@ObjectType({ description: 'The result of recomputing a range of the hash chain' })
export class AuditVerification {
  @Field()
  ok: boolean;

  @Field(() => Int)
  checkedCount: number;

  @Field(() => Int, { nullable: true, description: 'The first event whose hash or link does not match' })
  firstBrokenSequence: number | null;

  @Field(() => Int, { nullable: true, description: 'The first sequence checked' })
  fromSequence: number | null;

  @Field(() => Int, { nullable: true, description: 'The last sequence checked' })
  toSequence: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'The first sequence found in the range. Sequences start at 1; after retention, at the first event it kept. ' +
      'A deleted oldest event makes the verification fail there.',
  })
  firstSequence: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'The last sequence read (up to the first break); compare with the highest one seen before to notice a cut tail',
  })
  lastSequence: number | null;
}
