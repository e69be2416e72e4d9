import { Field, InputType } from 'type-graphql';
import { IsEnum, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { LIMITS, USERNAME_PATTERN } from '@gatehouse/shared';
import { Theme } from './user.types';

@InputType({ description: "Changes to the caller's profile; omitted fields stay as they are." })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true, description: 'New username (3-32 of a-z 0-9 . _ -, unique).' })
  @IsOptional()
  @Matches(USERNAME_PATTERN, {
    message: `Username must be ${LIMITS.usernameMinLength}–${LIMITS.usernameMaxLength} characters of a-z, 0-9, dot, underscore or hyphen.`,
  })
  username?: string;

  @Field(() => String, { nullable: true, description: 'New first name (up to 64 characters).' })
  @IsOptional()
  @MaxLength(LIMITS.nameMaxLength, { message: `First name can be at most ${LIMITS.nameMaxLength} characters.` })
  firstName?: string;

  @Field(() => String, { nullable: true, description: 'New last name (up to 64 characters).' })
  @IsOptional()
  @MaxLength(LIMITS.nameMaxLength, { message: `Last name can be at most ${LIMITS.nameMaxLength} characters.` })
  lastName?: string;

  @Field(() => Theme, { nullable: true, description: 'New colour theme.' })
  @IsOptional()
  @IsEnum(Theme)
  theme?: Theme;
}

@InputType({ description: 'The current password and a new one.' })
export class ChangePasswordInput {
  @Field({ description: 'The password in use now.' })
  @MinLength(1, { message: 'Enter your current password.' })
  @MaxLength(LIMITS.passwordMaxLength)
  currentPassword: string;

  @Field({ description: "The new password (8-128 characters, at least the organization's minimum, not a common one)." })
  @MaxLength(LIMITS.passwordMaxLength, { message: 'Password must be at most 72 bytes.' })
  newPassword: string;
}
