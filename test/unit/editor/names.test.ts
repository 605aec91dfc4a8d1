import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileName, folderPath } from '../../../src/extension/names';

// The extension names files without Node's `path` (it runs in the browser too): its answers must
// be those of path.posix for the URI paths it meets.
const PATHS = [
  '/work/problems/problem1.bp.yaml',
  '/c:/Users/me/xor.bp.json',
  '/problem1.bp.yaml',
  'Untitled-1',
  '/a/b.c/d',
  '/',
];

describe('editor: file names from URI paths', () => {
  for (const p of PATHS) {
    it(`${JSON.stringify(p)}: as path.posix.basename and dirname`, () => {
      assert.equal(fileName(p), path.posix.basename(p));
      assert.equal(folderPath(p), path.posix.dirname(p));
    });
  }
});
