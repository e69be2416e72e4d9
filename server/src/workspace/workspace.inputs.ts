import { Field, ID, InputType } from 'type-graphql';
import { IsDate, IsOptional, MaxLength } from 'class-validator';
import { NamedInput, RenameInput } from '../kernel/named-inputs';

@InputType({ description: "A new workspace's name and description." })
export class CreateWorkspaceInput extends NamedInput {}

@InputType({ description: "A workspace's new name or description." })
export class UpdateWorkspaceInput extends RenameInput {}

@InputType({ description: 'Gives a principal a role in a workspace, or changes it.' })
export class SetWorkspaceRoleInput {
  @Field(() => ID, { description: "The workspace's id." })
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
@InputType({ description: 'A workspace role to give.' })
export class WorkspaceRoleInput {
  @Field(() => ID, { description: "The workspace's id." })
  @MaxLength(64)
  workspaceId: string;

  @Field(() => ID, { description: "The workspace role's id." })
  @MaxLength(64)
  roleId: string;
}
