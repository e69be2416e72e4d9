// One jest run for the whole workspace: shared unit tests, server integration tests against a
// real PostgreSQL, and browser tests against a built server (see scripts/test-setup.js).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const project = (name, testMatch, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  // request-filtering-agent ships only as an ES module, which jest cannot require as it is.
  transform: { '^.+\\.tsx?$': swc, '/request-filtering-agent/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!\\.pnpm/request-filtering-agent@|request-filtering-agent/)'],
  testMatch,
  moduleNameMapper: {
    '^@gatehouse/shared/generated$': '<rootDir>/shared/src/generated/graphql.ts',
    '^@gatehouse/shared$': '<rootDir>/shared/src/index.ts',
  },
  ...extra,
});

module.exports = {
  globalSetup: '<rootDir>/scripts/test-setup.js',
  globalTeardown: '<rootDir>/scripts/test-teardown.js',
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  testTimeout: 60000,
  projects: [
    project('shared', ['<rootDir>/shared/src/**/*.test.ts']),
    project('scripts', ['<rootDir>/scripts/**/*.test.js']),
    project('server', ['<rootDir>/server/src/**/*.test.ts']),
    project('browser', ['<rootDir>/client/src/**/*.e2e.test.ts']),
  ],
};
