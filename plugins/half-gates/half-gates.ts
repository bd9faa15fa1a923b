/**
 * Half-gates garbling (Zahur, Rosulek, Evans, "Two Halves Make a Whole", Eurocrypt 2015, Fig. 2):
 * free-XOR, point-and-permute, two ciphertexts per AND gate. The hash is the TMMO tweakable
 * circular correlation-robust hash of `core/crypto/tccr.ts`; gate g uses tweaks 2g (garbler half,
 * hashing labels of wire a) and 2g + 1 (evaluator half, wire b).
 *
 * Batches: a pass of gates gathers its input labels (and, garbling, the one-labels) into one flat
 * buffer hashed by one `TccrHash.stages` call (two fixed-key AES calls whose outputs are used in
 * place), and the per-gate work is 64-bit word arithmetic on `BigInt64Array` views, with the
 * hash's last XOR fused into it. No allocation per gate.
 */
import type { GarblingScheme } from '../../core/garbling.ts';
import { TCCR_STAGE_BLOCKS, TccrHash } from '../../core/crypto/tccr.ts';
import { evaluateViews, garbleViews, int64sOf, LABEL_BYTES } from '../../core/gc/labels.ts';

const TABLE_BYTES = 2 * LABEL_BYTES;
/** Gates per garbling pass: its 4 labels a gate fill one `stages` call (one 64 KiB AES call, in L2). */
const GARBLE_PASS = TCCR_STAGE_BLOCKS / 4;
/** Gates per evaluation pass: 2 labels a gate. */
const EVALUATE_PASS = TCCR_STAGE_BLOCKS / 2;

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

/** The permute bit of a label whose low word is `word`, as an all-ones/zero 64-bit mask. */
function permuteMask(word: bigint): bigint {
  return BigInt.asIntN(64, -(word & 1n));
}

/**
 * The per-gate loops work on 64-bit words (2 a label); results go straight into the caller's
 * arrays when they are 8-byte aligned (the label backends' always are), else into scratch buffers
 * of their own, copied out once per pass. The hash input of a pass, `x`, holds gate j's
 * labels of wire a then wire b side by side (blocks 2j, 2j + 1), so that with tweak 2g + b for
 * block b, wire a gets tweak 2g and wire b tweak 2g + 1, as the scheme wants. The garbler's pass
 * holds the zero-labels, then (from block 2n) the one-labels, with the same tweaks again
 * (`stages` period 2n).
 */
export class HalfGates implements GarblingScheme {
  readonly name = 'half-gates';
  readonly tableBytesPerAnd = TABLE_BYTES;
  readonly #hash = new TccrHash();
  readonly #x = scratch(4 * GARBLE_PASS);
  readonly #tables = scratch(2 * EVALUATE_PASS);
  readonly #out = scratch(EVALUATE_PASS);

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

  evaluateAnd(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void {
    const { count } = evaluateViews(a, b, firstGateId, tables, out, TABLE_BYTES);
    const A = int64sOf(a), B = int64sOf(b), T = int64sOf(tables);
    const direct = alignedWords(out);
    const X = this.#x.words, O = direct ?? this.#out.words;
    for (let start = 0; start < count; start += EVALUATE_PASS) {
      const n = Math.min(EVALUATE_PASS, count - start);
      for (let w = 0, i = start << 1; w < n << 2; w += 4, i += 2) {
        X[w] = A[i]!; X[w + 1] = A[i + 1]!; X[w + 2] = B[i]!; X[w + 3] = B[i + 1]!;
      }
      const [p, q] = this.#hash.stages(this.#x.bytes.subarray(0, n * 2 * LABEL_BYTES), 2 * (firstGateId + start));
      const P = wordsOfStage(p), Q = wordsOfStage(q);
      for (let w = 0, t = start << 2, o = direct ? start << 1 : 0; w < n << 2; w += 4, t += 4, o += 2) {
        const sa = permuteMask(X[w]!);
        const sb = permuteMask(X[w + 2]!);
        // W_G = H(A) ⊕ sa·T_G, W_E = H(B) ⊕ sb·(T_E ⊕ A) with H = Q ⊕ P ⊕ tweak; output W_G ⊕ W_E
        // (the tweaks 2g, 2g + 1 of H(A), H(B) leave 1 in the low word).
        O[o] = Q[w]! ^ P[w]! ^ (sa & T[t]!) ^ Q[w + 2]! ^ P[w + 2]! ^ (sb & (T[t + 2]! ^ X[w]!)) ^ 1n;
        O[o + 1] = Q[w + 1]! ^ P[w + 1]! ^ (sa & T[t + 1]!) ^ Q[w + 3]! ^ P[w + 3]! ^ (sb & (T[t + 3]! ^ X[w + 1]!));
      }
      if (!direct) out.set(this.#out.bytes.subarray(0, n * LABEL_BYTES), start * LABEL_BYTES);
    }
  }
}
