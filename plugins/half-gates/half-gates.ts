/**
 * Half-gates garbling (Zahur, Rosulek, Evans, "Two Halves Make a Whole", Eurocrypt 2015, Fig. 2):
 * free-XOR, point-and-permute, two ciphertexts per AND gate. The hash is the TMMO tweakable
 * circular correlation-robust hash of `core/crypto/tccr.ts`; gate g uses tweaks 2g (garbler half,
 * hashing labels of wire a) and 2g + 1 (evaluator half, wire b).
 *
 * Batches: a pass of gates is hashed by `TccrHash.stages` calls (fixed-key AES calls whose outputs
 * are used in place): the evaluator's input labels where they lie, the garbler's four labels a
 * gate gathered into one buffer. The per-gate work is 64-bit word arithmetic on `BigInt64Array`
 * views, with the hash's last XOR fused into it. No allocation per gate.
 *
 * Salt: the session's salt sits in words 2 and 3 of both tweaks of a gate (`TccrHash`). Every value
 * garbling sends or computes XORs an even number of hashes (the two of one wire, or one of each
 * wire), so the salt's copies cancel there like the tweaks' equal low words do: the fused loops
 * need no change, only the hash's stages are salted.
 */
import type { GarblingScheme } from '../../core/garbling.ts';
import { fixedKeyAes } from '../../core/crypto/aes.ts';
import { TCCR_STAGE_BLOCKS, TccrHash } from '../../core/crypto/tccr.ts';
import { evaluateViews, garbleViews, int64sOf, LABEL_BYTES } from '../../core/gc/labels.ts';

const TABLE_BYTES = 2 * LABEL_BYTES;
/** Gates per garbling pass: its 4 labels a gate fill one `stages` call (one 64 KiB AES call, in L2). */
const GARBLE_PASS = TCCR_STAGE_BLOCKS / 4;
/** Gates per evaluation pass: a `stages` call for the labels of each input wire. */
const EVALUATE_PASS = TCCR_STAGE_BLOCKS;

/** A scratch batch of `labels` labels, as bytes and as 64-bit words (2 a label). */
function scratch(labels: number): { bytes: Uint8Array; words: BigInt64Array } {
  const words = new BigInt64Array(labels * 2);
  return { bytes: new Uint8Array(words.buffer), words };
}

