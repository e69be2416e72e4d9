import { Field, ID, InputType, Int } from 'type-graphql';
import { IsInt, IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { ACCESS_REQUEST_MAX_MINUTES, ACCESS_REQUEST_REASON_MAX_LENGTH } from '@gatehouse/shared';

@InputType({ description: 'A request for a role, for a while' })
export class RequestAccessInput {
  @Field(() => ID, { description: 'A tenant role, or a workspace role together with workspaceId' })
  @MaxLength(64)
  roleId: string;

  @Field(() => ID, { nullable: true, description: 'The workspace, when asking for a workspace role' })
  @IsOptional()
  @MaxLength(64)
  workspaceId?: string | null;

  @Field(() => Int, { description: 'For how long, in minutes (at most a week)' })
  @IsInt()
  @Min(1)
  @Max(ACCESS_REQUEST_MAX_MINUTES, { message: 'Access can be asked for at most a week.' })
  durationMinutes: number;

  @Field({ description: 'Why the access is needed; approvers read it' })
  @Length(1, ACCESS_REQUEST_REASON_MAX_LENGTH, { message: 'Say why you need the access.' })
  reason: string;
}

@InputType({ description: 'An approval, possibly for less time than asked' })
export class ApproveAccessRequestInput {
  @Field(() => ID, { description: 'The request' })
  @MaxLength(64)
  id: string;

  @Field(() => Int, { nullable: true, description: 'Grant for this many minutes instead (no more than asked)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  durationMinutes?: number | null;

  @Field(() => String, { nullable: true, description: 'A note for the requester' })
  @IsOptional()
  @MaxLength(ACCESS_REQUEST_REASON_MAX_LENGTH)
  comment?: string | null;
}

@InputType({ description: 'A denial, with the reason' })
export class DenyAccessRequestInput {
  @Field(() => ID, { description: 'The request' })
  @MaxLength(64)
  id: string;

  @Field({ description: 'Why it is denied; the requester reads it' })
  @Length(1, ACCESS_REQUEST_REASON_MAX_LENGTH, { message: 'Say why the request is denied.' })
  comment: string;
}
