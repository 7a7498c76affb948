// Shared jest preset: ts-jest in transpile-only mode (type checking is the `build` target's job),
// and @nnsym/* imports mapped to the sibling packages' sources so tests never need a prior build.
const path = require('node:path');
const packagesDir = path.join(__dirname, 'packages');
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json') }],
  },
  moduleNameMapper: {
    '^@nnsym/([a-z-]+)/testing$': `${packagesDir}/$1/src/testing.ts`,
    '^@nnsym/([a-z-]+)$': `${packagesDir}/$1/src/index.ts`,
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
