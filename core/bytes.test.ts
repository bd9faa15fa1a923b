import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { packBits, unpackBits, wordsOf } from './bytes.ts';

describe('packBits / unpackBits', () => {
  it('round-trip, LSB first, zero padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ max: 1, maxLength: 300 }), fc.nat({ max: 5 }), (bits, extra) => {
        const packed = packBits(bits, ((bits.length + 7) >>> 3) + extra);
        assert.deepEqual(unpackBits(packed, bits.length), bits);
        for (let i = 0; i < bits.length; i++) assert.equal((packed[i >>> 3]! >> (i & 7)) & 1, bits[i]);
        assert.ok(unpackBits(packed, packed.length * 8).subarray(bits.length).every((b) => b === 0));
      }),
    );
  });

  it('refuses bytes other than 0 and 1, and too short outputs', () => {
    assert.throws(() => packBits(Uint8Array.of(0, 1, 2)), TypeError);
    assert.throws(() => packBits(new Uint8Array(9), 1), RangeError);
    assert.throws(() => unpackBits(new Uint8Array(1), 9), RangeError);
  });
});

describe('wordsOf', () => {
  it('views aligned bytes in place and copies unaligned ones', () => {
    const bytes = Uint8Array.of(1, 0, 0, 0, 2, 0, 0, 0, 3);
    const aligned = wordsOf(bytes.subarray(0, 8));
    assert.deepEqual([...aligned], [1, 2]);
    assert.equal(aligned.buffer, bytes.buffer);
    const unaligned = wordsOf(bytes.subarray(1, 9));
    assert.deepEqual([...unaligned], [0x02000000, 0x03000000]);
    assert.throws(() => wordsOf(bytes.subarray(0, 3)), RangeError);
  });
});
