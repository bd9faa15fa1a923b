import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { constantBits } from './gates.ts';
import { mux, muxLanes } from './mux.ts';
import { column, countLib, runLib } from '../../../test/support/circuit-lib.ts';

describe('multiplexer', () => {
  it('select ? y : x, per instance', () => {
    const rows = fc.integer({ min: 1, max: 30 }).chain((w) =>
      fc.tuple(fc.constant(w), fc.array(fc.tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }), fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }), fc.bigInt({ min: 0n, max: 1n })), { minLength: 1, maxLength: 70 })),
    );
    fc.assert(
      fc.property(rows, ([w, r]) => {
        const out = runLib([w, w, 1], [column(r, 0), column(r, 1), column(r, 2)], (g, [x, y, s]) => mux(g, s![0]!, x!, y!));
        assert.deepEqual(out, r.map(([x, y, s]) => (s ? y : x)));
      }),
      { numRuns: 60 },
    );
  });

  it('AND counts: one per bit, all in one batch; bits where both sides are equal constants are free', () => {
    for (const w of [1, 8, 20]) {
      const c = countLib([w, w, 1], (g, [x, y, s]) => mux(g, s![0]!, x!, y!));
      assert.deepEqual([c.and, c.andBatches, c.andDepth], [w, 1, 1]);
      const lanes = countLib([w, w, 1, 1], (g, [x, y, s, t]) => muxLanes(g, [{ select: s![0]!, x: x!, y: y! }, { select: t![0]!, x: y!, y: x! }]).flat());
      assert.deepEqual([lanes.and, lanes.andBatches], [2 * w, 1]);
    }
    // Choosing between the constants 5 and 6 (101, 110): bit 2 is equal, bits 0 and 1 are the selector or its negation.
    assert.equal(countLib([1], (g, [s]) => mux(g, s![0]!, constantBits(5, 3), constantBits(6, 3))).and, 0);
    assert.deepEqual(runLib([1], [[0, 1]], (g, [s]) => mux(g, s![0]!, constantBits(5, 3), constantBits(6, 3))), [5n, 6n]);
  });
});
