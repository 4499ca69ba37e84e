// secretlite.global-teardown.mjs
export default async function globalTeardown() {
  await globalThis.__SECRETLITE__?.close();
}
