import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { NamedInput, RenameInput } from '../kernel/named-inputs';
import { MemberStatus } from '../member/member.types';
import { UPDATABLE_STATUSES } from '../member/member.inputs';
import { WorkspaceRoleInput } from '../workspace/workspace.inputs';

@InputType()
export class CreateServiceAccountInput extends NamedInput {
  @Field(() => ID)
  roleId: string;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  groupIds?: string[];

  @Field(() => [WorkspaceRoleInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested()
  workspaceRoles?: WorkspaceRoleInput[];
}

@InputType()
export class UpdateServiceAccountInput extends RenameInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  roleId?: string;

  @Field(() => MemberStatus, { nullable: true, description: 'ACTIVE or INACTIVE' })
  @IsOptional()
  @IsIn(UPDATABLE_STATUSES, { message: 'A service account can only be made active or inactive.' })
  status?: MemberStatus;
}
