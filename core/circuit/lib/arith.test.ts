import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { add, addWrap, carryChains, sub, subWrap, zeroExtend } from './arith.ts';
import { constantBits } from './gates.ts';
import { column, countLib, runLib } from '../../../test/support/circuit-lib.ts';

/** A width and a batch of operand pairs of that width. */
const operands = fc.integer({ min: 1, max: 40 }).chain((w) =>
  fc.tuple(fc.constant(w), fc.array(fc.tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }), fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n })), { minLength: 1, maxLength: 70 })),
);

describe('ripple-carry arithmetic', () => {
  it('add, addWrap, sub, subWrap match BigInt arithmetic', () => {
    fc.assert(
      fc.property(operands, ([w, rows]) => {
        const mod = 1n << BigInt(w);
        const [a, b] = [column(rows, 0), column(rows, 1)];
        assert.deepEqual(runLib([w, w], [a, b], (g, [x, y]) => add(g, x!, y!)), rows.map(([x, y]) => x + y));
        assert.deepEqual(runLib([w, w], [a, b], (g, [x, y]) => addWrap(g, x!, y!)), rows.map(([x, y]) => (x + y) % mod));
        assert.deepEqual(runLib([w, w], [a, b], (g, [x, y]) => subWrap(g, x!, y!)), rows.map(([x, y]) => (x - y + mod) % mod));
        assert.deepEqual(
          runLib([w, w], [a, b], (g, [x, y]) => {
            const { diff, borrow } = sub(g, x!, y!);
            return [...diff, borrow];
          }),
          rows.map(([x, y]) => (x - y + mod) % mod + (x < y ? mod : 0n)),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('a public-constant operand is folded: x + k gives the right sum', () => {
    fc.assert(
      fc.property(operands, fc.nat(), ([w, rows], k0) => {
        const k = BigInt(k0) % (1n << BigInt(w));
        assert.deepEqual(runLib([w], [column(rows, 0)], (g, [x]) => add(g, x!, constantBits(k, w))), rows.map(([x]) => x + k));
      }),
      { numRuns: 30 },
    );
  });

  it('AND counts: add w, addWrap w − 1, sub w, subWrap w − 1; XOR-free inversions; XORs: add 4w − 3, add of a constant one a carry', () => {
    for (const w of [1, 2, 8, 20, 32]) {
      assert.equal(countLib([w, w], (g, [x, y]) => add(g, x!, y!)).and, w);
      // XOR: 3 a carry (none for the constant c_0) and 1 a sum bit (x_i ⊕ b_i, reusing the chain's x_i).
      assert.equal(countLib([w, w], (g, [x, y]) => add(g, x!, y!)).xor, 4 * w - 3);
      assert.equal(countLib([w, w], (g, [x, y]) => addWrap(g, x!, y!)).and, w - 1);
      assert.equal(countLib([w, w], (g, [x, y]) => sub(g, x!, y!).diff).and, w);
      assert.equal(countLib([w, w], (g, [x, y]) => subWrap(g, x!, y!)).and, w - 1);
      // Adding a public k ≠ 0: carries stay constant up to k's lowest one bit, so w − 1 − tz(k) ANDs.
      for (const tz of [0, Math.floor(w / 2), w - 1]) {
        const k = (1n << BigInt(w)) - (1n << BigInt(tz));
        const counts = countLib([w], (g, [x]) => add(g, x!, constantBits(k, w)));
        assert.equal(counts.and, w - 1 - tz);
        // A constant bit of b makes the carry a plain AND/OR: one XOR a bit (the sum's a_i ⊕ c_i),
        // and none when only the carries are wanted (a comparison with a constant).
        assert.equal(counts.xor, w - 1 - tz);
        const compare = countLib([w], (g, [x]) => carryChains(g, [{ a: x!, b: constantBits(k, w) }], w)[0]!.slice(w));
        assert.deepEqual([compare.and, compare.xor], [w - 1 - tz, 0]);
      }
    }
  });

  it('zeroExtend widens with constants and refuses to shrink', () => {
    assert.deepEqual(runLib([3], [[5]], (_g, [x]) => zeroExtend(x!, 6)), [5n]);
    assert.throws(() => zeroExtend([], -1), RangeError);
    assert.throws(() => add({} as never, [constantBits(0, 1)[0]!], []), RangeError);
  });
});
