/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  // Tests start real servers (Temporal, the Pleo sandbox, trytond); a loaded 2-core machine needs room.
  testTimeout: 120_000,
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
