import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { greaterOrEqual, greaterThan, lessThan, lessThanLanes } from './compare.ts';
import { constantBits } from './gates.ts';
import { column, countLib, runLib } from '../../../test/support/circuit-lib.ts';

const operands = fc.integer({ min: 1, max: 40 }).chain((w) =>
  fc.tuple(fc.constant(w), fc.array(fc.tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }), fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n })), { minLength: 1, maxLength: 70 })),
);
const b = (x: boolean): bigint => (x ? 1n : 0n);

describe('comparison', () => {
  it('unsigned and signed <, ≥, > match BigInt comparison', () => {
    fc.assert(
      fc.property(operands, ([w, rows]) => {
        const [x, y] = [column(rows, 0), column(rows, 1)];
        const s = (v: bigint): bigint => BigInt.asIntN(w, v);
        assert.deepEqual(runLib([w, w], [x, y], (g, [p, q]) => [lessThan(g, p!, q!)]), rows.map(([p, q]) => b(p < q)));
        assert.deepEqual(runLib([w, w], [x, y], (g, [p, q]) => [greaterOrEqual(g, p!, q!)]), rows.map(([p, q]) => b(p >= q)));
        assert.deepEqual(runLib([w, w], [x, y], (g, [p, q]) => [greaterThan(g, p!, q!)]), rows.map(([p, q]) => b(p > q)));
        assert.deepEqual(runLib([w, w], [x, y], (g, [p, q]) => [lessThan(g, p!, q!, { signed: true })]), rows.map(([p, q]) => b(s(p) < s(q))));
        assert.deepEqual(runLib([w, w], [x, y], (g, [p, q]) => [greaterOrEqual(g, p!, q!, { signed: true })]), rows.map(([p, q]) => b(s(p) >= s(q))));
      }),
      { numRuns: 60 },
    );
  });

  it('AND counts: w for wire operands; lanes in lockstep cost the same per lane in w batches', () => {
    for (const w of [1, 3, 20, 33]) {
      assert.equal(countLib([w, w], (g, [x, y]) => [lessThan(g, x!, y!)]).and, w);
      assert.equal(countLib([w, w], (g, [x, y]) => [lessThan(g, x!, y!, { signed: true })]).and, w);
      const lanes = countLib([w, w, w, w], (g, [a, c, d, e]) => lessThanLanes(g, [{ a: a!, b: c! }, { a: d!, b: e! }]));
      assert.deepEqual([lanes.and, lanes.andBatches], [2 * w, w]);
      // Against a constant the first carry is free (and more when it has trailing ones/zeros).
      assert.equal(countLib([w], (g, [x]) => [lessThan(g, x!, constantBits(1, w))]).and, Math.max(0, w - 1));
    }
  });

  it('refuses operands of different widths', () => {
    assert.throws(() => countLib([2, 3], (g, [x, y]) => [lessThan(g, x!, y!)]), RangeError);
  });
});
