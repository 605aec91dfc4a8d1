// ESLint (flat config): the recommended JavaScript rules, typescript-eslint's type-aware
// recommended set for TypeScript (one TS program per tsconfig part, shared by all its rules),
// and the architecture's hard rule: code that must also run in a browser web worker or the
// panel imports neither `vscode`, nor Node's built-ins, nor the host.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NO_NODE = 'this code must run in a browser web worker or the panel too: no Node built-ins';
const nodeBuiltins = builtinModules.map((name) => ({ name, message: NO_NODE }));
const portable = {
  paths: [{ name: 'vscode', message: 'only src/extension/ may import vscode' }, ...nodeBuiltins],
  patterns: [
    { group: ['node:*'], message: NO_NODE },
    {
      group: ['**/extension', '**/extension/**', '**/cli', '**/cli/**'],
      message: 'dependencies point one way: nothing here imports the host',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'out/',
      'node_modules/',
      '.vscode-test/',
      'test-results/',
      '**/*.generated.ts',
      'src/model/schemaValidator.js',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_name` marks a parameter kept for its position; a caught error may go unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    // Tests read JSON (CLI output, package.json, DAP bodies) and assert on it: a wrong shape fails
    // the assertion loudly, so typing every parsed value would add casts and catch nothing.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: [
      'src/engine/**',
      'src/model/**',
      'src/analysis/**',
      'src/report/**',
      'src/debug/**',
      'src/protocol.ts',
      'src/protocol/**',
      'webview/**',
    ],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', portable] },
  },
  {
    // The extension runs in the browser's web worker extension host too (package.json "browser"):
    // Node only behind the platform interface, in the desktop's files (src/extension/platform/node*).
    files: ['src/extension/**'],
    ignores: ['src/extension/platform/node*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: nodeBuiltins, patterns: [{ group: ['node:*'], message: NO_NODE }] },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', '__dirname', '__filename', 'require', 'setImmediate', 'global'].map((name) => ({
          name,
          message: `${name} is Node's: ${NO_NODE}`,
        })),
      ],
    },
  },
);
