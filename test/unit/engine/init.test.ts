import { strict as assert } from 'node:assert';
import { createRng, initDistribution, initWeights, rngFromState } from '../../../src/engine/init';

/** Sample mean and (population) variance. */
function moments(xs: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i] - mean) ** 2;
  return { mean, variance: v / xs.length };
}

describe('engine/init: seeded weights', () => {
  describe('the generator', () => {
    it('matches the reference C xoshiro128** from state (1, 2, 3, 4)', () => {
      // Outputs of Blackman & Vigna's reference xoshiro128starstar.c, compiled with gcc.
      const rng = rngFromState([1, 2, 3, 4]);
      const got = Array.from({ length: 8 }, () => rng.nextUint32());
      assert.deepEqual(got, [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
    });

    it('matches the reference C code when seeded through splitmix32 (seeds 0 and 42)', () => {
      // Same C program, state = four splitmix32 outputs; then a 53-bit uniform from two draws.
      const r0 = createRng(0);
      assert.deepEqual(
        [r0.nextUint32(), r0.nextUint32(), r0.nextUint32(), r0.nextUint32()],
        [3809008728, 1133695204, 53579671, 2891528803],
      );
      assert.equal(r0.uniform(), 0.032522145755498943);
      const r42 = createRng(42);
      assert.deepEqual(
        [r42.nextUint32(), r42.nextUint32(), r42.nextUint32(), r42.nextUint32()],
        [2837322924, 544945897, 479756282, 3500138142],
      );
      assert.equal(r42.uniform(), 0.079105645614491404);
    });

    it('is deterministic: the same seed gives the same stream, another seed another', () => {
      const a = createRng(123);
      const b = createRng(123);
      const c = createRng(124);
      const xa = Array.from({ length: 100 }, () => a.normal());
      const xb = Array.from({ length: 100 }, () => b.normal());
      const xc = Array.from({ length: 100 }, () => c.normal());
      assert.deepEqual(xa, xb);
      assert.notDeepEqual(xa, xc);
    });

    it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
      const n = 200_000;
      const rng = createRng(1);
      const xs = new Float64Array(n);
      for (let i = 0; i < n; i++) xs[i] = rng.uniform();
      assert.ok(xs.every((x) => x >= 0 && x < 1));
      const { mean, variance } = moments(xs);
      // 5 standard errors: sd(mean) = √(1/12/n) ≈ 6.5e-4; sd(variance) ≈ √(1/180/n) ≈ 1.7e-4.
      assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
      assert.ok(Math.abs(variance - 1 / 12) < 5 * Math.sqrt(1 / 180 / n), `variance ${variance}`);
    });

    it('draws normals with mean 0, variance 1 and about 68.3% within one σ', () => {
      const n = 200_000;
      const rng = createRng(2);
      const xs = new Float64Array(n);
      for (let i = 0; i < n; i++) xs[i] = rng.normal();
      const { mean, variance } = moments(xs);
      assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `mean ${mean}`);
      assert.ok(Math.abs(variance - 1) < 5 * Math.sqrt(2 / n), `variance ${variance}`);
      const inside = xs.filter((x) => Math.abs(x) < 1).length / n;
      // P(|Z| < 1) = 0.682689…; binomial sd √(p(1-p)/n) ≈ 1.04e-3.
      assert.ok(Math.abs(inside - 0.682689) < 5 * 1.04e-3, `within 1σ ${inside}`);
    });
  });

  describe('initWeights', () => {
    const nIn = 300;
    const nOut = 400;
    const n = nIn * nOut;
    const cases = [
      ['xavier_normal', Math.sqrt(2 / (nIn + nOut)) ** 2],
      ['he_normal', 2 / nIn],
      ['xavier_uniform', 6 / (nIn + nOut) / 3], // U(±L) has variance L²/3
    ] as const;
    for (const [init, expectedVariance] of cases) {
      it(`${init}: n_out × n_in with mean 0 and the variance of its formula`, () => {
        const W = initWeights(init, nOut, nIn, 0, 1);
        assert.equal(W.rows, nOut);
        assert.equal(W.cols, nIn);
        const { mean, variance } = moments(W.data);
        const sd = Math.sqrt(expectedVariance);
        assert.ok(Math.abs(mean) < (5 * sd) / Math.sqrt(n), `mean ${mean}`);
        // Relative sd of a sample variance is √(2/n) for normals, √(0.8/n) for uniforms.
        assert.ok(
          Math.abs(variance / expectedVariance - 1) < 5 * Math.sqrt(2 / n),
          `variance ${variance} vs ${expectedVariance}`,
        );
      });
    }

    it('xavier_uniform stays within ±√(6/(n_in+n_out))', () => {
      const W = initWeights('xavier_uniform', 50, 30, 9, 2);
      const dist = initDistribution('xavier_uniform', 30, 50);
      assert.equal(dist.kind, 'uniform');
      const limit = Math.sqrt(6 / 80);
      assert.ok(W.data.every((x) => Math.abs(x) <= limit));
    });

    it('zeros is all zeros', () => {
      assert.ok(initWeights('zeros', 3, 4, 5, 1).data.every((x) => x === 0));
    });

    it('is reproducible, and each layer has its own stream', () => {
      assert.deepEqual(initWeights('he_normal', 3, 2, 7, 1), initWeights('he_normal', 3, 2, 7, 1));
      assert.notDeepEqual(initWeights('he_normal', 3, 2, 7, 1).data, initWeights('he_normal', 3, 2, 7, 2).data);
      assert.notDeepEqual(initWeights('he_normal', 3, 2, 7, 1).data, initWeights('he_normal', 3, 2, 8, 1).data);
    });
  });
});
