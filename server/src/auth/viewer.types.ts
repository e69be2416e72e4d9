import { Field, ObjectType } from 'type-graphql';
import { User } from '../user/user.types';
import { Organization } from '../organization/organization.types';
import { Role } from '../role/role.types';
import { ApiKey } from '../api-key/api-key.types';

@ObjectType({ description: 'The caller: who they are, where, and what they may do there' })
export class Viewer {
  @Field(() => User, { description: "The signed-in user (or the key's owner)." })
  user: User;

  @Field(() => Organization, { description: 'The active organization' })
  organization: Organization;

  @Field(() => Role, { description: 'The tenant role in the active organization' })
  role: Role;

  @Field(() => [String], { description: 'Effective permissions in the active organization' })
  permissions: string[];

  @Field(() => [Organization], { description: 'Every organization the user is an active member of' })
  organizations: Organization[];

  @Field({ description: 'The organization requires 2FA and this browser session has to set it up first' })
  twoFactorSetupRequired: boolean;

  @Field(() => ApiKey, { nullable: true, description: 'The key this request authenticated with, if any' })
  apiKey: ApiKey | null;
}
