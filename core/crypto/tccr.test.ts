import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { FixedKeyAes, PUBLIC_FIXED_KEY } from './aes.ts';
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

const blocksOf = (n: number) => fc.uint8Array({ minLength: 16 * n, maxLength: 16 * n });
const tweaks = fc.oneof(fc.nat({ max: 1000 }), fc.constant(2 ** 32 - 3), fc.constant(2 ** 52 - 9));
/** Salts: 0 (the unsalted hash), the extremes, and any 64-bit value; the tweak is i + 2^64·salt. */
const salts = fc.oneof(fc.constantFrom(0n, 1n, 2n ** 64n - 1n, 2n ** 32n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));

test('TCCR batch hash equals the TMMO definition block by block, for any tweak step and salt', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }).chain(blocksOf), fc.constantFrom(0, 1, 2, 3), tweaks, salts, (input, step, firstTweak, salt) => {
      const out = new Uint8Array(input.length);
      new TccrHash(undefined, salt).hash(input, out, firstTweak, step);
      for (let b = 0; b < input.length / 16; b++) {
        const tweak = BigInt(firstTweak) + BigInt(b * step) + (salt << 64n);
        assert.deepEqual(out.subarray(b * 16, b * 16 + 16), reference(input.subarray(b * 16, b * 16 + 16), tweak));
      }
    }),
    { numRuns: 60 },
  );
});

test('TCCR stages: q ⊕ p ⊕ tweak is the hash, tweaks (with the salt) restarting every period blocks', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }).chain(blocksOf), tweaks, fc.integer({ min: 1, max: 13 }), salts, (input, firstTweak, period, salt) => {
      const [P, Q] = new TccrHash(undefined, salt).stages(input, firstTweak, 2, period);
      const p = new Uint8Array(P.buffer, P.byteOffset, P.byteLength);
      const q = new Uint8Array(Q.buffer, Q.byteOffset, Q.byteLength);
      for (let b = 0; b < input.length / 16; b++) {
        const block = (a: Uint8Array) => a.subarray(b * 16, b * 16 + 16);
        const tweak = BigInt(firstTweak) + BigInt(2 * (b % period)) + (salt << 64n);
        assert.deepEqual(xor(xor(block(q), block(p)), tweakBlock(tweak)), reference(block(input), tweak));
      }
    }),
    { numRuns: 40 },
  );
});

/** π with its outputs moved to a 4- but not 8-byte aligned offset (node:crypto's own are 8-byte aligned). */
class MisalignedAes extends FixedKeyAes {
  override encrypt(input: Uint8Array): Uint8Array {
    const out = super.encrypt(input);
    const moved = new Uint8Array(out.length + 4);
    moved.set(out, 4);
    return moved.subarray(4);
  }
}

test('TCCR salted hash equals the definition when the AES output is only 4-byte aligned (the salt loop without 64-bit words)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }).chain(blocksOf), tweaks, salts, (input, firstTweak, salt) => {
      const out = new Uint8Array(input.length);
      new TccrHash(new MisalignedAes(PUBLIC_FIXED_KEY), salt).hash(input, out, firstTweak, 1);
      for (let b = 0; b < input.length / 16; b++) {
        const tweak = BigInt(firstTweak) + BigInt(b) + (salt << 64n);
        assert.deepEqual(out.subarray(b * 16, b * 16 + 16), reference(input.subarray(b * 16, b * 16 + 16), tweak));
      }
    }),
    { numRuns: 30 },
  );
});

test('TCCR hash: in place, over more than one pass, across the 2^32 tweak carry', () => {
  const blocks = 4096 * 2 + 5;
  const input = new Uint8Array(blocks * 16).map((_, k) => (k * 131 + 7) & 0xff);
  const batch = input.slice();
  new TccrHash().hashInPlace(batch, 2 ** 32 - 4100, 2);
  for (const b of [0, 2049, 2050, 4095, 4096, 8191, 8192, blocks - 1]) {
    const tweak = BigInt(2 ** 32 - 4100) + BigInt(2 * b);
    assert.deepEqual(batch.subarray(b * 16, b * 16 + 16), reference(input.subarray(b * 16, b * 16 + 16), tweak));
  }
});

test('TCCR hash rejects bad arguments', () => {
  const h = new TccrHash();
  const block = () => new Uint8Array(16);
  assert.throws(() => h.hash(new Uint8Array(15), new Uint8Array(15), 0), RangeError);
  assert.throws(() => h.hash(new Uint8Array(17).subarray(1), block(), 0), /aligned/);
  assert.throws(() => h.hash(block(), new Uint8Array(32), 0), /output has/);
  assert.throws(() => h.hash(block(), block(), 0, -1), /tweakStep/);
  assert.throws(() => h.hash(block(), block(), -1), RangeError);
  assert.throws(() => h.hash(new Uint8Array(32), new Uint8Array(32), 2 ** 53 - 1), RangeError);
  assert.throws(() => h.stages(new Uint8Array(16 * 4097), 0), /at most 4096/);
  assert.throws(() => h.stages(block(), 0, 1, 0), /period/);
  assert.throws(() => new TccrHash(undefined, -1n), /salt/);
  assert.throws(() => new TccrHash(undefined, 2n ** 64n), /salt/);
  assert.throws(() => new TccrHash(undefined, 3 as never), /salt/);
});
