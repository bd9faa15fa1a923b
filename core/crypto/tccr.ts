/**
 * Tweakable circular correlation-robust hash from a fixed-key permutation π: the TMMO construction
 * of Guo, Katz, Wang and Yu, "Efficient and Secure Multiparty Computation from Fixed-Key Block
 * Ciphers" (IEEE S&P 2020, §7.3), proven TCCR in the random-permutation model:
 *
 *     H(x, i) = π(π(x) ⊕ i) ⊕ π(x)
 *
 * Two AES blocks per hash, computed over whole batches (one `encryptBlocks` pass each), which is
 * what half-gates garbling needs (Zahur-Rosulek-Evans 2015 §3 assumes exactly a TCCR hash).
 * The tweak i is a non-negative integer below 2^53 encoded as a 128-bit little-endian integer.
 */
import { BLOCK_BYTES } from '../bytes.ts';
import { fixedKeyAes, type FixedKeyAes } from './aes.ts';

/** Blocks per pass: big enough to amortise the AES call, small enough to stay in L2. */
const CHUNK_BLOCKS = 4096;
const TWO_32 = 0x1_0000_0000;

export class TccrHash {
  readonly #aes: FixedKeyAes;
  readonly #p = new Uint8Array(CHUNK_BLOCKS * BLOCK_BYTES);
  readonly #p32 = new Int32Array(this.#p.buffer);

  constructor(aes: FixedKeyAes = fixedKeyAes()) {
    this.#aes = aes;
  }

  /**
   * Replace every block of `x` by its hash; block b is hashed with tweak
   * `firstTweak + floor(b / blocksPerTweak)` (e.g. 2 for the two labels A, A ⊕ Δ of one wire).
   * `blocksPerTweak` is a power of two up to 4096; `x` must be 4-byte aligned.
   */
  hashInPlace(x: Uint8Array, firstTweak: number, blocksPerTweak = 1): void {
    if (x.length % BLOCK_BYTES !== 0) throw new RangeError(`TccrHash: ${x.length} bytes is not a whole number of blocks`);
    if ((x.byteOffset & 3) !== 0) throw new RangeError('TccrHash: input must be 4-byte aligned');
    const shift = Math.log2(blocksPerTweak);
    if (!Number.isInteger(shift) || blocksPerTweak > CHUNK_BLOCKS) {
      throw new RangeError(`TccrHash: blocksPerTweak must be a power of two up to ${CHUNK_BLOCKS}, got ${blocksPerTweak}`);
    }
    const blocks = x.length / BLOCK_BYTES;
    const groups = Math.ceil(blocks / blocksPerTweak);
    if (!Number.isSafeInteger(firstTweak) || firstTweak < 0 || firstTweak > Number.MAX_SAFE_INTEGER - groups + 1) {
      throw new RangeError(`TccrHash: tweaks must be integers in [0, 2^53), got ${groups} from ${firstTweak}`);
    }
    const P = this.#p32;
    let tweak = firstTweak;
    for (let start = 0; start < blocks; ) {
      // A chunk is whole tweak groups and never crosses a multiple of 2^32 tweaks, so that the
      // tweak's high word is constant in it and its low word is int32 arithmetic.
      const untilCarry = (TWO_32 - (tweak % TWO_32)) * blocksPerTweak;
      const n = Math.min(CHUNK_BLOCKS, blocks - start, untilCarry);
      const lo = tweak | 0;
      const hi = Math.floor(tweak / TWO_32) | 0;
      const xs = x.subarray(start * BLOCK_BYTES, (start + n) * BLOCK_BYTES);
      const X = new Int32Array(xs.buffer, xs.byteOffset, n << 2);
      this.#aes.encryptBlocks(xs, this.#p);
      for (let b = 0, w = 0; b < n; b++, w += 4) {
        X[w] = P[w]! ^ ((lo + (b >>> shift)) | 0);
        X[w + 1] = P[w + 1]! ^ hi;
        X[w + 2] = P[w + 2]!;
        X[w + 3] = P[w + 3]!;
      }
      this.#aes.encryptBlocks(xs);
      for (let w = 0, end = n << 2; w < end; w += 4) {
        X[w] ^= P[w]!;
        X[w + 1] ^= P[w + 1]!;
        X[w + 2] ^= P[w + 2]!;
        X[w + 3] ^= P[w + 3]!;
      }
      start += n;
      tweak += n >>> shift;
    }
  }
}
