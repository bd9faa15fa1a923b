/**
 * Classic Yao garbling with free-XOR (Kolesnikov-Schneider 2008), point-and-permute and row
 * reduction (GRR3, Naor-Pinkas-Sumner 1999): three ciphertexts per AND gate, the baseline that
 * half-gates (two) is measured against.
 *
 * Rows are encrypted with the fixed-key dual-key cipher of Bellare, Hoang, Keelveedhi and Rogaway,
 * "Efficient Garbling from a Fixed-Key Blockcipher" (IEEE S&P 2013, §5):
 *     H(A, B, T) = π(K) ⊕ K,  K = 2A ⊕ 4B ⊕ T
 * with doubling in GF(2^128) (x^128 + x^7 + x^2 + x + 1) and T the gate id in words 0-1 and the
 * session's salt in words 2-3 (`core/garbling.ts`). The row of input
 * labels (A, B) sits at position 2·lsb(A) + lsb(B); the output label of row 0 is chosen as that
 * row's hash, so row 0 is all zeros and is not sent.
 */
import type { GarblingScheme } from '../../core/garbling.ts';
import type { FixedKeyAes } from '../../core/crypto/aes.ts';
import { fixedKeyAes } from '../../core/crypto/aes.ts';
import { checkSalt } from '../../core/crypto/tccr.ts';
import { evaluateViews, garbleViews, LABEL_BYTES } from '../../core/gc/labels.ts';

const GATES_PER_PASS = 1024;
const TABLE_BYTES = 3 * LABEL_BYTES;
const TWO_32 = 0x1_0000_0000;

/** dst[d..d+4) = 2·src[s..s+4) in GF(2^128), words little-endian (word 0 least significant). */
export function gfDouble(src: Uint32Array, s: number, dst: Uint32Array, d: number): void {
  const w0 = src[s]!, w1 = src[s + 1]!, w2 = src[s + 2]!, w3 = src[s + 3]!;
  dst[d] = (w0 << 1) ^ (-(w3 >>> 31) & 0x87);
  dst[d + 1] = (w1 << 1) | (w0 >>> 31);
  dst[d + 2] = (w2 << 1) | (w1 >>> 31);
  dst[d + 3] = (w3 << 1) | (w2 >>> 31);
}

/**
 * t[0..4) = K = 2A ⊕ 4B ⊕ T for the labels A, B at word `i` and the tweak T = gate id `id` with the
 * salt words `s2`, `s3` (t[4..8) is scratch).
 */
function rowKey(A: Uint32Array, B: Uint32Array, i: number, id: number, s2: number, s3: number, t: Uint32Array): void {
  gfDouble(A, i, t, 0);
  gfDouble(B, i, t, 4);
  gfDouble(t, 4, t, 4);
  t[0]! ^= t[4]! ^ (id | 0);
  t[1]! ^= t[5]! ^ (Math.floor(id / TWO_32) | 0);
  t[2]! ^= t[6]! ^ s2;
  t[3]! ^= t[7]! ^ s3;
}

export class ClassicGarbling implements GarblingScheme {
  readonly name = 'classic';
  readonly tableBytesPerAnd = TABLE_BYTES;
  readonly #aes: FixedKeyAes = fixedKeyAes();
  /** The salt's low and high words. */
  readonly #s2: number;
  readonly #s3: number;
  readonly #k = new Uint8Array(GATES_PER_PASS * 4 * LABEL_BYTES);
  readonly #kw = new Uint32Array(this.#k.buffer);
  readonly #p = new Uint8Array(GATES_PER_PASS * 4 * LABEL_BYTES);
  readonly #pw = new Uint32Array(this.#p.buffer);
  /** K of the gate in hand, scratch, 2Δ, 4Δ. */
  readonly #t = new Uint32Array(16);

  constructor(readonly salt = 0n) {
    checkSalt(salt, 'classic garbling');
    this.#s2 = Number(BigInt.asUintN(32, salt));
    this.#s3 = Number(BigInt.asUintN(32, salt >> 32n));
  }

