import { Field, InputType } from 'type-graphql';
import { IsName } from '../kernel/named-inputs';

@InputType({ description: 'A new organization.' })
export class CreateOrganizationInput {
  @Field({ description: 'Its name (up to 64 characters).' })
  @IsName('Organization name')
  name: string;
}
