// The one build script: bundles the extension host, the worker, the CLI and the webview,
// and transpiles tests and scripts for mocha. Type checking is `npm run typecheck` (tsc --noEmit);
// esbuild only strips types, which keeps `npm install` (prepare) fast.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Every .ts file below `dir`, for the non-bundled transpile of tests and scripts. */
function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const common = {
  bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', target: 'es2022',
  // jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow; its ES build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

const builds = [
  // Extension host: CommonJS, `vscode` supplied by the host at run time.
  existsSync('src/extension/extension.ts') && {
    ...common, platform: 'node', format: 'cjs', entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js', external: ['vscode'],
  },
  // Worker thread for long runs: the engine only, no vscode.
  existsSync('src/extension/worker.ts') && {
    ...common, platform: 'node', format: 'cjs', entryPoints: ['src/extension/worker.ts'],
    outfile: 'dist/worker.js',
  },
  // The `backprop` CLI (package.json "bin").
  {
    ...common, platform: 'node', format: 'cjs', entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' },
  },
  // The panel's browser code (its stylesheets and fonts are copied below, not bundled).
  existsSync('webview/main.ts') && {
    ...common, platform: 'browser', format: 'iife', entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
  },
  // The headless panel tests' stand-in for the extension host (test/webview), a browser bundle.
  existsSync('test/webview/harness/fakeHost.ts') && {
    ...common, platform: 'browser', format: 'iife', entryPoints: ['test/webview/harness/fakeHost.ts'],
    outfile: 'out/test/webview/fakeHost.js', loader: { '.yaml': 'text' },
  },
  // Tests and scripts, transpiled file by file (not bundled) so stack traces name real files.
  {
    entryPoints: [...tsFiles('src'), ...tsFiles('webview'), ...tsFiles('test'), ...tsFiles('scripts')],
    outdir: 'out', outbase: '.', platform: 'node', format: 'cjs', target: 'es2022',
    sourcemap: true, logLevel: 'warning',
  },
].filter(Boolean);

// The panel loads KaTeX's and the codicons' stylesheets and fonts from the extension itself
// (the CSP allows nothing from the network): copy them next to dist/webview.js.
function copyPanelAssets() {
  const copies = [
    ['node_modules/katex/dist/katex.min.css', 'dist/webview/katex/katex.min.css'],
    // Chromium takes the first src KaTeX lists, woff2; the woff and ttf fallbacks are not shipped.
    ...readdirSync('node_modules/katex/dist/fonts').filter((f) => f.endsWith('.woff2'))
      .map((f) => [`node_modules/katex/dist/fonts/${f}`, `dist/webview/katex/fonts/${f}`]),
    ['node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicons/codicon.css'],
    ['node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicons/codicon.ttf'],
  ];
  for (const [from, to] of copies) {
    mkdirSync(join(to, '..'), { recursive: true });
    copyFileSync(from, to);
  }
}
if (existsSync('webview/main.ts')) copyPanelAssets();

if (!watch) {
  await Promise.all(builds.map((b) => esbuild.build(b)));
} else {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
}
