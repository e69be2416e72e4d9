import { Field, InputType } from 'type-graphql';
import { IsBoolean } from 'class-validator';

@InputType({ description: 'Changes to a claimed domain.' })
export class UpdateDomainInput {
  @Field({ description: 'Whether the verified domain also covers its subdomains' })
  @IsBoolean()
  includeSubdomains: boolean;
}
