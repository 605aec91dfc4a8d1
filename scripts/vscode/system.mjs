// The Debian packages the offline VS Code needs, checked by the files they provide.
// Missing ones are installed with apt-get only where that is clearly wanted (CI, or root with no
// one at the keyboard, or BACKPROP_APT_INSTALL=1); otherwise we say what to install and stop.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { run, UserError } from './processes.mjs';

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)));
}

export const CHROMIUM = process.env.BACKPROP_CHROMIUM ?? '/usr/bin/chromium';

/** What each package is needed for, and how we tell it is there. */
export const SYSTEM_PACKAGES = [
  { pkg: 'chromium', why: 'headless browser for the workbench', present: () => existsSync(CHROMIUM) },
  { pkg: 'ripgrep', why: "VS Code's search (rg)", present: () => existsSync('/usr/bin/rg') || onPath('rg') },
  {
    pkg: 'libkrb5-dev',
    why: 'gssapi headers for the kerberos native module',
    present: () => existsSync('/usr/include/gssapi/gssapi.h'),
  },
  { pkg: 'python3', why: 'node-gyp (native modules)', present: () => onPath('python3') },
  { pkg: 'make', why: 'node-gyp (native modules)', present: () => onPath('make') },
  { pkg: 'g++', why: 'node-gyp (native modules)', present: () => onPath('g++') },
  {
    pkg: 'fonts-dejavu-core',
    why: 'legible text in screenshots',
    present: () => existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'),
  },
];

export function missingPackages(only) {
  return SYSTEM_PACKAGES.filter((p) => (!only || only.includes(p.pkg)) && !p.present());
}

function mayInstall() {
  if (process.env.BACKPROP_APT_INSTALL === '0') return false;
  if (process.env.BACKPROP_APT_INSTALL === '1') return true;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  // CI runs as root with CI=true; a root shell with no terminal is a container build step.
  return root && (process.env.CI === 'true' || !process.stdin.isTTY);
}

/** Make sure the Debian packages are there, installing them when allowed. */
export async function ensureSystemPackages(only) {
  const missing = missingPackages(only);
  if (missing.length === 0) return;
  const names = missing.map((p) => p.pkg);
  const list = missing.map((p) => `  ${p.pkg.padEnd(12)} ${p.why}`).join('\n');
  if (!mayInstall() || !onPath('apt-get')) {
    throw new UserError(
      `missing system packages:\n${list}\n\nInstall them with:\n  sudo apt-get update && sudo apt-get install -y ${names.join(' ')}\n` +
        `(or set BACKPROP_APT_INSTALL=1 to let this script run apt-get as root)`,
    );
  }
  console.log(`Installing system packages: ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if ((await run('apt-get', ['update'], { env })) !== 0) throw new UserError('apt-get update failed');
  if ((await run('apt-get', ['install', '-y', ...names], { env })) !== 0) {
    throw new UserError(`apt-get install ${names.join(' ')} failed`);
  }
  const still = missingPackages(only);
  if (still.length) throw new UserError(`still missing after apt-get install: ${still.map((p) => p.pkg).join(' ')}`);
}
