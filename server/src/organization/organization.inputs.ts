import { Field, InputType } from 'type-graphql';
import { IsName } from '../kernel/named-inputs';

@InputType()
export class CreateOrganizationInput {
  @Field()
  @IsName('Organization name')
  name: string;
}
