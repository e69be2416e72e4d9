import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum SocialProvider {
  google = 'google',
  microsoft = 'microsoft',
  github = 'github',
}
registerEnumType(SocialProvider, {
  name: 'SocialProvider',
  description: 'Sign-in providers an installation can enable',
});

@ObjectType({ description: 'A provider people can sign in or sign up with on this installation' })
export class SignInMethod {
  @Field(() => SocialProvider)
  id: SocialProvider;

  @Field()
  name: string;

  @Field({ description: 'Where the browser goes to sign in; add ?connect=1 to connect it to the signed-in account' })
  startUrl: string;
}

@ObjectType({ description: "One of the caller's ways to sign in besides a password" })
export class ConnectedSignInMethod {
  @Field({ description: 'google, microsoft, github, or sso (the organization’s identity provider)' })
  provider: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true, description: 'The account at the provider (social providers)' })
  email: string | null;

  @Field()
  connectedAt: Date;

  @Field()
  lastUsedAt: Date;
}

@ObjectType({ description: 'A social sign-up waiting for its organization name' })
export class PendingProviderSignUp {
  @Field(() => SocialProvider)
  provider: SocialProvider;

  @Field()
  providerName: string;

  @Field()
  email: string;

  @Field()
  firstName: string;

  @Field()
  lastName: string;
}
