import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../kernel/connection';
import { JSONScalar } from '../kernel/scalars';
import type { AuditActorType, AuditCategory, AuditOutcome } from './audit-event.entity';

export enum AuditCategoryValue {
  USER_ACTIONS = 'USER_ACTIONS',
  SETTING_UPDATES = 'SETTING_UPDATES',
  SYSTEM_CONFIGURATION = 'SYSTEM_CONFIGURATION',
}
registerEnumType(AuditCategoryValue, {
  name: 'AuditCategory',
  description: 'The three groups of audit events the log and streams filter by.',
  valuesConfig: {
    SETTING_UPDATES: {
      description:
        'Changes to organization settings (General, AI, Security), identity providers, domains and audit streams.',
    },
    SYSTEM_CONFIGURATION: {
      description:
        'Access configuration: members and invitations, roles, groups, workspaces, service accounts; refused operations.',
    },
    USER_ACTIONS: {
      description:
        'What people do for themselves: sign-ins, profile, password, 2FA, passkeys, sessions, their API keys.',
    },
  },
});

export enum AuditOutcomeValue {
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
}
registerEnumType(AuditOutcomeValue, {
  name: 'AuditOutcome',
  description: 'Whether an audited attempt succeeded.',
  valuesConfig: {
    FAILURE: { description: 'Refused or failed; failureReason says why.' },
    SUCCESS: { description: 'Done.' },
  },
});

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
  description: 'Who caused an audit event.',
  valuesConfig: {
    ANONYMOUS: { description: 'Someone not signed in, e.g. a failed sign-in.' },
    API_KEY: { description: 'A program authenticated with an API key.' },
    SCIM_TOKEN: {
      description:
        "The organization's identity provider, provisioning over SCIM with the SCIM token named in the actor",
    },
    SERVICE_ACCOUNT: { description: 'A service account (through one of its keys).' },
    SYSTEM: { description: 'Gatehouse itself (background work).' },
    USER: { description: 'A person in a browser session.' },
  },
});

@ObjectType({ description: 'Who did it, with the display name frozen at the time' })
export class AuditActor {
  @Field(() => AuditActorTypeValue, { description: 'What kind of actor it was.' })
  type: AuditActorType;

  @Field(() => ID, {
    nullable: true,
    description: 'The id of the user, service account or API key; null for SYSTEM and ANONYMOUS.',
  })
  id: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Its name when the event was recorded (kept after it is renamed or deleted).',
  })
  name: string | null;

  @Field(() => ID, { nullable: true, description: 'The API key the request authenticated with' })
  apiKeyId: string | null;
}

@ObjectType({ description: 'What it was done to' })
export class AuditTarget {
  @Field({ description: 'What kind of thing it is, e.g. user, apiKey, role, group, workspace.' })
  type: string;

  @Field({ description: "The target's id." })
  id: string;

  @Field(() => String, { nullable: true, description: 'Its name when the event was recorded.' })
  name: string | null;
}

@ObjectType({ description: 'One entry of the tamper-evident audit log' })
export class AuditEvent {
  @Field(() => ID, { description: "The event's id." })
  id: string;

  @Field(() => Int, { description: "Position in the organization's hash chain, from 1" })
  sequence: number;

  @Field({ description: 'When it happened.' })
  occurredAt: Date;

  @Field(() => AuditCategoryValue, { description: 'The group the action belongs to.' })
  category: AuditCategory;

  @Field({ description: 'What was done, as <thing>.<pastTense>, e.g. apiKey.revoked' })
  action: string;

  @Field(() => AuditOutcomeValue, { description: 'Whether the attempt succeeded.' })
  outcome: AuditOutcome;

  @Field(() => String, {
    nullable: true,
    description: 'Why a FAILURE happened (an error code or short reason); null on SUCCESS.',
  })
  failureReason: string | null;

  @Field(() => AuditActor, { description: 'Who did it.' })
  actor: AuditActor;

  @Field(() => AuditTarget, { nullable: true, description: 'What it was done to; null when nothing in particular.' })
  target: AuditTarget | null;

  @Field(() => ID, { nullable: true, description: 'The workspace it happened in, for workspace-level events.' })
  workspaceId: string | null;

  @Field(() => String, { nullable: true, description: 'The IP address of the request; null for system events.' })
  ip: string | null;

  @Field(() => String, { nullable: true, description: 'The User-Agent of the request; null for system events.' })
  userAgent: string | null;

  @Field(() => String, { nullable: true, description: "The request's x-request-id, to find it in the server logs." })
  requestId: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'Before → after of each changed field; never secrets' })
  changes: Record<string, { before: unknown; after: unknown }> | null;

  @Field({ description: "HMAC-SHA-256 over the event's content and the previous event's hash" })
  hash: string;

  @Field({
    description:
      "The hash of the organization's previous event (a fixed genesis value for the first): the chain verifyAuditLog checks.",
  })
  previousHash: string;
}

export const AuditEventConnection = Connection(AuditEvent, 'AuditEvent');

@ObjectType({ description: 'The result of recomputing a range of the hash chain' })
export class AuditVerification {
  @Field({ description: "True when every checked event's hash matches its content and chain." })
  ok: boolean;

  @Field(() => Int, { description: 'How many events were recomputed.' })
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
