/**
 * The panel's HTML shell. Pure (no `vscode`): the host passes webview URIs, the headless panel
 * tests pass their own, so both load the same page under the same CSP.
 *
 * CSP: nothing but our own files. Scripts need the per-load nonce. Styles come from our
 * stylesheets, with no 'unsafe-inline': the panel sets dynamic styles through the CSSOM, and
 * KaTeX is rendered with katex.render, which does the same, so neither needs style attributes.
 * The toolkit's components use constructed stylesheets, which CSP does not govern; only its
 * FAST base probes for :focus-visible support with a <style> element, which it tags with the
 * nonce from <meta property="csp-nonce">, so style-src also carries the nonce (it admits
 * <style nonce> elements, still no style attributes). Images: our files and data: URLs (the PNG
 * export draws the diagram's SVG from a data: URL; heatmaps inside it are data: PNGs).
 */
export interface PanelAssets {
  /** webview.cspSource: the origin our files are served from. */
  readonly cspSource: string;
  readonly nonce: string;
  /** dist/webview.js, then any test-only scripts that must run first. */
  readonly script: string;
  readonly preludeScripts?: readonly string[];
  /** codicon.css, katex.min.css, panel.css, lossChart.css. */
  readonly styles: readonly string[];
}

/** Paths of the panel's files relative to the extension root (also localResourceRoots). */
export const PANEL_FILES = {
  script: ['dist', 'webview.js'],
  styles: [
    ['dist', 'webview', 'codicons', 'codicon.css'],
    ['dist', 'webview', 'katex', 'katex.min.css'],
    ['media', 'panel.css'],
    ['media', 'lossChart.css'],
  ],
} as const;

export function panelHtml(a: PanelAssets): string {
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${a.nonce}'`,
    `style-src ${a.cspSource} 'nonce-${a.nonce}'`,
    `font-src ${a.cspSource}`,
    `img-src ${a.cspSource} data:`,
  ].join('; ');
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta property="csp-nonce" content="${attr(a.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${a.styles.map((href) => `<link rel="stylesheet" href="${attr(href)}">`).join('\n')}
<title>Backprop trace</title>
</head>
<body>
<main id="app"></main>
${[...(a.preludeScripts ?? []), a.script].map((src) => `<script nonce="${attr(a.nonce)}" src="${attr(src)}"></script>`).join('\n')}
</body>
</html>`;
}

/** 32 random characters for the script nonce. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(32), (b) => alphabet[b % alphabet.length]).join('');
}
