import { Field, ID, InputType } from 'type-graphql';
import { MaxLength } from 'class-validator';
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
