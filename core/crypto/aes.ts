/**
 * Bulk AES on node:crypto. Per-call overhead dominates small calls (~0.6 µs each on this runtime),
 * so callers hand over whole batches: one fixed-key cipher object, fed in chunks.
 */
import { createCipheriv, type Cipher } from 'node:crypto';
import { BLOCK_BYTES } from '../bytes.ts';

/** Blocks per `update` call: big enough to amortise the call, small enough to stay in cache. */
const CHUNK_BLOCKS = 4096;

/**
 * A fixed-key AES-128 permutation π, as used by fixed-key-AES hashes (Bellare et al., S&P 2013;
 * Guo et al., "Better concrete security for half-gates garbling", 2020).
 */
export class FixedKeyAes {
  readonly #cipher: Cipher;

  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new RangeError(`FixedKeyAes: key must be 16 bytes, got ${key.length}`);
    this.#cipher = createCipheriv('aes-128-ecb', key, null);
    this.#cipher.setAutoPadding(false);
  }

  /**
   * π of every block of `input`, as a fresh array: the cipher's own output, so no copy is made
   * (node:crypto has no encrypt-into-buffer call). One call, so keep `input` cache-sized.
   */
  encrypt(input: Uint8Array): Uint8Array {
    if (input.length % BLOCK_BYTES !== 0) throw new RangeError(`FixedKeyAes: ${input.length} bytes is not a whole number of blocks`);
    return this.#cipher.update(input);
  }

  /** out[i] = π(input[i]) for every 16-byte block; input and out may be the same array. */
  encryptBlocks(input: Uint8Array, out: Uint8Array = input): Uint8Array {
    if (input.length % BLOCK_BYTES !== 0) throw new RangeError(`FixedKeyAes: ${input.length} bytes is not a whole number of blocks`);
    if (out.length < input.length) throw new RangeError('FixedKeyAes: output shorter than input');
    const chunk = CHUNK_BLOCKS * BLOCK_BYTES;
    for (let off = 0; off < input.length; off += chunk) {
      const end = Math.min(off + chunk, input.length);
      const enc = this.#cipher.update(input.subarray(off, end));
      out.set(enc, off);
    }
    return out;
  }
}

/** The public fixed key shared by every fixed-key-AES hash in the project (any public constant works). */
export const PUBLIC_FIXED_KEY = new Uint8Array([
  0x61, 0x7a, 0x65, 0x6c, 0x6c, 0x65, 0x2d, 0x66, 0x69, 0x78, 0x65, 0x64, 0x2d, 0x6b, 0x65, 0x79,
]);

let shared: FixedKeyAes | undefined;
/** The process-wide fixed-key permutation (stateless in ECB mode, so one object serves every caller). */
export function fixedKeyAes(): FixedKeyAes {
  shared ??= new FixedKeyAes(PUBLIC_FIXED_KEY);
  return shared;
}

/** A PRG: AES-128-CTR keyed by a 16-byte seed, streaming. */
export class AesCtrPrg {
  readonly #cipher: Cipher;

  constructor(seed: Uint8Array, nonce: Uint8Array = new Uint8Array(16)) {
    if (seed.length !== 16) throw new RangeError(`AesCtrPrg: seed must be 16 bytes, got ${seed.length}`);
    if (nonce.length !== 16) throw new RangeError(`AesCtrPrg: nonce must be 16 bytes, got ${nonce.length}`);
    this.#cipher = createCipheriv('aes-128-ctr', seed, nonce);
  }

  /** The next `length` bytes of the stream (encryption of zeros). */
  next(length: number): Uint8Array {
    return new Uint8Array(this.#cipher.update(new Uint8Array(length)));
  }

  /** XOR the next `data.length` stream bytes into `data`. */
  xorInto(data: Uint8Array): Uint8Array {
    data.set(this.#cipher.update(data));
    return data;
  }
}
