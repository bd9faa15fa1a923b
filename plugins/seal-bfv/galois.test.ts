import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { galoisElement, galoisKeyIndex } from './galois.ts';

describe('Galois elements of batching rotations', () => {
  const n = 4096;
  const half = n / 2;
  const step = fc.integer({ min: -(half - 1), max: half - 1 });

  it('compose like rotations: elt(a)·elt(b) ≡ elt(a + b) mod 2n, and k, k − n/2 coincide', () => {
    fc.assert(
      fc.property(step, step, (a, b) => {
        fc.pre(a !== 0 && b !== 0 && (a + b) % half !== 0);
        const sum = ((((a + b) % half) + half) % half) as number;
        assert.equal((galoisElement(a, n) * galoisElement(b, n)) % (2 * n), galoisElement(sum, n));
        if (a > 0) assert.equal(galoisElement(a, n), galoisElement(a - half, n));
      }),
    );
  });

  it('maps the column swap to 2n − 1 and every element to an odd index below n', () => {
    assert.equal(galoisElement(0, n), 2 * n - 1);
    fc.assert(
      fc.property(step, (k) => {
        const e = galoisElement(k, n);
        assert.equal(e % 2, 1);
        assert.ok(galoisKeyIndex(e) >= 0 && galoisKeyIndex(e) < n);
      }),
    );
    assert.throws(() => galoisElement(half, n), RangeError);
    assert.throws(() => galoisElement(0.5, n), RangeError);
  });
});
