// The Debian packages the project needs, checked by the files they provide: the offline VS Code
// and its screenshots (the workbench group), and pdflatex for the tests that compile the LaTeX
// exports (the latex group). Missing ones are installed with apt-get only where that is clearly
// wanted (CI, or root with no one at the keyboard, or BACKPROP_APT_INSTALL=1); otherwise we say
// what to install and stop. Installing says what and why first, takes no recommends, and waits
// for another apt or dpkg to finish instead of failing on its lock.
//   node scripts/vscode/system.mjs [--all]   (.ci/run: make sure every package is there)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, run, UserError } from './processes.mjs';

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)));
}

export const CHROMIUM = process.env.BACKPROP_CHROMIUM ?? '/usr/bin/chromium';

/** What each package is needed for, which group needs it, and how we tell it is there. */
export const SYSTEM_PACKAGES = [
  {
    pkg: 'chromium',
    group: 'workbench',
    why: 'headless browser for the workbench',
    present: () => existsSync(CHROMIUM),
  },
  {
    pkg: 'ripgrep',
    group: 'workbench',
    why: "VS Code's search (rg)",
    present: () => existsSync('/usr/bin/rg') || onPath('rg'),
  },
  {
    pkg: 'libkrb5-dev',
    group: 'workbench',
    why: 'gssapi headers for the kerberos native module',
    present: () => existsSync('/usr/include/gssapi/gssapi.h'),
  },
  { pkg: 'python3', group: 'workbench', why: 'node-gyp (native modules)', present: () => onPath('python3') },
  { pkg: 'make', group: 'workbench', why: 'node-gyp (native modules)', present: () => onPath('make') },
  { pkg: 'g++', group: 'workbench', why: 'node-gyp (native modules)', present: () => onPath('g++') },
  {
    pkg: 'fonts-dejavu-core',
    group: 'workbench',
    why: 'legible text in screenshots',
    present: () => existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'),
  },
  {
    pkg: 'fonts-noto-cjk',
    group: 'workbench',
    why: 'Chinese, Japanese and Korean text in screenshots (not boxes)',
    present: () => existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
  },
  {
    pkg: 'texlive-latex-base',
    group: 'latex',
    why: 'pdflatex, to compile the LaTeX exports in the tests',
    present: () => existsSync('/usr/bin/pdflatex'),
  },
  {
    pkg: 'texlive-latex-recommended',
    group: 'latex',
    why: 'the LaTeX packages a worked solution may use',
    present: () => existsSync('/usr/share/texlive/texmf-dist/tex/latex/anysize/anysize.sty'),
  },
];

export const LATEX_PACKAGES = SYSTEM_PACKAGES.filter((p) => p.group === 'latex').map((p) => p.pkg);

/** `only`: package names (default: the workbench group). */
export function missingPackages(only) {
  return SYSTEM_PACKAGES.filter((p) => (only ? only.includes(p.pkg) : p.group === 'workbench') && !p.present());
}

function mayInstall() {
  if (process.env.BACKPROP_APT_INSTALL === '0') return false;
  if (process.env.BACKPROP_APT_INSTALL === '1') return true;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  // CI runs as root with CI=true; a root shell with no terminal is a container build step.
  return root && (process.env.CI === 'true' || !process.stdin.isTTY);
}

/** The locks apt and dpkg hold while they work. */
const APT_LOCKS = [
  '/var/lib/dpkg/lock-frontend',
  '/var/lib/dpkg/lock',
  '/var/lib/apt/lists/lock',
  '/var/cache/apt/archives/lock',
];

/** The process holding one of apt's locks (from /proc/locks, no extra tools), or undefined. */
export function aptLockHolder(paths = APT_LOCKS) {
  let table;
  try {
    table = readFileSync('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
  for (const path of paths) {
    let ino;
    try {
      ino = statSync(path).ino;
    } catch {
      continue;
    }
    // "1: POSIX  ADVISORY  WRITE 1234 08:01:131090 0 EOF": the holder's pid, then device:inode.
    const line = table.split('\n').find((l) => new RegExp(`\\s(\\d+)\\s+[0-9a-f]+:[0-9a-f]+:${ino}\\s`).test(l));
    if (!line) continue;
    const pid = Number(/\s(\d+)\s+[0-9a-f]+:[0-9a-f]+:\d+\s/.exec(line)?.[1]);
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      /* gone already */
    }
    return { path, pid, command };
  }
  return undefined;
}

/** Waits (up to `timeoutMs`) while another apt or dpkg holds its locks, saying so once. */
export async function waitForApt(timeoutMs = 15 * 60_000, paths = APT_LOCKS) {
  const t0 = Date.now();
  let told = false;
  for (let h = aptLockHolder(paths); h; h = aptLockHolder(paths)) {
    if (!told) console.log(`Waiting for ${h.command || 'another process'} (pid ${h.pid}) to release ${h.path}…`);
    told = true;
    if (Date.now() - t0 > timeoutMs)
      throw new UserError(
        `apt is still busy after ${Math.round(timeoutMs / 60_000)} minutes (${h.path}, pid ${h.pid})`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** apt-get with the lock waited for, here and (for dpkg's lock) by apt itself. */
async function aptGet(args) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await waitForApt();
  return run('apt-get', ['-o', 'DPkg::Lock::Timeout=900', ...args], { env });
}

/** Make sure the Debian packages are there, installing them when allowed. `only`: names (default the workbench group). */
export async function ensureSystemPackages(only) {
  const missing = missingPackages(only);
  if (missing.length === 0) return;
  const names = missing.map((p) => p.pkg);
  const list = missing.map((p) => `  ${p.pkg.padEnd(26)} ${p.why}`).join('\n');
  const command = `apt-get install -y --no-install-recommends ${names.join(' ')}`;
  if (!mayInstall() || !onPath('apt-get')) {
    throw new UserError(
      `missing system packages:\n${list}\n\nInstall them with:\n  sudo apt-get update && sudo ${command}\n` +
        `(or set BACKPROP_APT_INSTALL=1 to let this script run apt-get as root)`,
    );
  }
  console.log(`Installing Debian packages (without recommends):\n${list}\n$ apt-get update && ${command}`);
  if ((await aptGet(['update'])) !== 0) throw new UserError('apt-get update failed');
  if ((await aptGet(['install', '-y', '--no-install-recommends', ...names])) !== 0) {
    throw new UserError(`apt-get install ${names.join(' ')} failed`);
  }
  const still = missingPackages(names);
  if (still.length) throw new UserError(`still missing after apt-get install: ${still.map((p) => p.pkg).join(' ')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(async () => {
    const all = process.argv.includes('--all');
    await ensureSystemPackages(all ? SYSTEM_PACKAGES.map((p) => p.pkg) : undefined);
    console.log('Debian packages: all present');
  });
}
