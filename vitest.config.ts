import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2 cores: the CLI and Terraform suites spawn processes of their own.
    maxWorkers: 2,
  },
});
