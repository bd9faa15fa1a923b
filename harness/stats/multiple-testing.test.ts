import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { close, REFERENCES } from '../../test/vectors/stats/references.ts';
import { bonferroni, holm, rejected } from './multiple-testing.ts';

describe('multiple-testing corrections', () => {
  it('match statsmodels multipletests (holm, bonferroni)', () => {
    const { p, holm: h, bonferroni: b } = REFERENCES.multiple_testing;
    holm(p).adjusted.forEach((x, i) => assert.ok(close(x, h[i]!, 1e-12), `holm ${i}: ${x} vs ${h[i]}`));
    bonferroni(p).adjusted.forEach((x, i) => assert.ok(close(x, b[i]!, 1e-12), `bonferroni ${i}: ${x} vs ${b[i]}`));
    assert.deepEqual(rejected(holm(p), 0.05), h.flatMap((x, i) => (x <= 0.05 ? [i] : [])));
    assert.equal(holm(p).mostSignificant, 6);
  });

  it('raw ≤ Holm ≤ Bonferroni ≤ 1, and Holm keeps the order of the raw p-values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }), (p) => {
        const h = holm(p).adjusted;
        const b = bonferroni(p).adjusted;
        p.forEach((x, i) => assert.ok(x <= h[i]! + 1e-15 && h[i]! <= b[i]! + 1e-15 && b[i]! <= 1));
        for (let i = 0; i < p.length; i++) for (let j = 0; j < p.length; j++) if (p[i]! < p[j]!) assert.ok(h[i]! <= h[j]!);
        assert.equal(holm(p).familyPValue, Math.min(1, p.length * Math.min(...p)));
      }),
    );
  });

  it('refuses an empty family and values outside [0, 1]', () => {
    assert.throws(() => holm([]), RangeError);
    assert.throws(() => bonferroni([0.5, 1.5]), RangeError);
    assert.throws(() => rejected(holm([0.1]), 0), RangeError);
  });
});
