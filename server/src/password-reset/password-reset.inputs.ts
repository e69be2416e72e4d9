import { MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LIMITS } from '@gatehouse/shared';

@InputType({ description: 'A new password from a reset link.' })
export class ResetPasswordInput {
  @Field({ description: 'The token from the link in the email' })
  @MinLength(1)
  @MaxLength(200)
  token: string;

  @Field({ description: 'The new password (8-128 characters, not a common one).' })
  @MaxLength(LIMITS.passwordMaxLength)
  newPassword: string;
}
