import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/model/service.ts', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        TextDecoder: 'readonly',
        URLSearchParams: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'inject a Random' }],
    },
  },
  {
    // the console puts data into the page as text only (src/ui/dom.ts) and keeps credentials in memory only
    files: ['src/ui/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'srcdoc'].map((property) => ({
          property,
          message: 'insert text (dom.ts h, fill), never HTML',
        })),
        { object: 'document', property: 'write', message: 'insert text (dom.ts h, fill), never HTML' },
        { object: 'document', property: 'cookie', message: 'credentials stay in memory' },
      ],
      'no-restricted-globals': [
        'error',
        ...['localStorage', 'sessionStorage', 'indexedDB', 'eval'].map((name) => ({
          name,
          message: 'credentials stay in memory; no code from text',
        })),
      ],
    },
  },
  {
    files: ['src/operations/**', 'src/domain/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'inject a Random (DESIGN.md rule 7)' },
        { object: 'Date', property: 'now', message: 'use ctx.clock (DESIGN.md rule 7)' },
      ],
    },
  },
);
