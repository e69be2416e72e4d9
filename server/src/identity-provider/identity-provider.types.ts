import { Field, ID, ObjectType } from 'type-graphql';
import { Group } from '../group/group.types';
import { Role } from '../role/role.types';

@ObjectType()
export class IdentityProviderGroupMapping {
  @Field()
  idpGroup: string;

  @Field(() => Role)
  role: Role;

  @Field(() => Group, { nullable: true })
  group: Group | null;
}

@ObjectType({ description: 'An OpenID Connect provider members sign in through (the client secret is never shown)' })
export class IdentityProvider {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  issuer: string;

  @Field()
  clientId: string;

  @Field()
  groupsClaim: string;

  @Field(() => [String])
  emailDomains: string[];

  @Field()
  enabled: boolean;

  @Field(() => [IdentityProviderGroupMapping])
  groupMappings: IdentityProviderGroupMapping[];

  @Field({ description: 'The redirect URI to register with the provider' })
  redirectUri: string;

  @Field({ description: "A link that starts signing in through this provider: the organization's sign-in link" })
  signInUrl: string;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}
