// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layering (DESIGN.md): shared imports nothing of the others; the renderer never imports main,
 * server or node modules; only main/ipc.ts and the preload touch ipcMain/ipcRenderer.
 */
const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'net',
  'http',
  'https',
  'worker_threads',
];

const layer = (/** @type {string[]} */ forbiddenDirs, /** @type {string[]} */ extra = []) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        ...forbiddenDirs.map((dir) => ({
          group: [`**/${dir}`, `**/${dir}/**`],
          message: `This layer must not import src/${dir} (see DESIGN.md, Layout).`,
        })),
        ...(extra.length
          ? [{ group: extra, message: 'Not allowed in this layer (see DESIGN.md, Layout).' }]
          : []),
      ],
    },
  ],
});

const rawIpc = {
  'no-restricted-syntax': [
    'error',
    {
      selector: 'ImportSpecifier[imported.name=/^(ipcMain|ipcRenderer)$/]',
      message:
        'Only src/main/ipc.ts and src/preload touch ipcMain/ipcRenderer: add the method to src/shared/contract.ts.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'test/lint-fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: layer(
      ['main', 'preload', 'renderer', 'server', 'cobrowse'],
      [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws'],
    ),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layer(['main', 'preload', 'server'], [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws', 'pino']),
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/ipc.ts'],
    rules: { ...layer(['renderer', 'preload', 'server']), ...rawIpc },
  },
  { files: ['src/main/ipc.ts'], rules: layer(['renderer', 'preload', 'server']) },
  { files: ['src/preload/**/*.ts'], rules: layer(['main', 'renderer', 'server']) },
  {
    // The snippet shops embed: browser only, and only types from src/shared (its runtime values
    // come from src/cobrowse/contract.ts: zod would double the snippet's size).
    files: ['src/cobrowse/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...['main', 'preload', 'renderer', 'server'].map((dir) => ({
              group: [`**/${dir}`, `**/${dir}/**`],
              message: `This layer must not import src/${dir} (see DESIGN.md, Layout).`,
            })),
            {
              group: ['**/shared/**'],
              allowTypeImports: true,
              message:
                'The snippet imports only types from src/shared; values come from src/cobrowse/contract.ts.',
            },
            {
              group: [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws', 'pino', 'zod'],
              message: 'Not allowed in the co-browse snippet (see DESIGN.md, Layout).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: { ...layer(['main', 'preload', 'renderer'], ['electron']), ...rawIpc },
  },
);
