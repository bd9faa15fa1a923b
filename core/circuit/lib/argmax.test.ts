import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { argmax, maximum } from './argmax.ts';
import { column, countLib, runLib } from '../../../test/support/circuit-lib.ts';

/** Rows of k values of w bits; small widths make ties frequent. */
const rows = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 10 })).chain(([k, w]) =>
  fc.tuple(fc.constant(w), fc.array(fc.array(fc.integer({ min: 0, max: 2 ** w - 1 }), { minLength: k, maxLength: k }), { minLength: 1, maxLength: 70 })),
);

/** Index of the first largest element (numpy's convention). */
const firstMax = (xs: number[]): number => xs.indexOf(Math.max(...xs));

describe('maximum and argmax', () => {
  it('unsigned and signed maximum; argmax returns the first largest index', () => {
    fc.assert(
      fc.property(rows, ([w, r]) => {
        const k = r[0]!.length;
        const cols = Array.from({ length: k }, (_, j) => column(r, j));
        const widths = Array(k).fill(w);
        const s = (x: number): number => Number(BigInt.asIntN(w, BigInt(x)));
        assert.deepEqual(runLib(widths, cols, (g, xs) => maximum(g, xs)), r.map((x) => BigInt(Math.max(...x))));
        assert.deepEqual(runLib(widths, cols, (g, xs) => maximum(g, xs, { signed: true })).map((v) => s(Number(v))), r.map((x) => Math.max(...x.map(s))));
        assert.deepEqual(runLib(widths, cols, (g, xs) => argmax(g, xs)), r.map((x) => BigInt(firstMax(x))));
        assert.deepEqual(runLib(widths, cols, (g, xs) => argmax(g, xs, { signed: true })), r.map((x) => BigInt(firstMax(x.map(s)))));
      }),
      { numRuns: 100 },
    );
  });

  it('AND counts: maximum (k − 1)·2w; argmax (k − 1)·w + (k − 2)·w + 2^n − n − 1 for k = 2^n, ⌈log2 k⌉ rounds', () => {
    for (const w of [4, 20]) {
      for (const k of [2, 3, 5, 10]) assert.equal(countLib(Array(k).fill(w), (g, xs) => maximum(g, xs)).and, (k - 1) * 2 * w, `max k=${k}`);
      for (const n of [1, 2, 3, 4]) {
        const k = 2 ** n;
        const c = countLib(Array(k).fill(w), (g, xs) => argmax(g, xs));
        assert.equal(c.and, (k - 1) * w + (k - 2) * w + k - n - 1, `argmax k=${k}`);
        assert.ok(c.andDepth <= n * (w + 1), `depth k=${k}: ${c.andDepth} exceeds ${n} rounds of compare + mux`);
      }
      // Not a power of two: the index muxes are at most ⌈log2 k⌉ − 1 per match.
      const c10 = countLib(Array(10).fill(w), (g, xs) => argmax(g, xs)).and;
      assert.ok(c10 <= 9 * w + 8 * w + 9 * 3 && c10 >= 9 * w + 8 * w, `argmax k=10: ${c10}`);
    }
  });

  it('refuses an empty list', () => {
    assert.throws(() => countLib([], (g) => maximum(g, [])), RangeError);
  });
});
