import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { close, REFERENCES } from '../../test/vectors/stats/references.ts';
import { welchTTest } from './welch.ts';

// Values on a grid of 10^-3 (no subnormal variances, whose underflow no implementation survives).
const sample = fc.array(fc.integer({ min: -1e6, max: 1e6 }).map((x) => x / 1000), { minLength: 2, maxLength: 40 });

describe("Welch's t-test", () => {
  it('matches SciPy ttest_ind(equal_var=False) on statistic, degrees of freedom and p-value', () => {
    for (const { a, b, t, df, p } of REFERENCES.welch) {
      const r = welchTTest(a, b);
      // The last case (values near 10^6 differing by 10^-3) loses ~8 digits to cancellation in any
      // summation order, so agreement is checked to 10^-6.
      assert.ok(close(r.statistic, t, 1e-6), `t ${r.statistic} vs ${t}`);
      assert.ok(close(r.df, df, 1e-6), `df ${r.df} vs ${df}`);
      assert.ok(close(r.pValue, p, 1e-5, 1e-300), `p ${r.pValue} vs ${p}`);
    }
  });

  it('is antisymmetric and invariant under a common shift and a positive scale', () => {
    fc.assert(
      fc.property(sample, sample, fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), (a, b, shift, scale) => {
        const r = welchTTest(a, b);
        const s = welchTTest(b, a);
        assert.ok(r.pValue >= 0 && r.pValue <= 1);
        assert.equal(r.pValue, s.pValue);
        if (Number.isFinite(r.statistic) && Math.abs(r.statistic) > 1e-6 && Math.abs(r.statistic) < 1e6) {
          assert.ok(close(-s.statistic, r.statistic, 1e-9));
          const moved = welchTTest(a.map((x) => x * scale + shift), b.map((x) => x * scale + shift));
          assert.ok(close(moved.statistic, r.statistic, 1e-6, 1e-6), `${moved.statistic} vs ${r.statistic}`);
        }
      }),
    );
  });

  it('constant samples: equal means give p = 1, different means p = 0 (a deterministic difference)', () => {
    assert.equal(welchTTest([3, 3, 3], [3, 3]).pValue, 1);
    const r = welchTTest([3, 3, 3], [4, 4]);
    assert.equal(r.pValue, 0);
    assert.equal(r.statistic, Number.NEGATIVE_INFINITY);
    // one class constant (a fixed secret), the other varying: still a finite test
    assert.ok(welchTTest([1, 1, 1, 1], [0, 1, 0, 1]).pValue > 0);
  });

  it('refuses samples of fewer than two values and non-finite values', () => {
    assert.throws(() => welchTTest([1], [1, 2]), RangeError);
    assert.throws(() => welchTTest([1, Number.NaN], [1, 2]), RangeError);
    assert.throws(() => welchTTest([1, 2], [1, Number.POSITIVE_INFINITY]), RangeError);
  });
});
