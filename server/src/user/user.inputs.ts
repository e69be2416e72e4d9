import { Field, InputType } from 'type-graphql';
import { IsEnum, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { LIMITS, USERNAME_PATTERN } from '@gatehouse/shared';
import { Theme } from './user.types';

@InputType()
export class UpdateProfileInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(USERNAME_PATTERN, {
    message: `Username must be ${LIMITS.usernameMinLength}–${LIMITS.usernameMaxLength} characters of a-z, 0-9, dot, underscore or hyphen.`,
  })
  username?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.nameMaxLength, { message: `First name can be at most ${LIMITS.nameMaxLength} characters.` })
  firstName?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.nameMaxLength, { message: `Last name can be at most ${LIMITS.nameMaxLength} characters.` })
  lastName?: string;

  @Field(() => Theme, { nullable: true })
  @IsOptional()
  @IsEnum(Theme)
  theme?: Theme;
}

@InputType()
export class ChangePasswordInput {
  @Field()
  @MinLength(1, { message: 'Enter your current password.' })
  @MaxLength(LIMITS.passwordMaxLength)
  currentPassword: string;

  @Field()
  @MaxLength(LIMITS.passwordMaxLength, { message: 'Password must be at most 72 bytes.' })
  newPassword: string;
}
