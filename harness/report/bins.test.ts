import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { equalWidthBins } from './bins.ts';

describe('equal-width bins', () => {
  it('known answer: 0..9 and 5..14 in 3 bins over 0..14', () => {
    const { edges, counts } = equalWidthBins([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]], 3);
    assert.deepEqual(edges.map((e) => Number(e.toFixed(6))), [0, 4.666667, 9.333333, 14]);
    assert.deepEqual(counts, [
      [5, 5, 0],
      [0, 5, 5],
    ]);
  });

  it('property: every sample lands in exactly one bin whose edges hold it', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 20 }), (series, bins) => {
        const { edges, counts } = equalWidthBins(series, bins);
        assert.equal(edges.length, bins + 1);
        for (let i = 0; i < bins; i++) assert.ok(edges[i]! < edges[i + 1]!);
        series.forEach((samples, s) => {
          assert.equal(counts[s]!.reduce((a, b) => a + b, 0), samples.length);
          for (const v of samples) assert.ok(v >= edges[0]! && v <= edges[bins]!);
        });
      }),
    );
  });

  it('every sample equal: one bin range around it; no samples or bad bins: RangeError', () => {
    const { edges, counts } = equalWidthBins([[0, 0, 0]], 4);
    assert.ok(edges[0]! < 0 && edges[4]! > 0);
    assert.equal(counts[0]!.reduce((a, b) => a + b, 0), 3);
    assert.throws(() => equalWidthBins([[]], 3), /no samples/);
    assert.throws(() => equalWidthBins([[1]], 0), /positive integer/);
    assert.throws(() => equalWidthBins([[1, Infinity]], 2), /finite/);
  });
});
