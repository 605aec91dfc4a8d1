/** The Web Worker's bundled code as text: a module that scripts/build.mjs provides to the web bundle. */
declare module 'backprop:web-worker-source' {
  const source: string;
  export default source;
}
