import { Field, ID, ObjectType } from 'type-graphql';
import { Group } from '../group/group.types';
import { Role } from '../role/role.types';

@ObjectType({ description: 'A provider group and what its members get here.' })
export class IdentityProviderGroupMapping {
  @Field({ description: "The group's name at the provider." })
  idpGroup: string;

  @Field(() => Role, { description: 'The tenant role they get.' })
  role: Role;

  @Field(() => Group, { nullable: true, description: 'The group they join; null for none.' })
  group: Group | null;
}

@ObjectType({ description: 'An OpenID Connect provider members sign in through (the client secret is never shown)' })
export class IdentityProvider {
  @Field(() => ID, { description: 'Its id.' })
  id: string;

  @Field({ description: 'Its name, shown on the sign-in button.' })
  name: string;

  @Field({ description: 'The OpenID Connect issuer URL.' })
  issuer: string;

  @Field({ description: 'The client id registered at the provider.' })
  clientId: string;

  @Field({ description: "The ID token claim that lists a person's groups." })
  groupsClaim: string;

  @Field(() => [String], { description: 'Email domains whose people sign in through it.' })
  emailDomains: string[];

  @Field({ description: 'Whether sign-in through it is on.' })
  enabled: boolean;

  @Field(() => [IdentityProviderGroupMapping], { description: 'How its groups map to roles and groups here.' })
  groupMappings: IdentityProviderGroupMapping[];

  @Field({ description: 'The redirect URI to register with the provider' })
  redirectUri: string;

  @Field({ description: "A link that starts signing in through this provider: the organization's sign-in link" })
  signInUrl: string;

  @Field({ description: 'When it was added.' })
  createdAt: Date;

  @Field({ description: 'When it was last changed.' })
  updatedAt: Date;
}
