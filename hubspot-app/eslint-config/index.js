// HubSpot's "Full Recommended Config" for UI extensions (README of @hubspot/eslint-config-ui-extensions 1.2.0),
// the setup `hs project lint` checks for: HubSpot's own rules (no browser APIs, no imports from outside the
// extension point, ...) plus the standard JS, TypeScript, React and React Hooks rules. Each extension folder's
// eslint.config.js re-exports it, so cards, settings and the shared package are held to the same rules.
import js from '@eslint/js';
import { config as uiExtensionsConfig } from '@hubspot/eslint-config-ui-extensions';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import unusedImports from 'eslint-plugin-unused-imports';
import tseslint from 'typescript-eslint';

export default defineConfig([
  js.configs.recommended,
  tseslint.configs.recommended,
  tseslint.configs.stylistic,
  react.configs.flat.recommended,
  react.configs.flat['jsx-runtime'],
  { settings: { react: { version: 'detect' } } },
  ...uiExtensionsConfig,
  reactHooks.configs.flat['recommended-latest'],
  {
    plugins: { 'unused-imports': unusedImports },
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      'unused-imports/no-unused-imports': 'error',
      'unused-imports/no-unused-vars': ['warn', { vars: 'all', varsIgnorePattern: '^_', args: 'after-used', argsIgnorePattern: '^_' }],
    },
  },
  // Last, so formatting rules that fight the formatter stay off (the repository formats with biome).
  prettier,
]);
