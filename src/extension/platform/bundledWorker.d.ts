/** A Web Worker's bundled code as text: modules that scripts/build.mjs provides to the browser bundles. */
declare module 'bundled-worker:*' {
  const source: string;
  export default source;
}
