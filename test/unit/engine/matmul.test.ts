import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Matrix } from '../../../src/engine/tensor';
import { matmulAB, matmulABt, matmulAtB } from '../../../src/engine/matmul';
import { KernelBackend, kernelBackend, setKernelBackend } from '../../../src/engine/kernels/gemm';
import { createRng } from '../../../src/engine/init';
import { GEMM_WASM } from '../../../src/engine/kernels/gemmWasm.generated';

/** Deterministic uniform(-1, 1) values (the engine's seeded generator), so a failure reproduces. */
function rng(seed: number): () => number {
  const r = createRng(seed);
  return () => r.uniform() * 2 - 1;
}

function random(rows: number, cols: number, next: () => number): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = next();
  return { rows, cols, data };
}

/** Entry (i, j) of a matrix given as nested plain arrays, built from the definition. */
const at = (m: Matrix, i: number, j: number): number => m.data[i * m.cols + j];

/**
 * The reference: C_ij = Σ_p opA(i, p) · opB(p, j), straight from the definition, plus the
 * magnitude Σ_p |opA(i, p)| |opB(p, j)| that bounds the rounding error of any summation order.
 */
function reference(
  m: number,
  n: number,
  k: number,
  opA: (i: number, p: number) => number,
  opB: (p: number, j: number) => number,
): { value: number[][]; scale: number[][] } {
  // Materialise op(A) as rows and op(B) as columns first, so the big shapes stay quick.
  const rowsA = Array.from({ length: m }, (_, i) => Float64Array.from({ length: k }, (_, p) => opA(i, p)));
  const colsB = Array.from({ length: n }, (_, j) => Float64Array.from({ length: k }, (_, p) => opB(p, j)));
  const value: number[][] = [],
    scale: number[][] = [];
  for (let i = 0; i < m; i++) {
    const a = rowsA[i];
    value.push(new Array<number>(n));
    scale.push(new Array<number>(n));
    for (let j = 0; j < n; j++) {
      const b = colsB[j];
      let s = 0,
        t = 0;
      for (let p = 0; p < k; p++) {
        const x = a[p] * b[p];
        s += x;
        t += Math.abs(x);
      }
      value[i][j] = s;
      scale[i][j] = t;
    }
  }
  return { value, scale };
}

/** The reference for A·Bᵀ. */
const referenceABt = (a: Matrix, b: Matrix) =>
  reference(
    a.rows,
    b.rows,
    a.cols,
    (i, p) => at(a, i, p),
    (p, j) => at(b, j, p),
  );

/** Every entry within 1e-12 relative to the magnitude of its terms (the usual dot-product bound). */
function assertClose(got: Matrix, want: { value: number[][]; scale: number[][] }, label: string): void {
  assert.equal(got.rows, want.value.length, `${label}: rows`);
  for (let i = 0; i < got.rows; i++) {
    assert.equal(got.cols, want.value[i].length, `${label}: cols`);
    for (let j = 0; j < got.cols; j++) {
      const err = Math.abs(at(got, i, j) - want.value[i][j]);
      assert.ok(
        err <= 1e-12 * want.scale[i][j] + 1e-300,
        `${label}: (${i}, ${j}) is ${at(got, i, j)}, expected ${want.value[i][j]}`,
      );
    }
  }
  assert.equal(got.data.length, got.rows * got.cols, `${label}: data length`);
}

type Product = 'ABt' | 'AtB' | 'AB';

/** References already computed, shared by the two backends' runs of the big shapes. */
const references = new Map<string, ReturnType<typeof reference>>();

