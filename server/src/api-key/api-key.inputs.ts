import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, IsString, MaxLength } from 'class-validator';
import { LIMITS } from '@gatehouse/shared';
import { IsName, RenameInput } from '../kernel/named-inputs';

@InputType({ description: 'A new API key for the caller or, for admins, for a service account.' })
export class CreateApiKeyInput {
  @Field({ description: "A name unique among the owner's keys (up to 64 characters)." })
  @IsName()
  name: string;

  @Field(() => String, { nullable: true, description: 'What the key is for (up to 256 characters).' })
  @IsOptional()
  @MaxLength(LIMITS.descriptionMaxLength, {
    message: `Description can be at most ${LIMITS.descriptionMaxLength} characters.`,
  })
  description?: string;

  @Field(() => [String], { nullable: true, description: 'Defaults to ["*"]: everything the owner may do' })
  @IsOptional()
  @ArrayMinSize(1, { message: 'Choose at least one scope, or "*" for all.' })
  @ArrayMaxSize(100)
  @IsString({ each: true })
  scopes?: string[];

  @Field(() => Date, { nullable: true, description: 'Defaults to one year from now' })
  @IsOptional()
  expiresAt?: Date;

  @Field(() => Boolean, { nullable: true, description: 'Where the organization allows keys that never expire' })
  @IsOptional()
  neverExpires?: boolean;

  @Field(() => ID, { nullable: true, description: "A service account's id, to create a key for it (admins)" })
  @IsOptional()
  ownerId?: string;
}

/** The schema keeps its own name for this input; the fields are the common rename. */
@InputType({ description: "New values for a key's name or description; omitted fields stay as they are." })
export class UpdateApiKeyInput extends RenameInput {}
