import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AuditCategoryValue } from '../audit-log/audit-log.types';
import type { AuditCategory } from '../audit-log/audit-event.entity';
import type { AuditStreamEntity } from './audit-stream.entity';

export enum AuditStreamKind {
  WEBHOOK = 'WEBHOOK',
  BATCH = 'BATCH',
}
registerEnumType(AuditStreamKind, {
  name: 'AuditStreamKind',
  description: 'How an audit stream sends events.',
  valuesConfig: {
    WEBHOOK: { description: 'One JSON event per request, signed with Standard Webhooks headers' },
    BATCH: { description: 'NDJSON bodies of up to batchSize events, with custom headers (Splunk HEC, Datadog)' },
  },
});

export enum AuditStreamStatus {
  ACTIVE = 'ACTIVE',
  FAILING = 'FAILING',
  PAUSED = 'PAUSED',
}
registerEnumType(AuditStreamStatus, {
  name: 'AuditStreamStatus',
  description: 'Whether an audit stream is delivering.',
  valuesConfig: {
    ACTIVE: { description: 'Delivering' },
    FAILING: { description: 'The last attempt failed; retried with exponential backoff' },
    PAUSED: { description: 'Not delivering (paused by an Admin, or after 24 hours of failures); events wait' },
  },
});

@ObjectType({ description: 'One delivery attempt of an audit stream' })
export class AuditStreamDelivery {
  @Field(() => ID, { description: "The attempt's id." })
  id: string;

  @Field({ description: 'When the attempt was made.' })
  attemptedAt: Date;

  @Field({ description: 'True when the receiver answered 2xx.' })
  success: boolean;

  @Field({ description: 'Sent by testAuditStream' })
  test: boolean;

  @Field(() => Int, { description: 'How long the receiver took to answer, in milliseconds.' })
  latencyMs: number;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status, when it answered" })
  responseCode: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it failed: HTTP_<status>, FORBIDDEN_TARGET, UNREACHABLE, TIMEOUT, TOO_LARGE or SECRET_UNREADABLE',
  })
  errorCode: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The first event sequence in the request; null when it carried no events.',
  })
  firstSequence: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The last event sequence in the request; null when it carried no events.',
  })
  lastSequence: number | null;

  @Field(() => Int, { description: 'Events in the request' })
  events: number;
}

@ObjectType({ description: "A destination the organization's audit events are delivered to, in sequence order" })
export class AuditStream {
  @Field(() => ID, { description: "The stream's id." })
  id: string;

  @Field({ description: "The stream's name." })
  name: string;

  @Field(() => AuditStreamKind, { description: 'How events are sent.' })
  kind: AuditStreamKind;

  @Field({ description: 'Where events are POSTed.' })
  url: string;

  @Field(() => [String], { description: 'Names of the custom headers; their values are never shown again' })
  headerNames: string[];

  @Field(() => [AuditCategoryValue], { description: 'Only events of these categories; empty: all' })
  categories: AuditCategory[];

  @Field(() => [String], { description: 'Only events with these actions; empty: all' })
  actions: string[];

  @Field(() => Int, { description: 'Events per request of a BATCH stream' })
  batchSize: number;

  @Field(() => AuditStreamStatus, { description: 'Whether it is delivering.' })
  status: AuditStreamStatus;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (a code, never the remote text)' })
  lastError: string | null;

  @Field(() => Int, { description: 'Every event up to this sequence has been delivered or filtered out' })
  deliveredSequence: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When events were last delivered; null before the first delivery.',
  })
  lastDeliveredAt: Date | null;

  @Field(() => Date, { description: 'When a failing stream is tried again' })
  nextAttemptAt: Date;

  @Field({ description: 'When the stream was created.' })
  createdAt: Date;

  organizationId: string;

  static from(entity: AuditStreamEntity): AuditStream {
    return Object.assign(new AuditStream(), {
      id: entity.id,
      organizationId: entity.organizationId,
      name: entity.name,
      kind: entity.kind as AuditStreamKind,
      url: entity.url,
      headerNames: entity.headerNames,
      categories: entity.categories,
      actions: entity.actions,
      batchSize: entity.batchSize,
      status: entity.status as AuditStreamStatus,
      lastError: entity.lastError,
      deliveredSequence: entity.deliveredSequence,
      lastDeliveredAt: entity.lastDeliveredAt,
      nextAttemptAt: entity.nextAttemptAt,
      createdAt: entity.createdAt,
    });
  }
}

@ObjectType({ description: 'A new stream with its signing secret, shown this once' })
export class CreatedAuditStream {
  @Field({ description: "Standard Webhooks signing secret (whsec_…): verify every request's webhook-signature" })
  secret: string;

  @Field(() => AuditStream, { description: 'The stream as listed from now on.' })
  auditStream: AuditStream;
}
