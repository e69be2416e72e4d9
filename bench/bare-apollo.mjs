// The baseline the API bench compares against: a bare Apollo Server 5 on Express 5 with one
// trivial resolver, from the same packages (and versions) the server uses. Run as its own process;
// prints its URL on stdout once listening.
import { require } from './server.mjs';

const { ApolloServer } = require('@apollo/server');
const { expressMiddleware } = require('@as-integrations/express5');
const express = require('express');

const apollo = new ApolloServer({
  typeDefs: 'type Query { hello: String }',
  resolvers: { Query: { hello: () => 'hi' } },
});
await apollo.start();
const app = express();
app.use('/graphql', express.json(), expressMiddleware(apollo));
const listener = app.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${listener.address().port}`));
process.on('SIGTERM', () => listener.close(() => process.exit(0)));
