import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', 'build/**', 'test/artifacts/**', 'bench/**/*.mjs', 'scripts/**/*.mjs', 'test/fixtures/**', 'src/generated/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // No import circles, type-only ones included: a circle means two modules are one concern split badly.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts'], 'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })] },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // The pure core never touches the file system, the network, the clock or the process: those come in as
    // arguments from src/io and src/cli. node:crypto (hashing) and node:path (string-only) are pure.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:(?!(crypto|path)$)', message: 'src/core is pure: only node:crypto and node:path; do I/O in src/io.' },
            { regex: '^(fs|fs/promises|child_process|net|http|https|os|module|process|worker_threads|dgram|dns|tls|url|vm|cluster|readline)$', message: 'src/core is pure: do I/O in src/io.' },
            { group: ['undici', 'pg'], message: 'src/core is pure: do I/O in src/io.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core is pure: pass env/cwd/argv in from src/cli.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'src/core is pure: the clock is passed in (a `now: Date`).' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/core is pure: the clock is passed in (a `now: Date`).' },
        { selector: "CallExpression[callee.name='Date'][arguments.length=0]", message: 'src/core is pure: the clock is passed in (a `now: Date`).' },
        { selector: 'ImportExpression', message: 'src/core is synchronous and pure: no dynamic import.' },
        { selector: 'Program > VariableDeclaration[kind=/^(let|var)$/]', message: 'src/core keeps no module-level state: hold it in a value the caller owns.' },
        {
          selector:
            ':matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet)$/][arguments.length=0]',
          message: 'src/core keeps no module-level memo: hold it in a value the caller owns.',
        },
        { selector: 'Program > ExportNamedDeclaration > VariableDeclaration[kind=/^(let|var)$/]', message: 'src/core keeps no module-level state: hold it in a value the caller owns.' },
      ],
    },
  },
);
