import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Imports flow one way: app → features → lib, and anything → components. Components are
// presentational (no features, no lib, no fetching); only src/lib/api-client.ts talks HTTP.

const noFetch = [
  {
    name: 'fetch',
    message: 'Only src/lib/api-client.ts may call fetch: add a typed call to a feature client instead.',
  },
  { name: 'XMLHttpRequest', message: 'Only src/lib/api-client.ts talks HTTP.' },
];

const storage = [
  { name: 'localStorage', message: 'Tokens and user data never go in web storage; keep state in memory.' },
  { name: 'sessionStorage', message: 'Tokens and user data never go in web storage; keep state in memory.' },
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'src/lib/api-types.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './tsconfig.node.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // React event handlers may be async; their promises are handled inside.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ...jsxA11y.flatConfigs.strict,
    languageOptions: { ...jsxA11y.flatConfigs.strict.languageOptions, globals: globals.browser },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-globals': ['error', ...noFetch, ...storage],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'fetch', message: 'Only src/lib/api-client.ts may call fetch.' },
        { object: 'globalThis', property: 'fetch', message: 'Only src/lib/api-client.ts may call fetch.' },
        { object: 'window', property: 'localStorage', message: 'No web storage for session data.' },
        { object: 'window', property: 'sessionStorage', message: 'No web storage for session data.' },
      ],
    },
  },
  {
    // The one exception: a note that this tab's user should change their password (their id
    // and a reason, no credential), which must outlive a reload; see the file's comment.
    files: ['src/features/auth/password-change-note.ts'],
    rules: {
      'no-restricted-globals': ['error', ...noFetch, storage[0]],
    },
  },
  {
    files: ['src/lib/api-client.ts'],
    rules: {
      'no-restricted-globals': ['error', ...storage],
      'no-restricted-properties': 'off',
    },
  },
  {
    files: ['src/components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features/**', '**/features'],
              message: 'components/ is presentational: it may not import features/.',
            },
            { group: ['**/lib/**', '**/lib'], message: 'components/ is presentational: it may not import lib/.' },
            { group: ['**/app/**', '**/app'], message: 'components/ may not import app/.' },
            { group: ['react-router', 'react-router-dom'], message: 'components/ may not depend on routing.' },
          ],
          paths: [
            {
              name: 'react',
              importNames: ['createContext', 'useContext'],
              message: 'components/ is presentational: it takes props, it does not hold or read context.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/lib/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features/**', '**/app/**', '**/components/**'],
              message: 'lib/ sits at the bottom: it imports nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/app/**'], message: 'features/ may not import app/; compose features in app/ instead.' },
            {
              regex: String.raw`^\.\./(?!\.\./)[^/]+/`,
              message: 'A feature may not import another feature; compose them in app/ instead.',
            },
            {
              // "../../features/x/…" reaches another feature through the features folder.
              group: ['**/features/**', '**/features'],
              message: 'A feature may not import another feature; compose them in app/ instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    rules: {
      'no-restricted-globals': 'off',
      'no-restricted-properties': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['*.{js,ts}', 'build/**', 'e2e/**'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['eslint.config.js', 'build/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
