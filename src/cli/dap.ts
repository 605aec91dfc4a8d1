/**
 * `backprop dap`: the debugger on stdin/stdout, for any Debug Adapter Protocol client (nvim-dap,
 * Emacs dap-mode, Helix, JetBrains). The adapter is the one VS Code runs inline; only the file
 * reading and the stdio transport live here.
 */
import { watch, FSWatcher } from 'node:fs';
import { BackpropDebugSession } from '../debug/adapter';
import { DebugHost } from '../debug/host';
import { analyzeModelFile } from './io';

/** Reads and analyses model files from disk, and reports when one is saved. */
export function fileHost(): DebugHost {
  return {
    // A throw (a missing file) becomes a rejection, as from an async function.
    load: (program, steps) => new Promise((resolve) => resolve(analyzeModelFile(program, { steps }))),
    watch: (program, on) => {
      let watcher: FSWatcher | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        // Editors save in bursts (truncate, write, rename): re-run once they are done.
        watcher = watch(program, () => {
          clearTimeout(timer);
          timer = setTimeout(() => on.changed(), 50);
        });
        watcher.on('error', () => watcher?.close());
      } catch {
        // No file watching here (a vanished file, a platform limit): edits show after a restart.
      }
      return {
        dispose: () => {
          clearTimeout(timer);
          watcher?.close();
        },
      };
    },
  };
}

/** Serves one debug session on stdio; the process ends when the client disconnects. */
export function runDap(): void {
  const session = new BackpropDebugSession(fileHost());
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}
