import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { kolmogorovSurvival, ksTwoSample } from './ks.ts';

// Reference values computed with SciPy 1.17.1 (scipy.stats.kstwobign.sf and scipy.stats.ks_2samp).
const KSTWOBIGN_SF: readonly [number, number][] = [
  [0.3, 0.9999906941986655],
  [0.5, 0.9639452436648751],
  [0.8, 0.5441424115741981],
  [1.0, 0.26999967167735456],
  [1.18, 0.1234538094297657],
  [1.36, 0.049485876755377876],
  [1.63, 0.009846364888486529],
  [2.0, 0.0006709252557796953],
  [3.0, 3.045995948942526e-8],
];
const A = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47];
const B = [2.2, 1.66, 1.38, 0.2, 0.36, 0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, 0.38, 0.7, 0.52, -0.72];

const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 });

describe('two-sample Kolmogorov–Smirnov test', () => {
  it('matches SciPy on the Kolmogorov survival function', () => {
    for (const [lambda, expected] of KSTWOBIGN_SF) {
      const got = kolmogorovSurvival(lambda);
      assert.ok(Math.abs(got - expected) <= 1e-9 + 1e-6 * expected, `Q(${lambda}) = ${got}, SciPy ${expected}`);
    }
  });

  it('matches SciPy ks_2samp on its statistic, with and without ties, and kstwobign on the p-value', () => {
    const r = ksTwoSample(A, B);
    assert.ok(Math.abs(r.statistic - 0.23) < 1e-12);
    assert.ok(Math.abs(r.pValue - 0.5991955719698887) < 1e-9);
    assert.ok(Math.abs(ksTwoSample([1, 1, 2, 2, 3, 3, 3, 4], [1, 2, 2, 2, 3, 4, 4, 4, 5]).statistic - 0.3194444444444444) < 1e-12);
  });

  it('is symmetric, in [0, 1], zero for a sample against itself and one for disjoint samples', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = ksTwoSample(a, b);
        const ba = ksTwoSample(b, a);
        assert.equal(ab.statistic, ba.statistic);
        assert.ok(ab.statistic >= 0 && ab.statistic <= 1 && ab.pValue >= 0 && ab.pValue <= 1);
        assert.equal(ksTwoSample(a, [...a].reverse()).statistic, 0);
        const shifted = b.map((v) => v + 3e6);
        assert.equal(ksTwoSample(a, shifted).statistic, 1);
      }),
    );
  });

  it('Q decreases in λ', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (s, t) => {
        const [lo, hi] = s <= t ? [s, t] : [t, s];
        assert.ok(kolmogorovSurvival(lo) >= kolmogorovSurvival(hi) - 1e-12);
      }),
    );
  });

  it('rejects empty samples and NaN', () => {
    assert.throws(() => ksTwoSample([], [1]), RangeError);
    assert.throws(() => ksTwoSample([1, Number.NaN], [1]), RangeError);
  });
});
