// One jest run for the whole monorepo. swc strips types (tsc checks them in `npm run typecheck`),
// so tests start fast; workspace packages resolve to their sources, never to a build.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/actions', '<rootDir>/test'],
  testMatch: ['**/__tests__/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper: {
    '^@slipway/shared$': '<rootDir>/packages/shared/src/index.ts',
    '^@slipway/testing$': '<rootDir>/packages/testing/src/index.ts',
  },
  setupFilesAfterEnv: ['<rootDir>/packages/testing/src/jest-setup.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  clearMocks: true,
  restoreMocks: true,
  testTimeout: 30000,
  // three on this 2-core machine: most tests wait on Docker daemons, sshd and proxies (a whole run left a fifth of
  // the CPU idle with three, 48% with two); four left it saturated and a load test's timing slipped. Fixed, not a
  // share of the cores: the three local hosts are the shared resource, however many cores the machine has.
  maxWorkers: 3,
  // longest files first on a fresh clone too (jest's own order needs its cache of the last run)
  testSequencer: '<rootDir>/scripts/jest-sequencer.js',
};
