import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { garblingSchemeContract } from '../../test/gc/garbling-contract.ts';
import { ClassicGarbling, gfDouble } from './classic.ts';

garblingSchemeContract(new ClassicGarbling());

test('GF(2^128) doubling matches multiplication by x modulo x^128 + x^7 + x^2 + x + 1', () => {
  const toBig = (w: Uint32Array) => w.reduce((acc, v, k) => acc | (BigInt(v >>> 0) << BigInt(32 * k)), 0n);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 4, maxLength: 4 }), (ws) => {
      const src = Uint32Array.from(ws);
      const dst = new Uint32Array(4);
      gfDouble(src, 0, dst, 0);
      let expected = toBig(src) << 1n;
      if (expected >> 128n) expected ^= (1n << 128n) | 0x87n;
      assert.equal(toBig(dst), expected);
    }),
  );
});