  withSalt(salt: bigint): ClassicGarbling {
    return new ClassicGarbling(salt);
  }

  garbleAnd(a0: Uint8Array, b0: Uint8Array, delta: Uint8Array, firstGateId: number, outZero: Uint8Array, tables: Uint8Array): void {
    const { count, D, A, B, O, T: E } = garbleViews(a0, b0, delta, firstGateId, outZero, tables, TABLE_BYTES);
    const K = this.#kw;
    const P = this.#pw;
    const t = this.#t;
    gfDouble(D, 0, t, 8);
    gfDouble(t, 8, t, 12);
    for (let start = 0; start < count; start += GATES_PER_PASS) {
      const n = Math.min(GATES_PER_PASS, count - start);
      for (let g = 0, i = start << 2, k = 0; g < n; g++, i += 4, k += 16) {
        rowKey(A, B, i, firstGateId + start + g, this.#s2, this.#s3, t);
        const pa = A[i]! & 1;
        const pb = B[i]! & 1;
        // Row r holds the labels (A_{pa⊕(r>>1)}, B_{pb⊕(r&1)}); K is linear in them.
        for (let r = 0; r < 4; r++) {
          const mi = -(pa ^ (r >> 1));
          const mj = -(pb ^ (r & 1));
          for (let w = 0; w < 4; w++) K[k + 4 * r + w] = t[w]! ^ (mi & t[8 + w]!) ^ (mj & t[12 + w]!);
        }
      }
      this.#aes.encryptBlocks(this.#k.subarray(0, n * 4 * LABEL_BYTES), this.#p);
      for (let g = 0, i = start << 2, e = start * 12, k = 0; g < n; g++, i += 4, e += 12, k += 16) {
        const pa = A[i]! & 1;
        const pb = B[i]! & 1;
        // Output zero-label: row 0 decrypts to its own hash, which encodes pa ∧ pb.
        const m0 = -(pa & pb);
        for (let w = 0; w < 4; w++) O[i + w] = K[k + w]! ^ P[k + w]! ^ (m0 & D[w]!);
        for (let r = 1; r < 4; r++) {
          // E_r = H_r ⊕ C_v with v = (pa⊕(r>>1)) ∧ (pb⊕(r&1)) the row's output bit.
          const mv = -((pa ^ (r >> 1)) & (pb ^ (r & 1)));
          const o = k + 4 * r;
          const q = e + 4 * (r - 1);
          for (let w = 0; w < 4; w++) E[q + w] = K[o + w]! ^ P[o + w]! ^ O[i + w]! ^ (mv & D[w]!);
        }
      }
    }
  }

  evaluateAnd(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void {
    const { count, A, B, T: E, O } = evaluateViews(a, b, firstGateId, tables, out, TABLE_BYTES);
    const K = this.#kw;
    const P = this.#pw;
    const t = this.#t;
    const perPass = GATES_PER_PASS * 4;
    for (let start = 0; start < count; start += perPass) {
      const n = Math.min(perPass, count - start);
      for (let g = 0, i = start << 2, k = 0; g < n; g++, i += 4, k += 4) {
        rowKey(A, B, i, firstGateId + start + g, this.#s2, this.#s3, t);
        K.set(t.subarray(0, 4), k);
      }
      this.#aes.encryptBlocks(this.#k.subarray(0, n * LABEL_BYTES), this.#p);
      for (let g = 0, i = start << 2, e = start * 12, k = 0; g < n; g++, i += 4, e += 12, k += 4) {
        const r = ((A[i]! & 1) << 1) | (B[i]! & 1);
        // Row 0 is implicit (all zeros); rows 1..3 are the three table entries.
        const q = r === 0 ? e : e + 4 * (r - 1);
        const m = -(r !== 0 ? 1 : 0);
        for (let w = 0; w < 4; w++) O[i + w] = K[k + w]! ^ P[k + w]! ^ (m & E[q + w]!);
      }
    }
  }
}
