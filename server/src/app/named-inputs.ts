import { Field, InputType } from 'type-graphql';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { LIMITS } from '@gatehouse/shared';

/** Name and description of a new group, workspace, role or service account. */
@InputType()
export class NamedInput {
  @Field()
  @Matches(/\S/, { message: 'Name is required.' })
  @MaxLength(LIMITS.nameMaxLength, { message: `Name can be at most ${LIMITS.nameMaxLength} characters.` })
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.descriptionMaxLength, {
    message: `Description can be at most ${LIMITS.descriptionMaxLength} characters.`,
  })
  description?: string;
}

/** A rename or new description; an omitted field is left as it is. */
@InputType()
export class RenameInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/\S/, { message: 'Name is required.' })
  @MaxLength(LIMITS.nameMaxLength, { message: `Name can be at most ${LIMITS.nameMaxLength} characters.` })
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(LIMITS.descriptionMaxLength, {
    message: `Description can be at most ${LIMITS.descriptionMaxLength} characters.`,
  })
  description?: string;
}
