import { ArrayMaxSize, IsIn, IsInt, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { AUDIT_FILTER_VALUES_MAX, LIMITS } from '@gatehouse/shared';
import { AuditCategoryValue } from '../audit-log/audit-log.types';
import type { AuditCategory } from '../audit-log/audit-event.entity';
import { AuditStreamKind } from './audit-stream.types';

export const AUDIT_STREAM_HEADERS_MAX = 10;
export const AUDIT_STREAM_BATCH_MAX = 1000;

@InputType({ description: "A custom header sent with every request, e.g. a vendor's intake token" })
export class AuditStreamHeaderInput {
  @Field({ description: "The HTTP header's name, e.g. Authorization." })
  @Length(1, 64)
  name: string;

  @Field({ description: 'Its value; never shown again.' })
  @MaxLength(1024)
  value: string;
}

@InputType({ description: "A new destination for the organization's audit events." })
export class CreateAuditStreamInput {
  @Field({ description: 'A name for the stream.' })
  @Length(1, LIMITS.nameMaxLength)
  name: string;

  @Field(() => AuditStreamKind, { description: 'How events are sent.' })
  @IsIn(Object.values(AuditStreamKind))
  kind: AuditStreamKind;

  @Field({ description: 'https:// (plain http:// and private addresses only with ALLOW_PRIVATE_NETWORK)' })
  @MaxLength(2048)
  url: string;

  @Field(() => [AuditStreamHeaderInput], {
    nullable: true,
    description: 'Custom headers sent with each request (BATCH streams).',
  })
  @IsOptional()
  @ArrayMaxSize(AUDIT_STREAM_HEADERS_MAX)
  @ValidateNested({ each: true })
  headers?: AuditStreamHeaderInput[];

  @Field(() => [AuditCategoryValue], { nullable: true, description: 'Only these categories; empty or omitted: all' })
  @IsOptional()
  @ArrayMaxSize(AUDIT_FILTER_VALUES_MAX)
  categories?: AuditCategory[];

  @Field(() => [String], { nullable: true, description: 'Only these actions; empty or omitted: all' })
  @IsOptional()
  @ArrayMaxSize(AUDIT_FILTER_VALUES_MAX)
  @MaxLength(100, { each: true })
  actions?: string[];

  @Field(() => Int, { nullable: true, description: 'Events per request of a BATCH stream (default 100)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(AUDIT_STREAM_BATCH_MAX)
  batchSize?: number;
}

@InputType({ description: 'Fields left out stay as they are' })
export class UpdateAuditStreamInput {
  @Field({ nullable: true, description: 'A new name.' })
  @IsOptional()
  @Length(1, LIMITS.nameMaxLength)
  name?: string;

  @Field({ nullable: true, description: 'A new destination URL.' })
  @IsOptional()
  @MaxLength(2048)
  url?: string;

  @Field(() => [AuditStreamHeaderInput], { nullable: true, description: 'Replaces every custom header' })
  @IsOptional()
  @ArrayMaxSize(AUDIT_STREAM_HEADERS_MAX)
  @ValidateNested({ each: true })
  headers?: AuditStreamHeaderInput[];

  @Field(() => [AuditCategoryValue], { nullable: true, description: 'Only these categories; empty: all.' })
  @IsOptional()
  @ArrayMaxSize(AUDIT_FILTER_VALUES_MAX)
  categories?: AuditCategory[];

  @Field(() => [String], { nullable: true, description: 'Only these exact actions (up to 20); empty: all.' })
  @IsOptional()
  @ArrayMaxSize(AUDIT_FILTER_VALUES_MAX)
  @MaxLength(100, { each: true })
  actions?: string[];

  @Field(() => Int, {
    nullable: true,
    description: 'Events per request of a BATCH stream (1 up to the maximum of CreateAuditStreamInput.batchSize).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(AUDIT_STREAM_BATCH_MAX)
  batchSize?: number;

  @Field({ nullable: true, description: 'true pauses delivery (events wait); false resumes it at once' })
  @IsOptional()
  paused?: boolean;
}
