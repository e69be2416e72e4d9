import { Field, ID, InputType } from 'type-graphql';
import { IsObject } from 'class-validator';
import { IsName } from '../kernel/named-inputs';
import { JSONScalar } from '../kernel/scalars';

export const RESPONSE_MESSAGE = 'The passkey response is not valid. Try again.';

@InputType()
export class FinishPasskeyRegistrationInput {
  @Field({ description: 'What the person calls it, e.g. "Work laptop"' })
  @IsName('Passkey name')
  name: string;

  @Field(() => JSONScalar, { description: 'The RegistrationResponseJSON from startRegistration' })
  @IsObject({ message: RESPONSE_MESSAGE })
  response: unknown;
}

@InputType()
export class RenamePasskeyInput {
  @Field(() => ID)
  id: string;

  @Field()
  @IsName('Passkey name')
  name: string;
}

@InputType()
export class FinishPasskeySignInInput {
  @Field(() => JSONScalar, { description: 'The AuthenticationResponseJSON from startAuthentication' })
  @IsObject({ message: RESPONSE_MESSAGE })
  response: unknown;
}
