/**
 * Tweakable circular correlation-robust hash from a fixed-key permutation π: the TMMO construction
 * of Guo, Katz, Wang and Yu, "Efficient and Secure Multiparty Computation from Fixed-Key Block
 * Ciphers" (IEEE S&P 2020, §7.3), proven TCCR in the random-permutation model:
 *
 *     H(x, i) = π(π(x) ⊕ i) ⊕ π(x)
 *
 * Two AES blocks per hash, computed over whole batches (one fixed-key AES call each), which is
 * what half-gates garbling needs (Zahur-Rosulek-Evans 2015 §3 assumes exactly a TCCR hash).
 * The tweak is a 128-bit little-endian integer: words 0 and 1 hold i, a non-negative integer
 * below 2^53 (`i | 0`, `(i / 2^32) | 0`); words 2 and 3 hold the hash's 64-bit **salt** s (word 2
 * its low half), fixed per instance: the tweak is i + 2^64·s. A session draws a random salt and
 * numbers its gates and OTs from 0 (issue 11), so that no (tweak, input) pair repeats across
 * sessions either under the one fixed AES key: TCCR security is per tweak, and with a shared
 * unsalted numbering every session would reuse the same tweaks. Salt 0 is the unsalted hash.
 */
import { BLOCK_BYTES } from '../bytes.ts';
import { fixedKeyAes, type FixedKeyAes } from './aes.ts';

/** Most blocks per `stages` call: big enough to amortise the AES call, small enough to stay in L2. */
export const TCCR_STAGE_BLOCKS = 4096;
const TWO_32 = 0x1_0000_0000;
const SALT_LIMIT = 1n << 64n;

/** `salt` checked: a bigint in [0, 2^64). */
export function checkSalt(salt: bigint, what: string): bigint {
  if (typeof salt !== 'bigint' || salt < 0n || salt >= SALT_LIMIT) throw new RangeError(`${what}: the salt must be a bigint in [0, 2^64), got ${String(salt)}`);
  return salt;
}

export class TccrHash {
  readonly #aes: FixedKeyAes;
  /** Words 2 and 3 of every tweak (the salt's low and high halves), as int32. */
  readonly #s2: number;
  readonly #s3: number;
  /** The salt as one signed 64-bit word (words 2 and 3 together), for a `BigInt64Array` view. */
  readonly #salt64: bigint;
  readonly #salted: boolean;

  constructor(
    aes: FixedKeyAes = fixedKeyAes(),
    readonly salt = 0n,
  ) {
    this.#aes = aes;
    checkSalt(salt, 'TccrHash');
    this.#s2 = Number(BigInt.asIntN(32, salt));
    this.#s3 = Number(BigInt.asIntN(32, salt >> 32n));
    this.#salt64 = BigInt.asIntN(64, salt);
    this.#salted = salt !== 0n;
  }

  /**
   * out[b] = H(x[b], firstTweak + b·tweakStep) for every block b (`out` may be `x`). Both arrays
   * must be 4-byte aligned.
   */
  hash(x: Uint8Array, out: Uint8Array, firstTweak: number, tweakStep = 1): void {
    const blocks = checkArguments(x, out, firstTweak, tweakStep);
    for (let start = 0; start < blocks; start += TCCR_STAGE_BLOCKS) {
      const n = Math.min(TCCR_STAGE_BLOCKS, blocks - start);
      const range = [start * BLOCK_BYTES, (start + n) * BLOCK_BYTES] as const;
      const o = out.subarray(...range);
      const tweak = firstTweak + start * tweakStep;
      const [P, Q] = this.stages(x.subarray(...range), tweak, tweakStep);
      const O = new Int32Array(o.buffer, o.byteOffset, n << 2);
      for (let b = 0, w = 0; b < n; b++, w += 4) {
        const t = tweak + b * tweakStep;
        O[w] = Q[w]! ^ P[w]! ^ (t | 0);
        O[w + 1] = Q[w + 1]! ^ P[w + 1]! ^ ((t / TWO_32) | 0);
        O[w + 2] = Q[w + 2]! ^ P[w + 2]! ^ this.#s2;
        O[w + 3] = Q[w + 3]! ^ P[w + 3]! ^ this.#s3;
      }
    }
  }

  /** x[b] = H(x[b], firstTweak + b·tweakStep) for every block b. */
  hashInPlace(x: Uint8Array, firstTweak: number, tweakStep = 1): void {
    this.hash(x, x, firstTweak, tweakStep);
  }

