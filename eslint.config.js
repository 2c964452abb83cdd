// Lint rules that keep the layers honest: everything below the UI must stay free of
// ink, react and conf, so the protocol engine can run in scripts, the broker and tests
// without paying for (or depending on) a terminal UI or a settings store.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const uiPackages = ['ink', 'ink-*', 'react', 'react/*', 'conf', 'ink-text-input', 'ink-testing-library'];
const lowerLayers = [
  'src/protocol/**', 'src/transport/**', 'src/session/**', 'src/schema/**',
  'src/completion/**', 'src/verbs/**', 'src/lab/**', 'src/broker/**',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: lowerLayers,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: uiPackages, message: 'Lower layers must not import UI or settings packages (ink, react, conf).' },
          { group: ['**/ui/**', '**/settings/**', '**/cli/**'], message: 'Lower layers must not reach up into ui, settings or cli.' },
        ],
      }],
    },
  },
  {
    // Build, bench and asset scripts run as plain Node ESM.
    files: ['**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
      },
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
