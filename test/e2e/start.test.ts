/**
 * `npm start` as a new student meets it (issue 11): the first start's workbench is not an empty
 * editor area but problem 1, its slips already marked; a later start of the same session leaves
 * the editors to the session. Runs scripts/start.mjs itself, on a scratch copy of examples/ and a
 * scratch session folder, and opens its "Ready:" URL in the e2e browser.
 */
import { strict as assert } from 'node:assert';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const REPO = path.resolve(__dirname, '..', '..', '..');

interface Session {
  readonly process: ChildProcess;
  readonly url: string;
  readonly exited: Promise<void>;
}

/** Starts `npm start`'s script and resolves with the URL it prints as ready. */
function start(folder: string, data: string): Promise<Session> {
  const child = spawn(
    process.execPath,
    [path.join(REPO, 'scripts', 'start.mjs'), '--port', '0', '--folder', folder, '--data', data, '--no-build'],
    { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^Ready: (\S+)$/m.exec(out);
      if (m) resolve({ process: child, url: m[1], exited });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`start.mjs exited before it was ready:\n${out}`)));
  });
}

/** Ctrl-C, as a user stops it (its whole process group: the VS Code server it started too). */
async function stop(s: Session): Promise<void> {
  try {
    process.kill(-s.process.pid!, 'SIGINT');
  } catch {
    return;
  }
  await s.exited;
}

function payload(url: string): [string, string][] {
  return JSON.parse(new URL(url).searchParams.get('payload') ?? '[]') as [string, string][];
}

describe('npm start', () => {
  const sessions: Session[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'backprop-start-'));
  after(async () => {
    for (const s of sessions) await stop(s);
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('first start: the workbench opens problem 1 with its slips marked; a second start leaves the editors be', async function () {
    this.timeout(240_000);
    const folder = path.join(scratch, 'examples');
    const data = path.join(scratch, 'session');
    fs.cpSync(path.join(REPO, 'examples'), folder, { recursive: true });

    const first = await start(folder, data);
    sessions.push(first);
    const open = payload(first.url).find(([k]) => k === 'openFile');
    assert.ok(open, `no file to open in ${first.url}`);
    assert.ok(open[1].endsWith('/examples/problem1.bp.yaml'), open[1]);

    const browser = await chromium.connect(process.env.BACKPROP_E2E_WS!);
    try {
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
      await page.goto(first.url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
      await page.locator('.tabs-container .tab.active', { hasText: 'problem1.bp.yaml' }).waitFor({ timeout: 60_000 });
      // The extension ran it: the notes' slips are squiggled.
      await page.locator('.editor-instance .squiggly-error').first().waitFor({ timeout: 60_000 });
      fs.mkdirSync(process.env.BACKPROP_E2E_ARTIFACTS!, { recursive: true });
      await page.screenshot({ path: path.join(process.env.BACKPROP_E2E_ARTIFACTS!, 'npm-start-first.png') });
    } finally {
      await browser.close();
    }
    await stop(first);

    const second = await start(folder, data);
    sessions.push(second);
    assert.equal(
      payload(second.url).find(([k]) => k === 'openFile'),
      undefined,
      'a later start opens no file itself',
    );
    await stop(second);
  });
});
