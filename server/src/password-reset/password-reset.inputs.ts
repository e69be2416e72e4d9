import { MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LIMITS } from '@gatehouse/shared';

@InputType()
export class ResetPasswordInput {
  @Field({ description: 'The token from the link in the email' })
  @MinLength(1)
  @MaxLength(200)
  token: string;

  @Field()
  @MaxLength(LIMITS.passwordMaxLength)
  newPassword: string;
}
