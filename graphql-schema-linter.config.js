// graphql-schema-linter (`pnpm lint`) checks the public schema with its default rules. Nothing is
// turned off; the exceptions below are single schema members, each with its reason.
module.exports = {
  schemaPaths: ['schema.graphql'],
  ignore: {
    // The provider ids are lower case because they are the public names of the providers
    // everywhere else too (the /api/auth/:provider/start URLs, ConnectedSignInMethod.provider,
    // SOCIAL_PROVIDERS); upper-casing them now would break every client that sends them.
    'enum-values-all-caps': ['SocialProvider.github', 'SocialProvider.google', 'SocialProvider.microsoft'],
  },
};
