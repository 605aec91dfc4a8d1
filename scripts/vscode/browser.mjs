// Headless Debian Chromium through playwright-core. Playwright gives each launch a fresh
// temporary profile (--user-data-dir) and removes it on close.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './system.mjs';
import { onTeardown, UserError } from './processes.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', // as root
  '--disable-gpu',
  // Without these Chromium keeps trying to reach the internet.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

function launchOptions() {
  if (!existsSync(CHROMIUM)) {
    throw new UserError(
      `Chromium not found at ${CHROMIUM}: install the Debian package with\n  sudo apt-get install -y chromium\n(or set BACKPROP_CHROMIUM to another Chromium binary)`,
    );
  }
  return {
    executablePath: CHROMIUM,
    headless: process.env.BACKPROP_HEADED !== '1',
    args: CHROMIUM_ARGS,
    // Our own handlers (processes.mjs) close the browser on signals.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  };
}

/** Launch Chromium in this process; closed at teardown. */
export async function launchBrowser() {
  const browser = await chromium.launch(launchOptions());
  onTeardown(() => browser.close());
  return browser;
}

/** Launch Chromium as a server that other processes (the e2e mocha files) connect to. */
export async function launchBrowserServer() {
  const server = await chromium.launchServer(launchOptions());
  onTeardown(() => server.close());
  return server;
}
