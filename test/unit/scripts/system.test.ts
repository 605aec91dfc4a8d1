// scripts/vscode/system.mjs, as `npm start`, `npm test` and .ci/run use it: it says what it will
// install before it does, installs without recommends, and waits for another apt to finish
// instead of failing on its lock. A stand-in apt-get on PATH records what it was asked.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../model/helpers';

const SYSTEM = pathToFileURL(join(ROOT, 'scripts', 'vscode', 'system.mjs')).href;

/** Runs an ES module snippet that imports system.mjs as `s`. */
function esm(code: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', `import * as s from '${SYSTEM}';\n${code}`], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
}

describe('scripts/vscode/system.mjs: Debian packages', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'backprop-apt-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says what it installs and why, then runs apt-get update and install --no-install-recommends', () => {
    const calls = join(dir, 'calls');
    const fake = join(dir, 'apt-get');
    writeFileSync(fake, `#!/bin/sh\necho "$@" >> '${calls}'\n`);
    chmodSync(fake, 0o755);
    // Chromium "missing" (BACKPROP_CHROMIUM points nowhere): the install runs, and it is still missing after.
    const r = esm(`await s.ensureSystemPackages(['chromium']).catch((e) => console.log('ERROR ' + e.message));`, {
      PATH: `${dir}:${process.env.PATH ?? ''}`,
      BACKPROP_APT_INSTALL: '1',
      BACKPROP_CHROMIUM: join(dir, 'no-chromium'),
    });
    assert.match(
      r.stdout,
      /^Installing Debian packages \(without recommends\):\n {2}chromium +headless browser for the workbench\n\$ apt-get update && apt-get install -y --no-install-recommends chromium\n/,
    );
    assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'), [
      '-o DPkg::Lock::Timeout=900 update',
      '-o DPkg::Lock::Timeout=900 install -y --no-install-recommends chromium',
    ]);
    assert.match(r.stdout, /ERROR still missing after apt-get install: chromium/);
  });

  it('the LaTeX group (pdflatex for the export tests) and CJK fonts for screenshots are in the list', () => {
    const r = esm(`console.log(JSON.stringify(s.SYSTEM_PACKAGES.map((p) => [p.pkg, p.group])));`);
    const list = JSON.parse(r.stdout) as [string, string][];
    assert.deepEqual(
      list.filter(([, g]) => g === 'latex').map(([p]) => p),
      ['texlive-latex-base', 'texlive-latex-recommended'],
    );
    assert.ok(list.some(([p, g]) => p === 'fonts-noto-cjk' && g === 'workbench'));
  });

  it('waits while another process holds an apt lock, and goes on when it is released', async () => {
    const lock = join(dir, 'lock');
    writeFileSync(lock, '');
    // A stand-in for a running apt: python3 (a node-gyp dependency) holds a POSIX lock for 1.5 s.
    const holder = spawn('python3', [
      '-c',
      `import fcntl, time, sys\nf = open('${lock}', 'w')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(1.5)`,
    ]);
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const t0 = Date.now();
      const r = esm(
        `const h = s.aptLockHolder(['${lock}']); console.log(h.pid, h.command); await s.waitForApt(60000, ['${lock}']); console.log('free');`,
      );
      assert.equal(r.status, 0, r.stderr);
      const [first, waiting, free] = r.stdout.trim().split('\n');
      assert.equal(first, `${holder.pid} python3`);
      assert.equal(waiting, `Waiting for python3 (pid ${holder.pid}) to release ${lock}…`);
      assert.equal(free, 'free');
      assert.ok(Date.now() - t0 >= 500, 'it waited');
    } finally {
      holder.kill();
    }
  });
});
