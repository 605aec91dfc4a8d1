/**
 * What the integration tests' imports of Node's built-ins (fs, os, path, …) become in the web
 * worker host's bundle (scripts/build.mjs): that host has no Node, so a test that needs one is
 * for the Node host only and is skipped in the web run (`onlyIn('node', reason)`, host.ts). Using
 * it anyway fails that test with this sentence, not the whole suite at load time.
 */
const unavailable = new Proxy(
  {},
  {
    get(_target, key) {
      // Module interop asks these when the import is loaded: answer as an empty CommonJS module.
      if (typeof key === 'symbol' || key === '__esModule' || key === 'then') return undefined;
      throw new Error(
        `Node's ${String(key)}() is not available in the web worker extension host: mark this test onlyIn('node', reason)`,
      );
    },
  },
);

export = unavailable;
