import { Field, ID, InputType } from 'type-graphql';
import { IsObject } from 'class-validator';
import { IsName } from '../kernel/named-inputs';
import { JSONScalar } from '../kernel/scalars';

export const RESPONSE_MESSAGE = 'The passkey response is not valid. Try again.';

@InputType({ description: "The browser's answer to a passkey registration." })
export class FinishPasskeyRegistrationInput {
  @Field({ description: 'What the person calls it, e.g. "Work laptop"' })
  @IsName('Passkey name')
  name: string;

  @Field(() => JSONScalar, { description: 'The RegistrationResponseJSON from startRegistration' })
  @IsObject({ message: RESPONSE_MESSAGE })
  response: unknown;
}

@InputType({ description: "A passkey's new name." })
export class RenamePasskeyInput {
  @Field(() => ID, { description: "The passkey's id." })
  id: string;

  @Field({ description: 'Its new name (up to 64 characters).' })
  @IsName('Passkey name')
  name: string;
}

@InputType({ description: "The browser's answer to a passkey sign-in." })
export class FinishPasskeySignInInput {
  @Field(() => JSONScalar, { description: 'The AuthenticationResponseJSON from startAuthentication' })
  @IsObject({ message: RESPONSE_MESSAGE })
  response: unknown;
}
