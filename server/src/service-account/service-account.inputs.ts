import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { NamedInput, RenameInput } from '../kernel/named-inputs';
import { MemberStatus } from '../member/member.types';
import { UPDATABLE_STATUSES } from '../member/member.inputs';
import { WorkspaceRoleInput } from '../workspace/workspace.inputs';

@InputType({ description: 'A new service account: a non-person principal that programs use through its API keys.' })
export class CreateServiceAccountInput extends NamedInput {
  @Field(() => ID, { description: 'Its tenant role.' })
  roleId: string;

  @Field(() => [ID], { nullable: true, description: 'Groups it joins.' })
  @IsOptional()
  @ArrayMaxSize(100)
  groupIds?: string[];

  @Field(() => [WorkspaceRoleInput], { nullable: true, description: 'Its workspace roles.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested()
  workspaceRoles?: WorkspaceRoleInput[];
}

@InputType({ description: "A service account's new name, description or role." })
export class UpdateServiceAccountInput extends RenameInput {
  @Field(() => ID, { nullable: true, description: 'Its new tenant role; omitted: unchanged.' })
  @IsOptional()
  roleId?: string;

  @Field(() => MemberStatus, { nullable: true, description: 'ACTIVE or INACTIVE' })
  @IsOptional()
  @IsIn(UPDATABLE_STATUSES, { message: 'A service account can only be made active or inactive.' })
  status?: MemberStatus;
}