/** Runs one product on random operands (from `seed`) for C = m×n with inner dimension k, and checks it. */
function check(product: Product, m: number, n: number, k: number, seed: number): Matrix {
  const next = rng(seed);
  const key = `${product} ${m} ${n} ${k} ${seed}`;
  const want = (opA: (i: number, p: number) => number, opB: (p: number, j: number) => number) => {
    let r = references.get(key);
    if (!r) references.set(key, (r = reference(m, n, k, opA, opB)));
    return r;
  };
  let a: Matrix, b: Matrix, got: Matrix, expected: ReturnType<typeof reference>;
  if (product === 'ABt') {
    a = random(m, k, next);
    b = random(n, k, next);
    got = matmulABt(a, b);
    expected = want(
      (i, p) => at(a, i, p),
      (p, j) => at(b, j, p),
    );
  } else if (product === 'AtB') {
    a = random(k, m, next);
    b = random(k, n, next);
    got = matmulAtB(a, b);
    expected = want(
      (i, p) => at(a, p, i),
      (p, j) => at(b, p, j),
    );
  } else {
    a = random(m, k, next);
    b = random(k, n, next);
    got = matmulAB(a, b);
    expected = want(
      (i, p) => at(a, i, p),
      (p, j) => at(b, p, j),
    );
  }
  assertClose(got, expected, `${product} ${m}×${n} (k=${k})`);
  return got;
}

const PRODUCTS: Product[] = ['ABt', 'AtB', 'AB'];

/** The products of one training step of the bench workloads, as (m, n, k) of C = m×n. */
function stepShapes(batch: number, widths: number[]): [Product, number, number, number][] {
  const out: [Product, number, number, number][] = [];
  for (let l = 1; l < widths.length; l++) {
    const nIn = widths[l - 1],
      nOut = widths[l];
    out.push(['ABt', batch, nOut, nIn]); // Z = A Wᵀ
    out.push(['AtB', nOut, nIn, batch]); // dW = δᵀ A
    out.push(['AB', batch, nIn, nOut]); // dA = δ W
  }
  return out;
}

