import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { conditionalAddConstant, isNegativeZp, modAdd, modSub, modulusWidth, signedRange, signedToZp, zpToSigned } from './modp.ts';
import { batchBelow, column, countLib, PRIMES, runLib, trailingOnes } from '../../../test/support/circuit-lib.ts';

/** The signed reading, straight from its definition: values ≥ p/2 are negative. */
const signed = (y: number, p: number): number => (2 * y >= p ? y - p : y);

/** Pairs in [0, p) and, per row, a subtrahend in [0, p]. */
const withSubtrahends = (p: number) =>
  batchBelow(p, 2).chain((rows) => fc.tuple(fc.constant(rows), fc.array(fc.integer({ min: 0, max: p }), { minLength: rows.length, maxLength: rows.length })));

describe('Z_p arithmetic in circuits', () => {
  for (const p of PRIMES) {
    const w = modulusWidth(p);
    it(`p = ${p} (w = ${w}): modAdd, modSub, signed reading and back match integer arithmetic`, () => {
      fc.assert(
        fc.property(withSubtrahends(p), ([rows, bq]) => {
          const [a, b] = [column(rows, 0), column(rows, 1)];
          assert.deepEqual(runLib([w, w], [a, b], (g, [x, y]) => modAdd(g, x!, y!, p)), rows.map(([x, y]) => BigInt((x! + y!) % p)));
          // modSub accepts a subtrahend in [0, p] (p acts as 0).
          assert.deepEqual(runLib([w, w], [a, bq], (g, [x, y]) => modSub(g, x!, y!, p)), a.map((x, i) => BigInt((((x - bq[i]!) % p) + p) % p)));
          assert.deepEqual(runLib([w], [a], (g, [x]) => [isNegativeZp(g, x!, p)]), a.map((x) => (signed(x, p) < 0 ? 1n : 0n)));
          const s = runLib([w], [a], (g, [x]) => zpToSigned(g, x!, p)).map((v) => Number(BigInt.asIntN(w, v)));
          assert.deepEqual(s, a.map((x) => signed(x, p)));
          const twos = s.map((v) => BigInt.asUintN(w, BigInt(v)));
          assert.deepEqual(runLib([w], [twos], (g, [x]) => signedToZp(g, x!, p)), a.map(BigInt));
        }),
        { numRuns: 25 },
      );
    });
  }

  it('conditionalAddConstant adds k only where the condition is 1', () => {
    assert.deepEqual(runLib([4, 1], [[3, 3, 15], [0, 1, 1]], (g, [x, c]) => conditionalAddConstant(g, x!, c![0]!, 5)), [3n, 8n, 4n]);
  });

  it('AND counts for odd p: modAdd 3w − 1, modSub 2w − 1, zpToSigned 2w − 2 − t(h), signedToZp w − 1', () => {
    for (const p of PRIMES.filter((q) => q % 2 === 1)) {
      const w = modulusWidth(p);
      const th = trailingOnes(signedRange(p).h);
      assert.equal(countLib([w, w], (g, [x, y]) => modAdd(g, x!, y!, p)).and, 3 * w - 1, `modAdd ${p}`);
      assert.equal(countLib([w, w], (g, [x, y]) => modSub(g, x!, y!, p)).and, 2 * w - 1, `modSub ${p}`);
      assert.equal(countLib([w], (g, [x]) => [isNegativeZp(g, x!, p)]).and, w - 1 - th, `isNegativeZp ${p}`);
      assert.equal(countLib([w], (g, [x]) => zpToSigned(g, x!, p)).and, 2 * w - 2 - th, `zpToSigned ${p}`);
      assert.equal(countLib([w], (g, [x]) => signedToZp(g, x!, p)).and, w - 1, `signedToZp ${p}`);
    }
  });

  it('argument checks', () => {
    assert.throws(() => modulusWidth(1), RangeError);
    assert.throws(() => modulusWidth(2 ** 31), RangeError);
    assert.throws(() => countLib([3, 4], (g, [x, y]) => modAdd(g, x!, y!, 5)), RangeError);
    assert.deepEqual(signedRange(7), { h: 3, m: 3 });
    assert.deepEqual(signedRange(2), { h: 0, m: 1 });
  });
});
