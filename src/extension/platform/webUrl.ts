/** Node's `url` module as @vscode/debugadapter uses it (`new URL(…)`), in the browser bundle: the browser's URL. */
export const URL = globalThis.URL;
