// jest.config.mjs
export default {
  globalSetup: './secretlite.global-setup.mjs',
  globalTeardown: './secretlite.global-teardown.mjs',
};
