/** The trace panel's entry point (bundled to dist/webview.js by scripts/build.mjs). */
import { App } from './app';
import { registerToolkit } from './toolkit';

registerToolkit();
new App(document.getElementById('app') ?? document.body);
