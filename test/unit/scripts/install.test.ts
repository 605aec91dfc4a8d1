// What `npm ci` installs on a fresh clone: nothing that warns on the Node we target (EBADENGINE),
// and not TensorFlow.js, which only the benchmark uses (it installs its pinned copy on demand).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../model/helpers';

type Version = [number, number, number];

const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v.split('.').map((x) => Number(x));
  return [a, b, c];
};
const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `v` satisfies an npm engines range: `||` of space-separated comparators (>=, >, <=, <, ^, ~, x-ranges). */
export function satisfies(v: Version, range: string): boolean {
  return range.split('||').some((alt) =>
    alt
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .trim()
      .split(/\s+/)
      .every((c) => {
        if (c === '' || c === '*' || c === 'x') return true;
        // An x-range part (0.8.x, 1.*) leaves the version partial: 0.8.
        const m = /^(>=|<=|>|<|=|\^|~)?v?(\d+(?:\.\d+)*)(?:\.[xX*])*$/.exec(c);
        if (!m) throw new Error(`range ${JSON.stringify(range)}: cannot read ${c}`);
        const parts = m[2].split('.').length;
        const w = parse(m[2]);
        const d = compare(v, w);
        switch (m[1]) {
          case '>=':
            return d >= 0;
          case '>':
            return d > 0;
          case '<=':
            return d <= 0;
          case '<':
            return d < 0;
          case '^':
            return d >= 0 && (w[0] > 0 ? v[0] === w[0] : v[0] === 0 && v[1] === w[1]);
          case '~':
            return d >= 0 && v[0] === w[0] && v[1] === w[1];
          default:
            // A bare (partial) version: 20 is any 20.x.y, 20.9 any 20.9.y.
            return parts === 3 ? d === 0 : v[0] === w[0] && (parts === 1 || v[1] === w[1]);
        }
      }),
  );
}

interface Lock {
  packages: Record<string, { engines?: { node?: string } }>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  dependencies?: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;

describe('npm ci on a fresh clone', () => {
  it('the range reader agrees with npm on the forms the lock uses', () => {
    assert.ok(satisfies([20, 19, 0], '^20.19.0 || >=22.12.0'));
    assert.ok(!satisfies([20, 18, 3], '^20.19.0 || >=22.12.0'));
    assert.ok(satisfies([20, 19, 0], '18 || 20 || >=22'));
    assert.ok(!satisfies([21, 0, 0], '20 || >=22'));
    assert.ok(!satisfies([20, 19, 0], '>=22.12.0'));
    assert.ok(satisfies([20, 19, 0], '>= 20.19.0'));
    assert.ok(satisfies([20, 19, 0], '>=16 || 14 >=14.17'));
    assert.ok(satisfies([20, 19, 0], '>=0.8.x'));
    assert.ok(satisfies([20, 19, 0], '20.x'));
    assert.ok(!satisfies([20, 19, 0], '18.x'));
  });
  it("every package in the lock supports the oldest Node that package.json's engines admits", () => {
    const min = /^>=\s*([\d.]+)$/.exec(pkg.engines.node)?.[1];
    assert.ok(min, `engines.node is a lower bound: ${pkg.engines.node}`);
    assert.ok(satisfies(parse(min), '^20'), 'the project targets Node 20');
    const unsupported = Object.entries(lock.packages)
      .filter(([, p]) => p.engines?.node && !satisfies(parse(min), p.engines.node))
      .map(([name, p]) => `${name} needs node ${p.engines?.node}`);
    assert.deepEqual(unsupported, []);
  });
  it('prints no EBADENGINE warning (npm ci --dry-run on this Node)', function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'backprop-npmci-'));
    try {
      for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, f), join(dir, f));
      const r = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 110_000,
      });
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, /EBADENGINE/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('does not install TensorFlow.js: the benchmark fetches its pinned copy on demand', () => {
    assert.equal(pkg.devDependencies['@tensorflow/tfjs'], undefined);
    assert.equal(pkg.dependencies?.['@tensorflow/tfjs'], undefined);
    assert.deepEqual(
      Object.keys(lock.packages).filter((k) => k.includes('@tensorflow/')),
      [],
    );
    const bench = readFileSync(join(ROOT, 'scripts', 'bench.ts'), 'utf8');
    assert.match(bench, /const TFJS_VERSION = '\d+\.\d+\.\d+';/, 'an exact version, not a range');
  });
});