  /**
   * The two permutation passes without the final XOR, for callers that fuse it into their own
   * loop: returns [p, q] with p[b] = π(x[b]) ⊕ i_b and q[b] = π(p[b]), so that
   * H(x[b], i_b) = q[b] ⊕ p[b] ⊕ i_b. The tweaks restart every `period` blocks:
   * i_b = firstTweak + (b mod period)·tweakStep, which lets one call hash several label batches
   * that share their tweaks (the zero- and one-labels of a half-gates wire). At most
   * `TCCR_STAGE_BLOCKS` blocks; p and q are fresh (the AES outputs themselves: no copy).
   * With a salt, i_b includes it (words 2 and 3); a caller that XORs two hashes of one salt sees
   * it cancel, as half-gates does.
   */
  stages(x: Uint8Array, firstTweak: number, tweakStep = 1, period = x.length / BLOCK_BYTES): [Int32Array, Int32Array] {
    const n = checkArguments(x, x, firstTweak, tweakStep);
    if (n > TCCR_STAGE_BLOCKS) throw new RangeError(`TccrHash: stages takes at most ${TCCR_STAGE_BLOCKS} blocks, got ${n}`);
    if (!Number.isSafeInteger(period) || period < 1) throw new RangeError(`TccrHash: period must be a positive integer, got ${period}`);
    const p = this.#aes.encrypt(x);
    const P = int32View(p);
    // p ⊕= tweak, touching only the tweak's words: its low word is int32 arithmetic, its high word
    // is zero below 2^32 (always, in practice) and otherwise computed per block.
    const run = Math.min(period, n) << 2;
    const wide = firstTweak + (Math.min(period, n) - 1) * tweakStep >= TWO_32;
    for (let from = 0; from < n << 2; from += period << 2) {
      const end = Math.min(n << 2, from + run);
      if (!wide) {
        // Int32 arithmetic: below 2^32 the low word is the tweak mod 2^32.
        for (let w = from, t = firstTweak | 0, step = tweakStep | 0; w < end; w += 4, t = (t + step) | 0) P[w]! ^= t;
      } else {
        for (let w = from, t = firstTweak; w < end; w += 4, t += tweakStep) {
          P[w]! ^= t | 0;
          P[w + 1]! ^= (t / TWO_32) | 0;
        }
      }
    }
    // The salt (words 2 and 3, the same in every block): one 64-bit XOR a block through a
    // BigInt64Array view (AES outputs are 8-byte aligned in practice), in a pass of its own, which
    // measured faster than two more 32-bit XORs in the loop above (it costs the half-gates kernel
    // 6-11%, README "Measured figures").
    if (this.#salted) {
      if ((P.byteOffset & 7) === 0) {
        const P64 = new BigInt64Array(P.buffer, P.byteOffset, n << 1);
        const salt = this.#salt64;
        for (let k = 1; k < n << 1; k += 2) P64[k]! ^= salt;
      } else {
        const s2 = this.#s2, s3 = this.#s3;
        for (let w = 0; w < n << 2; w += 4) {
          P[w + 2]! ^= s2;
          P[w + 3]! ^= s3;
        }
      }
    }
    return [P, int32View(this.#aes.encrypt(p))];
  }
}

/** An Int32Array view of fresh AES output (copied first in the unexpected case it is not 4-byte aligned). */
function int32View(bytes: Uint8Array): Int32Array {
  const aligned = (bytes.byteOffset & 3) === 0 ? bytes : bytes.slice();
  return new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
}

/** Validate a batch and its tweaks; returns the block count. */
function checkArguments(x: Uint8Array, out: Uint8Array, firstTweak: number, tweakStep: number): number {
  if (x.length % BLOCK_BYTES !== 0) throw new RangeError(`TccrHash: ${x.length} bytes is not a whole number of blocks`);
  if (out.length !== x.length) throw new RangeError(`TccrHash: output has ${out.length} bytes, input ${x.length}`);
  if ((x.byteOffset & 3) !== 0 || (out.byteOffset & 3) !== 0) throw new RangeError('TccrHash: input and output must be 4-byte aligned');
  const blocks = x.length / BLOCK_BYTES;
  if (!Number.isSafeInteger(tweakStep) || tweakStep < 0) throw new RangeError(`TccrHash: tweakStep must be a non-negative integer, got ${tweakStep}`);
  if (!Number.isSafeInteger(firstTweak) || firstTweak < 0 || (blocks > 0 && firstTweak > Number.MAX_SAFE_INTEGER - (blocks - 1) * tweakStep)) {
    throw new RangeError(`TccrHash: tweaks must be integers in [0, 2^53), got ${blocks} from ${firstTweak} in steps of ${tweakStep}`);
  }
  return blocks;
}
