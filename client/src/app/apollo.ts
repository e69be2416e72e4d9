import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';

export function createApolloClient(): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: '/graphql', credentials: 'same-origin' }),
    cache: new InMemoryCache({
      typePolicies: {
        // The viewer has no id: it is the session's singleton, replaced whole on sign-in and switch.
        Viewer: { keyFields: [] },
      },
    }),
  });
}
