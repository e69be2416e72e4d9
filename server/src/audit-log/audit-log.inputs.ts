import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsUUID, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { AUDIT_FILTER_VALUES_MAX, AUDIT_SEARCH_MAX_LENGTH } from '@gatehouse/shared';
import { AuditCategoryValue, AuditOutcomeValue } from './audit-log.types';

@InputType({ description: 'Every condition given must hold' })
export class AuditEventFilter {
  @Field(() => [AuditCategoryValue], { nullable: true, description: 'Only events in these categories (up to 20).' })
  @IsOptional()
  @ArrayMaxSize(AUDIT_FILTER_VALUES_MAX)
  @IsIn(Object.values(AuditCategoryValue), { each: true })
  categories?: AuditCategoryValue[];

  @Field(() => [String], { nullable: true, description: 'Exact actions, e.g. ["apiKey.revoked"]' })
  @IsOptional()
  @ArrayMaxSize(AUDIT_FILTER_VALUES_MAX)
  @MaxLength(100, { each: true })
  actions?: string[];

  @Field(() => ID, { nullable: true, description: 'Only events by this user, service account or API key.' })
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be an id.' })
  actorId?: string;

  @Field(() => String, { nullable: true, description: 'Only events about this target id.' })
  @IsOptional()
  @MaxLength(100)
  targetId?: string;

  @Field(() => ID, { nullable: true, description: 'Only events in this workspace.' })
  @IsOptional()
  @IsUUID('all', { message: 'workspaceId must be an id.' })
  workspaceId?: string;

  @Field(() => AuditOutcomeValue, { nullable: true, description: 'Only successes, or only failures.' })
  @IsOptional()
  @IsIn(Object.values(AuditOutcomeValue))
  outcome?: AuditOutcomeValue;

  @Field({ nullable: true, description: 'From this time on (inclusive)' })
  @IsOptional()
  from?: Date;

  @Field({ nullable: true, description: 'Before this time (exclusive)' })
  @IsOptional()
  to?: Date;

  @Field(() => String, { nullable: true, description: 'Part of the action, actor, target, IP or request id' })
  @IsOptional()
  @MaxLength(AUDIT_SEARCH_MAX_LENGTH)
  search?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Only events after this sequence number: a collector resumes after the last event it saw',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  afterSequence?: number;
}

@ArgsType()
export class VerifyAuditLogArgs {
  @Field(() => Int, { nullable: true, description: 'Defaults to the oldest event kept' })
  @IsOptional()
  @IsInt()
  @Min(1)
  fromSequence?: number;

  @Field(() => Int, { nullable: true, description: 'Defaults to the newest event, within the per-call limit' })
  @IsOptional()
  @IsInt()
  @Min(1)
  toSequence?: number;
}
