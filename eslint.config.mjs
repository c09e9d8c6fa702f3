// ESLint (flat config) with typescript-eslint. Few rules, each catching a real mistake: unused
// names, promises nobody awaits, type-only imports that would load a module at run time,
// default exports (the house uses named exports), and code past 140 characters (Prettier lays code out
// at 140; it cannot break a string, so long messages and help texts are left whole).
import tseslint from 'typescript-eslint';

const noDefaultExport = {
  selector: 'ExportDefaultDeclaration',
  message: 'Use a named export (the house has no default exports).',
};

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'packages/core/src/generated/**', 'coverage/**', '.nx/**'],
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.mjs', '**/*.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'no-restricted-syntax': ['error', noDefaultExport],
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true }],
    },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Typed rules only where a tsconfig covers the files (the packages' sources): cheap there.
    files: ['packages/*/src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Core's folders are modules: other folders import their index, and the package index names
    // what it exports (no `export *`), so the public API is a list someone chose.
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        noDefaultExport,
        { selector: 'ExportAllDeclaration[exported=null]', message: 'Name the exports (`export * as name` is named).' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(compile|contexts|diagnostics|emit|load|lint|lock|plan|resolve|validate)/',
              message: "Import from the folder's index: its other files are its own business.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tools that require a default export from their config file.
    files: ['eslint.config.mjs', 'vitest*.config.mts', '**/vitest.config.mts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
