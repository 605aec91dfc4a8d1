/**
 * Drive a real VS Code workbench in headless Chromium the way a user does: Quick Open, the
 * command palette, hovers, notifications, the output panel, webviews, screenshots.
 *
 * scripts/run-e2e.mjs starts VS Code's server and a Chromium server once, then runs these mocha
 * files in its own process with:
 *   BACKPROP_E2E_WS         Chromium's websocket endpoint (playwright `chromium.connect`)
 *   BACKPROP_E2E_URL        the workbench URL (extension under development, workspace folder)
 *   BACKPROP_E2E_WORKSPACE  that folder: a scratch copy of test/fixtures/workspace
 *   BACKPROP_E2E_ARTIFACTS  where screenshots go (test-results/e2e)
 * Every wait is on a condition (a selector, a text); none is on time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests with npm run test:e2e`);
  return value;
}

/** How long one user-visible step may take before the test fails. */
export const STEP_TIMEOUT = 20_000;

/** Monaco renders spaces as U+00A0 and adds zero-width spaces; compare on plain text. */
export function plain(text: string): string {
  return text.replace(/[\u00a0]/g, ' ').replace(/[\u200b-\u200d\ufeff]/g, '');
}

function fileSafe(name: string): string {
  return name
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}

export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
    private readonly browser: Browser,
  ) {}

  /** The scratch workspace folder open in the workbench. */
  static get workspace(): string {
    return env('BACKPROP_E2E_WORKSPACE');
  }

  /** Open a new, clean browser context on the workbench and wait until it is usable. */
  static async start(): Promise<Workbench> {
    const browser = await chromium.connect(env('BACKPROP_E2E_WS'));
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    await page.goto(env('BACKPROP_E2E_URL'));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The explorer listing the workspace means the remote connection and file service are up.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    return new Workbench(page, context, browser);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {});
    await this.browser.close().catch(() => {});
  }

  /** Quick Open (Ctrl+P) `name`, pick the match, wait for its editor tab to be active. */
  async openFile(name: string): Promise<void> {
    await this.focusWorkbench();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    const base = path.basename(name);
    // Enter opens the focused row: wait until the filter has put the file there (the list shows
    // recently opened files first, and may not have filtered yet).
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: base }).waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: base }).waitFor();
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  }

  /**
   * Run a command from the command palette (F1) by its full title, e.g. "Backprop: Show Version".
   * The palette lists the commands registered when it opens, and extensions register theirs a
   * moment after the workbench appears: until the title is listed, close and reopen the palette
   * (polling that condition up to STEP_TIMEOUT, like a user who waits for the window to load).
   */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    // The exact entry, so Enter never runs a neighbour that matched first.
    const row = this.page
      .locator('.quick-input-list .monaco-list-row', {
        has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }),
      })
      .first();
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      await this.focusWorkbench();
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      // A registered command is listed as soon as the filter applies (well under a second).
      const listed = await row.waitFor({ timeout: 1000 }).then(
        () => true,
        () => false,
      );
      if (listed) break;
      if (Date.now() > deadline) {
        throw new Error(
          `command "${title}" is not in the command palette after ${STEP_TIMEOUT} ms (not contributed, or hidden by a when clause?)`,
        );
      }
    }
    await row.click();
    // The palette is done when its `>` filter is gone: hidden, or the same widget already reused by
    // the command's own input box (Train N Steps… asks at once), which never hides in between.
    await this.page
      .waitForFunction(() => {
        const box = document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input');
        return !box || box.offsetParent === null || !box.value.startsWith('>');
      })
      .catch((e: unknown) => {
        // A command that reloads the window navigates away: the palette went with the page.
        if (!/Execution context was destroyed|navigat/i.test(String(e))) throw e;
      });
  }

  /** The toast whose text matches; resolves with its text. */
  async notification(text: string | RegExp): Promise<string> {
    const toast = this.page.locator('.notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible' });
    return plain((await toast.innerText()).trim());
  }

  /** Wait until the Output panel shows `text` (a channel must be showing, e.g. via a command). */
  async outputContains(text: string | RegExp): Promise<string> {
    const view = this.page.locator('.part.panel .output-view .view-lines', { hasText: text }).first();
    await view.waitFor({ state: 'visible' });
    return plain(await view.innerText());
  }

  /** The active text editor's text area (for typing into it). */
  editor(): Locator {
    return this.page.locator('.editor-instance .monaco-editor').first();
  }

  /** Move the cursor to a 1-based line and column with Go to Line (Ctrl+G). */
  async goTo(line: number, column = 1): Promise<void> {
    // Go to Line needs a focused text editor ("Open a text editor first" otherwise): click into it
    // until it says it has focus (a click that lands while the panel still holds focus can be lost).
    const focused = this.page.locator('.editor-instance .monaco-editor.focused').first();
    for (let tries = 0; ; tries++) {
      await this.editor().locator('.view-lines').click();
      const ok = await focused.waitFor({ timeout: 2000 }).then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (tries === 4) throw new Error('the text editor does not take focus');
    }
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }

  /**
   * Show the hover at a 1-based line/column (Ctrl+K Ctrl+I) and return its text. The hover is
   * asked for once: first wait for a sign that the provider is ready (its diagnostics, a CodeLens,
   * a breadcrumb), or an empty answer leaves no hover to wait for.
   */
  async hoverText(line: number, column: number, expect?: string | RegExp): Promise<string> {
    await this.goTo(line, column);
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    const hover = this.page
      .locator('.monaco-hover:not(.hidden) .monaco-hover-content', expect ? { hasText: expect } : {})
      .first();
    await hover.waitFor({ state: 'visible' });
    return plain((await hover.innerText()).trim());
  }

  /**
   * The frame of a webview whose document matches `selector` (webviews are an iframe holding an
   * iframe: the outer one belongs to the workbench, the inner "active-frame" is the extension's).
   */
  async findWebviewFrame(selector = 'body', timeout = STEP_TIMEOUT): Promise<Frame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame() || !frame.url().includes('fake.html')) continue;
        if (
          await frame
            .locator(selector)
            .count()
            .catch(() => 0)
        )
          return frame;
      }
      if (Date.now() > deadline) throw new Error(`no webview frame with ${selector} after ${timeout} ms`);
      await this.page
        .waitForEvent('framenavigated', { timeout: Math.max(1, Math.min(1000, deadline - Date.now())) })
        .catch(() => {});
    }
  }

  /** Click the glyph margin beside a 1-based line, as a user sets a breakpoint; wait for its dot. */
  async toggleBreakpoint(line: number): Promise<void> {
    await this.goTo(line, 1);
    const lineNumber = this.editor().locator('.margin .line-numbers', { hasText: new RegExp(`^${line}$`) });
    const box = (await lineNumber.boundingBox())!;
    const glyphs = (await this.editor().locator('.margin-view-overlays').boundingBox())!;
    await this.page.mouse.click(glyphs.x + 8, box.y + box.height / 2);
    await this.editor().locator('.margin .codicon-debug-breakpoint').first().waitFor();
  }

  /** Stop the debug session, if one is running (Shift+F5), so none is left for the next test. */
  async stopDebugging(): Promise<void> {
    const toolbar = this.page.locator('.debug-toolbar');
    if (!(await toolbar.isVisible().catch(() => false))) return;
    await this.page.keyboard.press('Shift+F5');
    await toolbar.waitFor({ state: 'hidden' });
  }

  /** Save a screenshot of the whole window under test-results/e2e/; returns its path. */
  async screenshot(name: string): Promise<string> {
    const dir = env('BACKPROP_E2E_ARTIFACTS');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${fileSafe(name)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Keyboard shortcuts go to whatever has focus; start from the workbench, not a stale widget. */
  private async focusWorkbench(): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    if (await widget.isVisible()) {
      await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    }
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * In a `describe`: one workbench for the block, opened before its first test and closed after its
 * last; a failing test leaves a screenshot named after it in test-results/e2e/.
 */
export function useWorkbench(): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(120_000);
    wb = await Workbench.start();
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (wb && test?.state === 'failed') {
      const file = await wb.screenshot(`FAILED ${test.fullTitle()}`).catch(() => undefined);
      if (file) console.log(`      screenshot: ${path.relative(process.cwd(), file)}`);
    }
  });
  after(async () => {
    await wb?.close();
  });
  return () => {
    if (!wb) throw new Error('the workbench did not start (see the before hook)');
    return wb;
  };
}
