// sfdx-lwc-jest's preset (lightning base component stubs, LWC transform, jsdom), plus the metadata tests in test/.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  testMatch: ['**/__tests__/**/*.test.js', '<rootDir>/test/**/*.test.js'],
  moduleNameMapper: { '^closewise-test/(.*)$': '<rootDir>/test/$1' },
  modulePathIgnorePatterns: ['<rootDir>/.localdevserver'],
};
