/**
 * The `backprop` CLI's JSON for a model file (`backprop trace --format json`): the same engine run
 * in Node, outside VS Code, which the workbench's numbers must equal.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

export interface CliLayer {
  z: number[][];
  a: number[][];
  delta: number[][];
  W_next: number[][];
  b_next: number[];
}
export interface CliTrace {
  steps: { loss: number; layers: CliLayer[] }[];
}

export function cliTrace(file: string): CliTrace {
  // The file's expect slips go to stderr (and exit 0): only stdout, the JSON, is wanted here.
  return JSON.parse(
    execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'trace', file, '--format', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as CliTrace;
}