/** The 64-bit words of `p`, a fresh AES output of `TccrHash.stages`. */
function wordsOfStage(p: Int32Array): BigInt64Array {
  return int64sOf(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
}

/** `bytes` as 64-bit words when it is 8-byte aligned (a pass then writes there, saving a copy), else undefined. */
function alignedWords(bytes: Uint8Array): BigInt64Array | undefined {
  return (bytes.byteOffset & 7) === 0 ? int64sOf(bytes) : undefined;
}

/** `bytes`, or an 8-byte aligned copy of it (inputs are hashed where they lie and read as 64-bit words). */
function aligned(bytes: Uint8Array): Uint8Array {
  return (bytes.byteOffset & 7) === 0 ? bytes : bytes.slice();
}

/** The permute bit of a label whose low word is `word`, as an all-ones/zero 64-bit mask. */
function permuteMask(word: bigint): bigint {
  return BigInt.asIntN(64, -(word & 1n));
}

/** Gate g hashes wire a's labels with tweak 2g and wire b's with 2g + 1: the [P, Q] stages of a pass's labels of one wire. */
function stagesOf(hash: TccrHash, labels: Uint8Array, start: number, n: number, firstTweak: number): [BigInt64Array, BigInt64Array] {
  const [p, q] = hash.stages(labels.subarray(start * LABEL_BYTES, (start + n) * LABEL_BYTES), firstTweak, 2);
  return [wordsOfStage(p), wordsOfStage(q)];
}

/**
 * The per-gate loops work on 64-bit words (2 a label); results go straight into the caller's
 * arrays when they are 8-byte aligned (the label backends' always are), else into scratch buffers
 * of their own, copied out once per pass. Gate g hashes wire a's labels with tweak 2g and wire b's
 * with 2g + 1. The evaluator hashes its input labels where they lie. The garbler's hash input of a
 * pass, `x`, holds gate j's zero-labels of wires a and b side by side (blocks 2j, 2j + 1), so that
 * consecutive tweaks fit them, then (from block 2n) the one-labels with the same tweaks again
 * (`stages` period 2n): one AES call per stage for all four labels of a gate, which measured faster
 * than hashing the zero-labels in place with three calls.
 */
export class HalfGates implements GarblingScheme {
  readonly name = 'half-gates';
  readonly tableBytesPerAnd = TABLE_BYTES;
  readonly #hash: TccrHash;
  readonly #x = scratch(4 * GARBLE_PASS);
  readonly #tables = scratch(2 * GARBLE_PASS);
  readonly #out = scratch(EVALUATE_PASS);

  constructor(readonly salt = 0n) {
    this.#hash = new TccrHash(fixedKeyAes(), salt);
  }

  withSalt(salt: bigint): HalfGates {
    return new HalfGates(salt);
  }

  garbleAnd(a0: Uint8Array, b0: Uint8Array, delta: Uint8Array, firstGateId: number, outZero: Uint8Array, tables: Uint8Array): void {
    const { count } = garbleViews(a0, b0, delta, firstGateId, outZero, tables, TABLE_BYTES);
    const A = int64sOf(a0), B = int64sOf(b0), D = int64sOf(delta);
    const directT = alignedWords(tables), directO = alignedWords(outZero);
    const X = this.#x.words, T = directT ?? this.#tables.words, O = directO ?? this.#out.words;
    const d0 = D[0]!, d1 = D[1]!;
    for (let start = 0; start < count; start += GARBLE_PASS) {
      const n = Math.min(GARBLE_PASS, count - start);
      const one = n << 2; // word offset of the one-labels
      for (let w = 0, i = start << 1; w < one; w += 4, i += 2) {
        const a_0 = A[i]!, a_1 = A[i + 1]!, b_0 = B[i]!, b_1 = B[i + 1]!;
        X[w] = a_0; X[w + 1] = a_1; X[w + 2] = b_0; X[w + 3] = b_1;
        X[one + w] = a_0 ^ d0; X[one + w + 1] = a_1 ^ d1; X[one + w + 2] = b_0 ^ d0; X[one + w + 3] = b_1 ^ d1;
      }
      // H = Q ⊕ P ⊕ tweak (TccrHash.stages).
      const [p, q] = this.#hash.stages(this.#x.bytes.subarray(0, n * 4 * LABEL_BYTES), 2 * (firstGateId + start), 1, 2 * n);
      const P = wordsOfStage(p), Q = wordsOfStage(q);
      for (let w = 0, t = directT ? start << 2 : 0, o = directO ? start << 1 : 0; w < one; w += 4, t += 4, o += 2) {
        const pa = permuteMask(X[w]!);
        const pb = permuteMask(X[w + 2]!);
        // Garbler half: T_G = H(A0) ⊕ H(A1) ⊕ pb·Δ, W_G = H(A0) ⊕ pa·T_G.
        // Evaluator half: T_E = H(B0) ⊕ H(B1) ⊕ A0, W_E = H(B0) ⊕ pb·(T_E ⊕ A0) = H(B_pb).
        // Output zero-label C0 = W_G ⊕ W_E. The tweaks cancel in H(A0) ⊕ H(A1) and H(B0) ⊕ H(B1);
        // in H(A·) ⊕ H(B·) they leave 2g ⊕ (2g + 1) = 1 in the low word. Unrolled over 2 words.
        let ha = Q[w]! ^ P[w]!;
        let hb = Q[w + 2]! ^ P[w + 2]!;
        let h = ha ^ Q[one + w]! ^ P[one + w]! ^ (pb & d0);
        let e = hb ^ Q[one + w + 2]! ^ P[one + w + 2]!;
        T[t] = h; T[t + 2] = e ^ X[w]!; O[o] = ha ^ (pa & h) ^ hb ^ (pb & e) ^ 1n;
        ha = Q[w + 1]! ^ P[w + 1]!;
        hb = Q[w + 3]! ^ P[w + 3]!;
        h = ha ^ Q[one + w + 1]! ^ P[one + w + 1]! ^ (pb & d1);
        e = hb ^ Q[one + w + 3]! ^ P[one + w + 3]!;
        T[t + 1] = h; T[t + 3] = e ^ X[w + 1]!; O[o + 1] = ha ^ (pa & h) ^ hb ^ (pb & e);
      }
      if (!directT) tables.set(this.#tables.bytes.subarray(0, n * TABLE_BYTES), start * TABLE_BYTES);
      if (!directO) outZero.set(this.#out.bytes.subarray(0, n * LABEL_BYTES), start * LABEL_BYTES);
    }
  }

  evaluateAnd(a0: Uint8Array, b0: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void {
    const { count } = evaluateViews(a0, b0, firstGateId, tables, out, TABLE_BYTES);
    const a = aligned(a0), b = aligned(b0);
    const A = int64sOf(a), B = int64sOf(b), T = int64sOf(tables);
    const direct = alignedWords(out);
    const O = direct ?? this.#out.words;
    for (let start = 0; start < count; start += EVALUATE_PASS) {
      const n = Math.min(EVALUATE_PASS, count - start);
      const tweak = 2 * (firstGateId + start);
      const [PA, QA] = stagesOf(this.#hash, a, start, n, tweak);
      const [PB, QB] = stagesOf(this.#hash, b, start, n, tweak + 1);
      for (let j = 0, i = start << 1, t = start << 2, o = direct ? start << 1 : 0; j < n << 1; j += 2, i += 2, t += 4, o += 2) {
        const sa = permuteMask(A[i]!);
        const sb = permuteMask(B[i]!);
        // W_G = H(A) ⊕ sa·T_G, W_E = H(B) ⊕ sb·(T_E ⊕ A) with H = Q ⊕ P ⊕ tweak; output W_G ⊕ W_E
        // (the tweaks 2g, 2g + 1 of H(A), H(B) leave 1 in the low word).
        O[o] = QA[j]! ^ PA[j]! ^ (sa & T[t]!) ^ QB[j]! ^ PB[j]! ^ (sb & (T[t + 2]! ^ A[i]!)) ^ 1n;
        O[o + 1] = QA[j + 1]! ^ PA[j + 1]! ^ (sa & T[t + 1]!) ^ QB[j + 1]! ^ PB[j + 1]! ^ (sb & (T[t + 3]! ^ A[i + 1]!));
      }
      if (!direct) out.set(this.#out.bytes.subarray(0, n * LABEL_BYTES), start * LABEL_BYTES);
    }
  }
}
