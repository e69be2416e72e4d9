import { Field, ID, InputType } from 'type-graphql';
import { IsIn, IsOptional, MaxLength } from 'class-validator';
import { MemberStatus } from './member.types';

@InputType()
export class MemberFilter {
  @Field(() => [MemberStatus], { nullable: true })
  @IsOptional()
  status?: MemberStatus[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  roleId?: string;

  @Field(() => String, { nullable: true, description: 'Part of the email, username or name' })
  @IsOptional()
  @MaxLength(100)
  search?: string;
}

export const UPDATABLE_STATUSES = [MemberStatus.ACTIVE, MemberStatus.INACTIVE] as const;

@InputType()
export class UpdateMemberInput {
  @Field(() => ID)
  @MaxLength(64)
  userId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  roleId?: string;

  @Field(() => MemberStatus, { nullable: true, description: 'ACTIVE or INACTIVE' })
  @IsOptional()
  @IsIn(UPDATABLE_STATUSES, { message: 'A member can only be made active or inactive.' })
  status?: MemberStatus;
}
