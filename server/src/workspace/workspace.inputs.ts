import { Field, ID, InputType } from 'type-graphql';
import { IsDate, IsOptional, MaxLength } from 'class-validator';
import { NamedInput, RenameInput } from '../kernel/named-inputs';

@InputType()
export class CreateWorkspaceInput extends NamedInput {}

@InputType()
export class UpdateWorkspaceInput extends RenameInput {}

@InputType()
export class SetWorkspaceRoleInput {
  @Field(() => ID)
  @MaxLength(64)
  workspaceId: string;

  @Field(() => ID, { description: 'A user, service account or group of the organization' })
  @MaxLength(64)
  principalId: string;

  @Field(() => ID, { description: 'owner, contributor, viewer or a custom workspace role' })
  @MaxLength(64)
  roleId: string;

  @Field(() => Date, {
    nullable: true,
    description:
      'Gives the role only until this time; then the role held before applies again, or none. null makes the role permanent; leave it out to keep the current term.',
  })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
}

/** A workspace role chosen before the member exists (invitation, new service account). */
@InputType()
export class WorkspaceRoleInput {
  @Field(() => ID)
  @MaxLength(64)
  workspaceId: string;

  @Field(() => ID)
  @MaxLength(64)
  roleId: string;
}
