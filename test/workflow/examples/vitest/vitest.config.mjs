// vitest.config.mjs: one secretlite for the whole run
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { globalSetup: ['./secretlite.global-setup.mjs'], include: ['*.test.mjs'] },
});
