// The example files, bundled as text into the fake host (scripts/build.mjs: loader '.yaml' → text).
declare module '*.bp.yaml' {
  const text: string;
  export default text;
}
