import { IsName } from '../kernel/named-inputs';
import { Field, InputType } from 'type-graphql';
import { IsEmail, IsObject, IsOptional, MaxLength, MinLength } from 'class-validator';
import { LIMITS } from '@gatehouse/shared';
import { JSONScalar } from '../kernel/scalars';
import { RESPONSE_MESSAGE } from '../passkey/passkey.inputs';

/** What every sign-up asks for besides the way in: names and the new organization's name. */
@InputType()
export class NewAccountInput {
  @Field({ description: 'First name (up to 64 characters).' })
  @MinLength(1, { message: 'First name is required.' })
  @MaxLength(LIMITS.nameMaxLength, { message: `First name can be at most ${LIMITS.nameMaxLength} characters.` })
  firstName: string;

  @Field({ description: 'Last name (up to 64 characters).' })
  @MinLength(1, { message: 'Last name is required.' })
  @MaxLength(LIMITS.nameMaxLength, { message: `Last name can be at most ${LIMITS.nameMaxLength} characters.` })
  lastName: string;

  @Field({ description: "The new organization's name (up to 64 characters)." })
  @IsName('Organization name')
  organizationName: string;
}

@InputType({ description: 'A new account and the organization it creates.' })
export class SignUpInput extends NewAccountInput {
  @Field({ description: 'The email to sign in with.' })
  @IsEmail({}, { message: 'Enter a valid email address.' })
  @MaxLength(LIMITS.emailMaxLength, { message: 'Email is too long.' })
  email: string;

  @Field({ description: 'A password (8-128 characters, not a common one).' })
  @MaxLength(LIMITS.passwordMaxLength, { message: 'Password must be at most 72 bytes.' })
  password: string;
}

@InputType({ description: 'Email and password.' })
export class SignInInput {
  @Field({ description: "The account's email." })
  @MaxLength(LIMITS.emailMaxLength, { message: 'Email is too long.' })
  email: string;

  @Field({ description: 'Its password.' })
  @MaxLength(LIMITS.passwordMaxLength, { message: 'Password is too long.' })
  password: string;

  @Field(() => String, { nullable: true, description: 'A code from the authenticator app, when 2FA is on' })
  @IsOptional()
  @MaxLength(16)
  totpCode?: string;

  @Field(() => String, { nullable: true, description: 'A single-use recovery code, instead of totpCode' })
  @IsOptional()
  @MaxLength(64)
  recoveryCode?: string;

  @Field(() => JSONScalar, {
    nullable: true,
    description: "A passkey's answer to the TWO_FACTOR_REQUIRED error's passkeyOptions, instead of totpCode",
  })
  @IsOptional()
  @IsObject({ message: RESPONSE_MESSAGE })
  passkeyResponse?: unknown;
  @Field(() => String, {
    nullable: true,
    description: 'From /signin?link=…: connects that sign-in method once the password (and 2FA) proves the account',
  })
  @IsOptional()
  @MaxLength(4096)
  linkToken?: string;
}
