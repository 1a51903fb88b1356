import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One graphql instance for our code and for the libraries (Yoga, Pothos) that Node loads as
  // CommonJS: Vite alone would pick graphql's .mjs entry, and GraphQL's instanceof checks fail.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'crash/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
