import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum SocialProvider {
  google = 'google',
  microsoft = 'microsoft',
  github = 'github',
}
registerEnumType(SocialProvider, {
  name: 'SocialProvider',
  description: 'Sign-in providers an installation can enable',
  valuesConfig: {
    google: { description: 'Google accounts.' },
    microsoft: { description: 'Microsoft accounts (personal, work or school).' },
    github: { description: 'GitHub accounts.' },
  },
});

@ObjectType({ description: 'A provider people can sign in or sign up with on this installation' })
export class SignInMethod {
  @Field(() => SocialProvider, { description: 'The provider.' })
  id: SocialProvider;

  @Field({ description: 'Its display name.' })
  name: string;

  @Field({ description: 'Where the browser goes to sign in; add ?connect=1 to connect it to the signed-in account' })
  startUrl: string;
}

@ObjectType({ description: "One of the caller's ways to sign in besides a password" })
export class ConnectedSignInMethod {
  @Field({ description: 'The provider: google, microsoft, github, or sso (the organization’s identity provider)' })
  provider: string;

  @Field({ description: "The provider's display name." })
  name: string;

  @Field(() => String, { nullable: true, description: 'The account at the provider (social providers)' })
  email: string | null;

  @Field({ description: 'When it was connected.' })
  connectedAt: Date;

  @Field({ description: 'When it was last used to sign in.' })
  lastUsedAt: Date;
}

@ObjectType({ description: 'A social sign-up waiting for its organization name' })
export class PendingProviderSignUp {
  @Field(() => SocialProvider, { description: 'The provider.' })
  provider: SocialProvider;

  @Field({ description: 'Its display name.' })
  providerName: string;

  @Field({ description: 'The email the provider gave.' })
  email: string;

  @Field({ description: 'The first name the provider gave.' })
  firstName: string;

  @Field({ description: 'The last name the provider gave.' })
  lastName: string;
}
