import { Field, InputType } from 'type-graphql';
import { MaxLength, MinLength } from 'class-validator';
import { LIMITS } from '@gatehouse/shared';

@InputType()
export class CreateOrganizationInput {
  @Field()
  @MinLength(1, { message: 'Organization name is required.' })
  @MaxLength(LIMITS.organizationNameMaxLength, {
    message: `Organization name can be at most ${LIMITS.organizationNameMaxLength} characters.`,
  })
  name: string;
}
