/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'], '/node_modules/oauth4webapi/.+\\.js$': ['@swc/jest'] },
  // oauth4webapi ships ES modules only; Jest (on Node < 24.9) must compile it to CommonJS to require it.
  transformIgnorePatterns: ['/node_modules/(?!oauth4webapi/)'],
  // Tests start real servers (Temporal, the Pleo sandbox, trytond); a loaded 2-core machine needs room.
  testTimeout: 120_000,
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