for (const backend of ['wasm', 'ts'] as KernelBackend[]) {
  describe(`matmul (${backend} kernel)`, () => {
    before(function () {
      setKernelBackend(backend);
      if (kernelBackend() !== backend) this.skip(); // no WebAssembly SIMD here
    });
    after(() => setKernelBackend('auto'));

    it('handles empty, 1×1 and prime-sized products in all three layouts', () => {
      const shapes: [number, number, number][] = [
        [0, 0, 0],
        [0, 3, 2],
        [3, 0, 2],
        [3, 2, 0],
        [1, 1, 1],
        [1, 3, 2],
        [2, 3, 1],
        [7, 13, 5],
        [13, 7, 5],
        [5, 7, 13],
        [17, 19, 23],
        [31, 37, 41],
        [4, 4, 4],
        [8, 8, 1],
        [5, 5, 200],
        [33, 65, 17],
        [1, 129, 64],
        [129, 1, 64],
        [64, 64, 1],
        [16, 16, 16],
        [15, 17, 16],
      ];
      let seed = 1;
      for (const p of PRODUCTS) for (const [m, n, k] of shapes) check(p, m, n, k, seed++);
    });

    it('covers every small shape up to 9×9×9, both sides of the plain-loops threshold', () => {
      let seed = 100;
      for (const p of PRODUCTS)
        for (let m = 1; m <= 9; m++)
          for (let n = 1; n <= 9; n++) for (let k = 1; k <= 9; k++) check(p, m, n, k, seed++);
    });

    it('matches the reference on random shapes not multiple of the tile', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...PRODUCTS),
          fc.integer({ min: 0, max: 41 }),
          fc.integer({ min: 0, max: 41 }),
          fc.integer({ min: 0, max: 70 }),
          fc.integer(),
          (p, m, n, k, seed) => void check(p, m, n, k, seed),
        ),
        { numRuns: 150, seed: 42 },
      );
    });

    it('matches the reference at the bench shapes (784-128-64-10 ×32, 784-512-512-10 ×128)', function () {
      this.timeout(60000);
      let seed = 1000;
      for (const [p, m, n, k] of [...stepShapes(32, [784, 128, 64, 10]), ...stepShapes(128, [784, 512, 512, 10])])
        check(p, m, n, k, seed++);
    });

    it('returns fresh arrays: successive results do not share the workspace', () => {
      const next = rng(7);
      const a1 = random(37, 50, next),
        b1 = random(29, 50, next);
      const a2 = random(37, 50, next),
        b2 = random(29, 50, next);
      const c1 = matmulABt(a1, b1);
      const snapshot = c1.data.slice();
      const c2 = matmulABt(a2, b2);
      const c3 = matmulAB(a2, { rows: 50, cols: 29, data: b2.data }); // a different product in between
      assert.deepEqual(c1.data, snapshot, 'first result changed by later calls');
      assert.notEqual(c1.data.buffer, c2.data.buffer);
      assert.notEqual(c2.data.buffer, c3.data.buffer);
      assertClose(c1, referenceABt(a1, b1), 'first');
      assertClose(c2, referenceABt(a2, b2), 'second');
      // Writing into a result must not disturb the next one.
      c2.data.fill(123);
      assertClose(matmulABt(a1, b1), referenceABt(a1, b1), 'third');
    });

    it('leaves its operands untouched', () => {
      const next = rng(8);
      const a = random(20, 30, next),
        b = random(30, 25, next);
      const ac = a.data.slice(),
        bc = b.data.slice();
      matmulAB(a, b);
      matmulAtB(b, { rows: 30, cols: 20, data: a.data.slice() });
      matmulABt(a, { rows: 25, cols: 30, data: b.data });
      assert.deepEqual(a.data, ac);
      assert.deepEqual(b.data, bc);
    });

    it('propagates NaN and Infinity through zeros, small or large', () => {
      for (const size of [2, 20]) {
        const a: Matrix = { rows: size, cols: size, data: new Float64Array(size * size) }; // all zeros
        const w: Matrix = { rows: size, cols: size, data: new Float64Array(size * size).fill(1) };
        w.data[0] = Infinity;
        // 0 · ∞ = NaN by IEEE 754: a kernel that skipped zero terms would hide it.
        assert.ok(Number.isNaN(matmulAB(a, w).data[0]), `AB ${size}`);
        assert.ok(Number.isNaN(matmulAtB(a, w).data[0]), `AtB ${size}`);
        assert.ok(Number.isNaN(matmulABt(a, w).data[0]), `ABt ${size}`);
      }
    });

    it('keeps a non-finite entry in its own row and column (tile padding reads neighbours)', () => {
      // Aᵀ·B with 5 = 4 + 1 columns of A: the padded tile rows read A's next columns in place.
      const k = 9,
        m = 5,
        n = 6;
      const next = rng(9);
      const a = random(k, m, next),
        b = random(k, n, next);
      a.data[2 * m + 0] = NaN; // A(2, 0): only row 0 of Aᵀ·B may be NaN
      b.data[3 * n + 5] = Infinity; // B(3, 5): column 5 may be non-finite
      const c = matmulAtB(a, b);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          assert.equal(Number.isFinite(at(c, i, j)), i !== 0 && j !== 5, `(${i}, ${j}) = ${at(c, i, j)}`);
        }
    });

    it('rejects mismatched inner dimensions', () => {
      const a: Matrix = { rows: 2, cols: 3, data: new Float64Array(6) };
      const t: Matrix = { rows: 3, cols: 2, data: new Float64Array(6) };
      assert.throws(() => matmulABt(a, t), RangeError); // needs t.cols = 3
      assert.throws(() => matmulAB(a, a), RangeError); // needs 3 rows in the second
      assert.throws(() => matmulAtB(a, t), RangeError); // needs 2 rows in the second
    });
  });
}

describe('matmul backends', () => {
  it('uses WebAssembly SIMD by default on Node ≥ 20', () => {
    setKernelBackend('auto');
    assert.equal(kernelBackend(), 'wasm');
  });
  it('the module assembled from gemm.wat exports its four functions and the memory', () => {
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(GEMM_WASM)).map((e) => `${e.kind} ${e.name}`);
    assert.deepEqual(exports.sort(), [
      'function gemm',
      'function packContiguous',
      'function packStrided',
      'function patches',
      'memory memory',
    ]);
  });
  it('every Node bundle carries the module inline (no .wasm file to find, no fs)', () => {
    const magic = [...GEMM_WASM.subarray(0, 16)].join(',\\s*'); // as an array literal, minified or not
    for (const bundle of ['cli.js', 'worker.js', 'extension.js']) {
      const text = readFileSync(join(__dirname, '../../../../dist', bundle), 'utf8');
      assert.match(text, new RegExp(magic), bundle);
      assert.doesNotMatch(text, /\.wasm\b|gemm\.wat/, bundle);
    }
  });
});
