import { Field, InputType } from 'type-graphql';
import { IsBoolean } from 'class-validator';

@InputType()
export class UpdateDomainInput {
  @Field({ description: 'Whether the verified domain also covers its subdomains' })
  @IsBoolean()
  includeSubdomains: boolean;
}
