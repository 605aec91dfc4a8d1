// A development session in a real VS Code, in your browser: installs what a fresh clone lacks
// (npm packages, the offline VS Code server), builds, and serves the workbench with this
// extension under development and examples/ open — on the first start with problem 1 in an
// editor, its slips already marked. Prints one line "Ready: <url>"; Ctrl-C stops.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { main, spawnTracked, stopping, UserError } from './vscode/processes.mjs';
import { ensureVSCodeServer, REPO_ROOT } from './vscode/install.mjs';
import { makeDataDir, runInWebWorker, startServer, workbenchUrl } from './vscode/server.mjs';
import { ensureNodeModules, build } from './vscode/build.mjs';
import { intArg, parseScriptArgs, usageError } from './vscode/args.mjs';

const USAGE = `npm start [-- --folder P] [-- --port N] [-- --watch] [-- --web] [-- --data D] [-- --no-build]
  --folder P  the folder to open (default: examples/)
  --port N    the port to serve on (default 8091; 0 picks a free one)
  --watch     rebuild on every change (then run "Developer: Reload Window" in the workbench)
  --web       run the extension in the browser's web worker extension host, as on vscode.dev
  --data D    where the session keeps its settings and layout (default .vscode-test/dev-session)
  --no-build  serve what was built last`;

/** The model file to open on a first start: problem 1 of the notes, else the folder's first model file. */
function firstModelFile(folder) {
  const models = readdirSync(folder)
    .filter((f) => /\.bp\.(ya?ml|json)$/i.test(f))
    .sort();
  const pick = models.includes('problem1.bp.yaml') ? 'problem1.bp.yaml' : models[0];
  return pick && join(folder, pick);
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)));
}

main(async () => {
  const args = parseScriptArgs(USAGE, {
    watch: { type: 'boolean' },
    web: { type: 'boolean' },
    folder: { type: 'string' },
    port: { type: 'string' },
    data: { type: 'string' },
    'no-build': { type: 'boolean' },
  });
  const folder = resolve(args.folder ?? join(REPO_ROOT, 'examples'));
  const port = intArg(USAGE, args, 'port', 0, 65535, 8091);
  if (!args.folder) mkdirSync(folder, { recursive: true });
  else if (!existsSync(folder)) usageError(USAGE, `--folder ${folder}: no such folder`);

  await ensureNodeModules();
  await ensureVSCodeServer();
  if (!args['no-build']) await build();
  if (args.watch) {
    spawnTracked('esbuild --watch', process.execPath, ['scripts/build.mjs', '--watch'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }

  // Kept between sessions (.vscode-test/ is ignored by git and by the .vsix), so layout and
  // settings changed in the workbench survive a restart.
  const sessionDir = resolve(args.data ?? join(REPO_ROOT, '.vscode-test', 'dev-session'));
  // A first start opens a model file, so the workbench does not open on an empty editor area;
  // later starts find the editors the session left open.
  const started = join(sessionDir, 'started');
  const firstStart = !existsSync(started);
  const data = makeDataDir('start', { persistent: sessionDir });
  runInWebWorker(data, 'backprop-stepper.backprop-stepper', args.web ? ['web'] : undefined);
  const logFile = join(sessionDir, 'server.log');
  let server;
  try {
    server = await startServer({ data, port, logFile });
  } catch (err) {
    if (/EADDRINUSE/.test(String(err.message)))
      throw new UserError(`port ${port} is in use: try npm start -- --port 0 (a free port) or another --port`);
    throw err;
  }
  const openFile = firstStart ? firstModelFile(folder) : undefined;
  const url = workbenchUrl(server, { folder, extensionDevelopmentPath: REPO_ROOT, openFile });
  writeFileSync(started, `${new Date().toISOString()}\n`);
  console.log(`Ready: ${url}`);
  if (openFile) console.log(`  (first start: opens ${openFile})`);
  console.log(`  (server log: ${logFile}; Ctrl-C stops the server)`);
  if (onPath('code'))
    console.log(`  Desktop VS Code works too: code --extensionDevelopmentPath=${REPO_ROOT} ${folder}`);
  const code = await server.exited;
  // Ctrl-C stops the server on purpose; the signal handler finishes the exit.
  if (stopping()) return new Promise(() => {});
  throw new UserError(`the VS Code server stopped (exit ${code}); see ${logFile}`);
});
