import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addMod, checkModulus, mulMod, reduceMod, subMod } from './modp.ts';

const modulusAndPair = fc
  .integer({ min: 2, max: 2 ** 32 - 1 })
  .chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 0, max: p - 1 }), fc.integer({ min: 0, max: p - 1 })));

test('mulMod, addMod, subMod agree with BigInt arithmetic for every modulus below 2^32', () => {
  fc.assert(
    fc.property(modulusAndPair, ([p, a, b]) => {
      const P = BigInt(p);
      assert.equal(mulMod(a, b, p), Number((BigInt(a) * BigInt(b)) % P));
      assert.equal(addMod(a, b, p), Number((BigInt(a) + BigInt(b)) % P));
      assert.equal(subMod(a, b, p), Number((((BigInt(a) - BigInt(b)) % P) + P) % P));
    }),
    { numRuns: 2000 },
  );
});

test('mulMod at the extremes: (p−1)² mod p = 1', () => {
  for (const p of [2, 3, 65537, 557057, 4294967291]) assert.equal(mulMod(p - 1, p - 1, p), 1);
});

test('reduceMod maps any safe integer to its residue in [0, p)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 2 ** 32 - 1 }), fc.integer(), (p, v) => {
      const r = reduceMod(v, p);
      assert.ok(r >= 0 && r < p);
      assert.equal(BigInt(r), ((BigInt(v) % BigInt(p)) + BigInt(p)) % BigInt(p));
    }),
  );
});

test('checkModulus rejects non-integers and moduli outside [2, 2^32)', () => {
  for (const bad of [0, 1, 2.5, 2 ** 32, -7, Number.NaN]) assert.throws(() => checkModulus(bad), RangeError);
  checkModulus(2);
  checkModulus(2 ** 32 - 1);
});
