import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { close, REFERENCES } from '../../test/vectors/stats/references.ts';
import { chiSquareGoodnessOfFit, uniformBytesTest, uniformModPTest } from './chi-square.ts';

describe('chi-square goodness of fit', () => {
  it('matches SciPy chisquare with uniform and given bin probabilities', () => {
    for (const { observed, probabilities, statistic, p } of REFERENCES.chi2_gof) {
      const r = chiSquareGoodnessOfFit(observed, probabilities ?? undefined);
      assert.ok(close(r.statistic, statistic, 1e-12), `${r.statistic} vs ${statistic}`);
      assert.ok(close(r.pValue, p, 1e-6, 1e-300), `${r.pValue} vs ${p}`);
      assert.equal(r.df, observed.length - 1);
    }
  });

  it('uniform bytes: matches SciPy on 256 bins, and folds a small sample into fewer bins', () => {
    for (const { bytes, statistic, p, bins } of REFERENCES.uniform_bytes) {
      const r = uniformBytesTest(Uint8Array.from(bytes));
      assert.equal(r.bins, bins ?? 256);
      assert.ok(close(r.statistic, statistic, 1e-12), `${r.statistic} vs ${statistic}`);
      assert.ok(close(r.pValue, p, 1e-6, 1e-300), `${r.pValue} vs ${p}`);
    }
  });

  it('uniform mod p: matches SciPy with bins of unequal width, and rejects `% p` on 20-bit words', () => {
    const [uniform, biased] = REFERENCES.uniform_mod_p;
    for (const ref of [uniform!, biased!]) {
      const r = uniformModPTest(ref.values, ref.p, ref.bins);
      assert.ok(close(r.statistic, ref.statistic, 1e-9), `${r.statistic} vs ${ref.statistic}`);
      assert.ok(close(r.pValue, ref.pValue, 1e-6, 1e-300), `${r.pValue} vs ${ref.pValue}`);
    }
    assert.ok(uniformModPTest(biased!.values, biased!.p, biased!.bins).pValue < 1e-6);
  });

  it('the statistic is 0 exactly when the counts are the expected ones, and positive otherwise', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 5, max: 1000 }), { minLength: 2, maxLength: 30 }), (counts) => {
        const total = counts.reduce((s, c) => s + c, 0);
        const r = chiSquareGoodnessOfFit(counts, counts.map((c) => c / total));
        assert.ok(r.statistic < 1e-9 && r.pValue > 0.999);
        const flat = chiSquareGoodnessOfFit(counts);
        assert.equal(flat.statistic === 0, counts.every((c) => c === counts[0]));
      }),
    );
  });

  it('accepts an expected count that rounding puts just below 5 (counts [5, 314] with their own proportions)', () => {
    // 319 · (5/319) = 4.999999999999999 in doubles: still 5 expected observations.
    assert.ok(319 * (5 / 319) < 5);
    const r = chiSquareGoodnessOfFit([5, 314], [5 / 319, 314 / 319]);
    assert.ok(r.statistic < 1e-9 && r.pValue > 0.999);
  });

  it('uniform mod p: a last bin too short for 5 expected values joins the one before it', () => {
    // p = 557057 in 1024 bins of width 545: the last of the 1023 bins used is 67 wide.
    const values = Array.from({ length: 6000 }, (_, i) => (i * 7919) % 557057);
    const r = uniformModPTest(values, 557057);
    assert.equal(r.bins, 1022);
    assert.equal(r.count, 6000);
    fc.assert(
      // From 12 values on: 10 in two bins of unequal width (p odd) cannot expect 5 in each.
      fc.property(fc.integer({ min: 12, max: 20000 }), fc.integer({ min: 1000, max: 2 ** 20 }), (count, p) => {
        const r = uniformModPTest(Array.from({ length: count }, (_, i) => (i * 104729) % p), p);
        assert.equal(r.count, count);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses too little data, values out of range and probabilities that do not sum to 1', () => {
    assert.throws(() => chiSquareGoodnessOfFit([1, 2, 3]), /expects/);
    assert.throws(() => uniformBytesTest(new Uint8Array(9)), /too few/);
    assert.throws(() => uniformModPTest([0, 7], 7, 2), /not in \[0, 7\)/);
    assert.throws(() => chiSquareGoodnessOfFit([10, 10], [0.5, 0.6]), /sum to/);
    assert.throws(() => chiSquareGoodnessOfFit([10, -1]), /non-negative integer/);
  });
});
