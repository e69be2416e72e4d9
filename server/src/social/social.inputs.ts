import { Field, InputType } from 'type-graphql';
import { MaxLength } from 'class-validator';
import { NewAccountInput } from '../auth/auth.inputs';

@InputType({ description: 'Completes a sign-up started at a provider.' })
export class ProviderSignUpInput extends NewAccountInput {
  @Field({ description: 'From /signup?provider_signup=… after a first social sign-in' })
  @MaxLength(4096)
  signUpToken: string;
}
