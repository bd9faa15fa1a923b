import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { PUBLIC_FIXED_KEY } from './aes.ts';
import { TccrHash } from './tccr.ts';

/** π on one block through its own node:crypto cipher, independent of the batched code. */
function pi(block: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', PUBLIC_FIXED_KEY, null);
  c.setAutoPadding(false);
  return new Uint8Array(c.update(block));
}

function tweakBlock(i: bigint): Uint8Array {
  const out = new Uint8Array(16);
  for (let k = 0; k < 16; k++) out[k] = Number((i >> BigInt(8 * k)) & 0xffn);
  return out;
}

const xor = (a: Uint8Array, b: Uint8Array) => a.map((v, k) => v ^ b[k]!);

/** H(x, i) = π(π(x) ⊕ i) ⊕ π(x), straight from the definition (GKWY20 §7.3). */
function reference(x: Uint8Array, i: bigint): Uint8Array {
  const p = pi(x);
  return xor(pi(xor(p, tweakBlock(i))), p);
}

test('TCCR batch hash equals the TMMO definition block by block, for any tweak grouping', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.constantFrom(1, 2, 4),
      fc.oneof(fc.nat({ max: 1000 }), fc.constant(2 ** 32 - 3), fc.constant(2 ** 52 - 9)),
      fc.infiniteStream(fc.uint8Array({ minLength: 16, maxLength: 16 })),
      (blocks, perTweak, firstTweak, stream) => {
        const input = new Uint8Array(blocks * 16);
        for (let b = 0; b < blocks; b++) input.set(stream.next().value, b * 16);
        const batch = input.slice();
        new TccrHash().hashInPlace(batch, firstTweak, perTweak);
        for (let b = 0; b < blocks; b++) {
          const tweak = BigInt(firstTweak) + BigInt(Math.floor(b / perTweak));
          assert.deepEqual(batch.subarray(b * 16, b * 16 + 16), reference(input.subarray(b * 16, b * 16 + 16), tweak));
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('TCCR hash: batches longer than one pass hash the same as block by block', () => {
  const blocks = 4096 * 2 + 5;
  const input = new Uint8Array(blocks * 16).map((_, k) => (k * 131 + 7) & 0xff);
  const batch = input.slice();
  new TccrHash().hashInPlace(batch, 2 ** 32 - 4100, 2);
  for (const b of [0, 4095, 4096, 8191, 8192, blocks - 1]) {
    const tweak = BigInt(2 ** 32 - 4100) + BigInt(b >> 1);
    assert.deepEqual(batch.subarray(b * 16, b * 16 + 16), reference(input.subarray(b * 16, b * 16 + 16), tweak));
  }
});

test('TCCR hash rejects bad arguments', () => {
  const h = new TccrHash();
  assert.throws(() => h.hashInPlace(new Uint8Array(15), 0), RangeError);
  assert.throws(() => h.hashInPlace(new Uint8Array(17).subarray(1), 0), /aligned/);
  assert.throws(() => h.hashInPlace(new Uint8Array(16), 0, 3), /power of two/);
  assert.throws(() => h.hashInPlace(new Uint8Array(16), -1), RangeError);
  assert.throws(() => h.hashInPlace(new Uint8Array(32), 2 ** 53 - 1), RangeError);
});
