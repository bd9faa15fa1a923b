import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { modulusWidth, signedRange } from './modp.ts';
import { maxPoolRelu, relu, reluZp, shiftRightArithmetic } from './relu.ts';
import { batchBelow, column, countLib, PRIMES, runLib, trailingOnes } from '../../../test/support/circuit-lib.ts';

/** A width and rows of `count` two's complement values of that width (as signed numbers). */
const signedRows = (count: number) =>
  fc.integer({ min: 2, max: 24 }).chain((w) =>
    fc.tuple(fc.constant(w), fc.array(fc.array(fc.integer({ min: -(2 ** (w - 1)), max: 2 ** (w - 1) - 1 }), { minLength: count, maxLength: count }), { minLength: 1, maxLength: 70 })),
  );
const enc = (w: number, xs: number[]): bigint[] => xs.map((x) => BigInt.asUintN(w, BigInt(x)));
const dec = (w: number, xs: bigint[]): number[] => xs.map((x) => Number(BigInt.asIntN(w, x)));

describe('ReLU, truncation, MaxPool', () => {
  it('relu and arithmetic shift of two’s complement values', () => {
    fc.assert(
      fc.property(signedRows(1), fc.nat(), ([w, rows], k0) => {
        const x = column(rows, 0);
        const k = k0 % w;
        assert.deepEqual(dec(w, runLib([w], [enc(w, x)], (g, [v]) => relu(g, v!))), x.map((v) => Math.max(v, 0)));
        assert.deepEqual(dec(w, runLib([w], [enc(w, x)], (_g, [v]) => shiftRightArithmetic(v!, k))), x.map((v) => Math.floor(v / 2 ** k)));
      }),
      { numRuns: 60 },
    );
  });

  it('maxPoolRelu over windows of 1 to 9 values is max(x_1, .., x_k, 0)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }).chain(signedRows), ([w, rows]) => {
        const k = rows[0]!.length;
        const cols = Array.from({ length: k }, (_, j) => enc(w, column(rows, j)));
        const out = dec(w, runLib(Array(k).fill(w), cols, (g, xs) => maxPoolRelu(g, xs)));
        assert.deepEqual(out, rows.map((r) => Math.max(0, ...r)));
      }),
      { numRuns: 60 },
    );
  });

  for (const p of PRIMES) {
    it(`reluZp, p = ${p}: ReLU of the signed reading`, () => {
      const w = modulusWidth(p);
      fc.assert(
        fc.property(batchBelow(p, 1), (rows) => {
          const y = column(rows, 0);
          assert.deepEqual(runLib([w], [y], (g, [v]) => reluZp(g, v!, p)), y.map((v) => BigInt(2 * v >= p ? 0 : v)));
        }),
        { numRuns: 20 },
      );
    });
  }

  it('AND counts: relu w − 1, reluZp 2w − 2 − t(h), shift 0, maxPoolRelu (k − 1)·2w + w − 1', () => {
    for (const w of [2, 8, 20]) {
      assert.equal(countLib([w], (g, [x]) => relu(g, x!)).and, w - 1);
      assert.equal(countLib([w], (_g, [x]) => shiftRightArithmetic(x!, 1)).and, 0);
      for (const k of [1, 2, 4, 9]) {
        const c = countLib(Array(k).fill(w), (g, xs) => maxPoolRelu(g, xs));
        assert.equal(c.and, (k - 1) * 2 * w + w - 1, `maxPoolRelu k=${k} w=${w}`);
      }
    }
    for (const p of PRIMES.filter((q) => q % 2 === 1)) {
      const w = modulusWidth(p);
      assert.equal(countLib([w], (g, [x]) => reluZp(g, x!, p)).and, 2 * w - 2 - trailingOnes(signedRange(p).h), `reluZp ${p}`);
    }
  });

  it('argument checks', () => {
    assert.throws(() => countLib([0], (g, [x]) => relu(g, x!)), RangeError);
    assert.throws(() => countLib([4], (_g, [x]) => shiftRightArithmetic(x!, 4)), RangeError);
    assert.throws(() => countLib([4], (g, [x]) => reluZp(g, x!, 5)), RangeError);
  });
});
