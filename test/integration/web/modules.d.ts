/** Modules that scripts/build.mjs provides to the web run's bundle. */

/** mocha's browser build, run as a script; it also sets the BDD globals (describe, it, …). */
declare module 'mocha/mocha.js' {
  const mocha: BrowserMocha;
  export default mocha;
}

/** A function that loads every test/integration/*.test.ts, in order. */
declare module 'backprop:integration-tests' {
  const loadTests: () => void;
  export default loadTests;
}

/** A Web Worker's bundled code as text (scripts/build.mjs). */
declare module 'bundled-worker:*' {
  const source: string;
  export default source;
}
