/**
 * Headless Chromium on the BUILT panel (dist/webview.js, media/panel.css, dist/webview/*), with
 * the fake host (out/test/webview/fakeHost.js) standing in for VS Code. The page is served from
 * a made-up origin through request interception, under the very HTML and CSP the real host
 * sends (src/extension/panel/html.ts), so nothing here is a test-only shortcut around them.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, Browser, Page } from 'playwright-core';
import { makeNonce, PANEL_FILES, panelHtml } from '../../src/extension/panel/html';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'panel');
const ORIGIN = 'https://panel.test';
const CHROMIUM = process.env.BACKPROP_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.html': 'text/html',
};

let browser: Browser | null = null;

export async function launch(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

export interface PanelPageOptions {
  readonly theme?: 'dark' | 'light' | 'high-contrast';
  readonly width?: number;
  readonly height?: number;
  readonly reducedMotion?: boolean;
  /** What the panel saved before a "reload" (getState returns it). */
  readonly state?: unknown;
}

/** A fresh page showing the panel, with window.harness ready (no trace loaded yet). */
export async function openPanel(o: PanelPageOptions = {}): Promise<Page> {
  for (const f of ['dist/webview.js', 'out/test/webview/fakeHost.js', 'media/panel.css']) {
    if (!fs.existsSync(path.join(REPO_ROOT, f))) throw new Error(`${f} is missing: run node scripts/build.mjs first`);
  }
  const b = await launch();
  const page = await b.newPage({
    viewport: { width: o.width ?? 1100, height: o.height ?? 900 },
    reducedMotion: o.reducedMotion ? 'reduce' : 'no-preference',
  });
  const html = panelHtml({
    cspSource: ORIGIN,
    nonce: makeNonce((n) => Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256))),
    script: `${ORIGIN}/${PANEL_FILES.script.join('/')}`,
    preludeScripts: [`${ORIGIN}/out/test/webview/fakeHost.js`],
    styles: PANEL_FILES.styles.map((p) => `${ORIGIN}/${p.join('/')}`),
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  (page as Page & { panelErrors?: string[] }).panelErrors = errors;
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/harness.html') return route.fulfill({ body: html, contentType: 'text/html' });
    const file = path.join(REPO_ROOT, decodeURIComponent(url.pathname));
    if (!file.startsWith(REPO_ROOT) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({
      body: fs.readFileSync(file),
      contentType: TYPES[path.extname(file)] ?? 'application/octet-stream',
    });
  });
  // Anything else (the network) is refused: the panel must need nothing from it.
  await page.route(
    (url) => !url.href.startsWith(ORIGIN) && !url.href.startsWith('data:'),
    (route) => {
      errors.push(`network request: ${route.request().url()}`);
      return route.abort();
    },
  );
  await page.goto(`${ORIGIN}/harness.html${o.state ? `?state=${encodeURIComponent(JSON.stringify(o.state))}` : ''}`);
  await page.waitForFunction(() => 'harness' in window);
  if (o.theme)
    await page.evaluate(
      (t) => (window as unknown as { harness: { setTheme(t: string): void } }).harness.setTheme(t),
      o.theme,
    );
  return page;
}

/** Console errors, page errors and network requests seen so far on a panel page. */
export function pageErrors(page: Page): string[] {
  return (page as Page & { panelErrors?: string[] }).panelErrors ?? [];
}

/** Loads a fixture and waits until the panel has rendered its event. */
export async function loadFixture(
  page: Page,
  name: string,
  opts: { index?: number; settings?: { digits?: number; numberFormat?: string } } = {},
): Promise<void> {
  await page.evaluate(
    ([n, o]) => (window as unknown as { harness: { load(n: string, o: unknown): void } }).harness.load(n, o),
    [name, opts] as const,
  );
  await page.waitForSelector('#app[data-event]:not(.loading) .detail .shown h2');
}

/** The panel's current event as "step:kind:layer". */
export async function currentEvent(page: Page): Promise<string> {
  return (await page.getAttribute('#app', 'data-event')) ?? '';
}

/** Every entry of a drawn matrix, by engine coordinates: values[r][c]. Also works on a webview's Frame. */
export async function matrixValues(page: Pick<Page, '$$eval'>, name: string): Promise<number[][]> {
  return page.$$eval(`.shown figure.matrix[data-name="${name}"] [data-r]`, (cells) => {
    const out: number[][] = [];
    for (const c of cells as HTMLElement[]) {
      const r = Number(c.dataset.r),
        col = Number(c.dataset.c);
      (out[r] ??= [])[col] = Number(c.dataset.value);
    }
    return out;
  });
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  return path.join(RESULTS_DIR, name);
}

/** With BACKPROP_DOCS_IMAGES=1, a screenshot is also kept in docs/images/ (the README's), under `as`. */
export function keepForDocs(file: string, as: string): void {
  if (!process.env.BACKPROP_DOCS_IMAGES) return;
  const dir = path.join(REPO_ROOT, 'docs', 'images');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(file, path.join(dir, as));
}

/** What the fake host recorded (test/webview/harness/fakeHost.ts). */
export interface HostRecord {
  readonly sent: { readonly type: string; readonly [k: string]: unknown }[];
  readonly invalid: string[];
  readonly cspViolations: string[];
  readonly savedState: unknown;
}

export async function hostRecord(page: Page): Promise<HostRecord> {
  return page.evaluate(() => {
    const h = (window as unknown as { harness: HostRecord }).harness;
    return {
      sent: h.sent.map((m) => ({ ...m, data: undefined })),
      invalid: h.invalid,
      cspViolations: h.cspViolations,
      savedState: h.savedState,
    };
  });
}

/** Calls a method of the fake host in the page. */
export async function host(
  page: Page,
  method: 'position' | 'selectLayer' | 'unavailable' | 'post' | 'setTheme',
  ...args: unknown[]
): Promise<void> {
  await page.evaluate(
    ([m, a]) => {
      const h = (window as unknown as { harness: Record<string, (...x: unknown[]) => void> }).harness;
      h[m as string](...a);
    },
    [method, args] as const,
  );
}

/**
 * Waits until the fake host has received `count` messages of `type` from the panel (they arrive
 * a microtask after the panel posts them) and returns them.
 */
export async function sentMessages(page: Page, type: string, count = 1): Promise<HostRecord['sent']> {
  await page.waitForFunction(
    ([t, n]) => (window as unknown as { harness: HostRecord }).harness.sent.filter((m) => m.type === t).length >= n,
    [type, count] as const,
  );
  return (await hostRecord(page)).sent.filter((m) => m.type === type);
}

/** Polls a condition on the test's side (e.g. console output collected from the page) until it holds. */
export async function until(condition: () => boolean, what: string, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Presses a key and waits until the panel shows the expected event. */
export async function press(page: Page, key: string, expected?: string): Promise<void> {
  await page.keyboard.press(key);
  if (expected) await page.waitForSelector(`#app[data-event="${expected}"]:not(.loading)`);
}

/**
 * After a panel's tests: it logged no error, broke no CSP rule and sent the host no message that
 * failed validation; then it closes. (`page` is undefined when `before` failed to open it.)
 */
export async function closeCleanPage(page: Page | undefined): Promise<void> {
  if (!page) return;
  assert.deepEqual(pageErrors(page), [], 'console errors, page errors or network requests');
  const rec = await hostRecord(page);
  assert.deepEqual(rec.cspViolations, [], 'CSP violations');
  assert.deepEqual(rec.invalid, [], 'messages the host could not validate');
  await page.close();
}
