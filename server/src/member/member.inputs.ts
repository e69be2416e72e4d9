import { Field, ID, InputType } from 'type-graphql';
import { IsDate, IsIn, IsOptional, MaxLength } from 'class-validator';
import { MemberStatus } from './member.types';

@InputType({ description: 'Narrows the members list.' })
export class MemberFilter {
  @Field(() => [MemberStatus], { nullable: true, description: 'Only members with one of these statuses.' })
  @IsOptional()
  status?: MemberStatus[];

  @Field(() => ID, { nullable: true, description: 'Only members with this tenant role.' })
  @IsOptional()
  roleId?: string;

  @Field(() => String, { nullable: true, description: 'Part of the email, username or name' })
  @IsOptional()
  @MaxLength(100)
  search?: string;
}

export const UPDATABLE_STATUSES = [MemberStatus.ACTIVE, MemberStatus.INACTIVE] as const;

@InputType({ description: "Changes to a member's role or status." })
export class UpdateMemberInput {
  @Field(() => ID, { description: "The member's user id." })
  @MaxLength(64)
  userId: string;

  @Field(() => ID, { nullable: true, description: 'Their new tenant role.' })
  @IsOptional()
  roleId?: string;

  @Field(() => MemberStatus, { nullable: true, description: 'ACTIVE or INACTIVE' })
  @IsOptional()
  @IsIn(UPDATABLE_STATUSES, { message: 'A member can only be made active or inactive.' })
  status?: MemberStatus;

  @Field(() => Date, {
    nullable: true,
    description:
      'Gives roleId only until this time, after which the role held before applies again (extends a time-bound role when roleId is unchanged). null makes the role permanent; leave it out to keep the current term.',
  })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
}
