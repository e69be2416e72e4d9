import { Field, InputType } from 'type-graphql';
import { IsOptional, MaxLength, ValidateBy } from 'class-validator';
import { LIMITS, nameProblem } from '@gatehouse/shared';

/** Applies the one name rule (`nameProblem`) to an input field, so a bad name answers BAD_USER_INPUT on its field. */
export function IsName(what = 'Name'): PropertyDecorator {
  return ValidateBy({
    name: 'isName',
    validator: {
      validate: (value) => typeof value === 'string' && nameProblem(value, what) === null,
      defaultMessage: (args) =>
        (typeof args?.value === 'string' && nameProblem(args.value, what)) || `${what} is required.`,
    },
  });
}

/** Name and description of a new group, workspace, role or service account. */
@InputType()
export class NamedInput {
  @Field({ description: 'The name (up to 64 characters).' })
  @IsName()
  name: string;

  @Field(() => String, { nullable: true, description: 'What it is for (up to 256 characters).' })
  @IsOptional()
  @MaxLength(LIMITS.descriptionMaxLength, {
    message: `Description can be at most ${LIMITS.descriptionMaxLength} characters.`,
  })
  description?: string;
}

/** A rename or new description; an omitted field is left as it is. */
@InputType()
export class RenameInput {
  @Field(() => String, { nullable: true, description: 'A new name (up to 64 characters); omitted: unchanged.' })
  @IsOptional()
  @IsName()
  name?: string;

  @Field(() => String, { nullable: true, description: 'A new description (up to 256 characters); omitted: unchanged.' })
  @IsOptional()
  @MaxLength(LIMITS.descriptionMaxLength, {
    message: `Description can be at most ${LIMITS.descriptionMaxLength} characters.`,
  })
  description?: string;
}
