import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsEmail, IsOptional, Matches, MaxLength, ValidateNested } from 'class-validator';
import { INVITATIONS_PER_REQUEST_MAX, LIMITS } from '@gatehouse/shared';
import { WorkspaceRoleInput } from '../workspace/workspace.inputs';

@InputType({ description: 'One person to invite.' })
export class InvitationInput {
  @Field({ description: 'Their email address (up to 254 characters).' })
  @IsEmail({}, { message: 'Enter a valid email address.' })
  @MaxLength(LIMITS.emailMaxLength, { message: 'Email is too long.' })
  email: string;

  @Field(() => ID, { description: 'The tenant role the person gets' })
  roleId: string;

  @Field(() => [ID], { nullable: true, description: 'Groups they join on accepting.' })
  @IsOptional()
  @ArrayMaxSize(100)
  groupIds?: string[];

  @Field(() => [WorkspaceRoleInput], { nullable: true, description: 'Workspace roles they get on accepting.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested()
  workspaceRoles?: WorkspaceRoleInput[];
}

@InputType({ description: 'People to invite, up to 50 in one request.' })
export class InviteMembersInput {
  @Field(() => [InvitationInput], { description: 'The invitations to send (1-50).' })
  @ArrayMinSize(1, { message: 'Add at least one email.' })
  @ArrayMaxSize(INVITATIONS_PER_REQUEST_MAX, { message: `At most ${INVITATIONS_PER_REQUEST_MAX} invitations at once.` })
  @ValidateNested()
  invitations: InvitationInput[];
}

@InputType({
  description: 'Accepting an invitation: the token from its link, and for a new person their name and password.',
})
export class AcceptInvitationInput {
  @Field({ description: 'The token from the invitation link.' })
  @MaxLength(128)
  token: string;

  @Field(() => String, { nullable: true, description: 'For a new account only' })
  @IsOptional()
  @MaxLength(LIMITS.passwordMaxLength, { message: 'Password must be at most 72 bytes.' })
  password?: string;

  @Field(() => String, { nullable: true, description: 'For a new account only' })
  @IsOptional()
  @Matches(/\S/, { message: 'First name is required.' })
  @MaxLength(LIMITS.nameMaxLength, { message: `First name can be at most ${LIMITS.nameMaxLength} characters.` })
  firstName?: string;

  @Field(() => String, { nullable: true, description: 'For a new account only' })
  @IsOptional()
  @Matches(/\S/, { message: 'Last name is required.' })
  @MaxLength(LIMITS.nameMaxLength, { message: `Last name can be at most ${LIMITS.nameMaxLength} characters.` })
  lastName?: string;
}
