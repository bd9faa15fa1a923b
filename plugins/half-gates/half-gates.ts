/**
 * Half-gates garbling (Zahur, Rosulek, Evans, "Two Halves Make a Whole", Eurocrypt 2015, Fig. 2):
 * free-XOR, point-and-permute, two ciphertexts per AND gate. The hash is the TMMO tweakable
 * circular correlation-robust hash of `core/crypto/tccr.ts`; gate g uses tweaks 2g (garbler half,
 * hashing labels of wire a) and 2g + 1 (evaluator half, wire b).
 *
 * Batches: a pass of gates gathers its input labels (and, garbling, the one-labels) into one flat
 * buffer hashed by one `TccrHash.stages` call (two fixed-key AES calls whose outputs are used in
 * place), and the per-gate work is word arithmetic on typed-array views, with the hash's last XOR
 * fused into it. No allocation per gate.
 */
import type { GarblingScheme } from '../../core/garbling.ts';
import { TCCR_STAGE_BLOCKS, TccrHash } from '../../core/crypto/tccr.ts';
import { evaluateViews, garbleViews, LABEL_BYTES } from '../../core/gc/labels.ts';

const TABLE_BYTES = 2 * LABEL_BYTES;
/** Gates per garbling pass: its 4 labels a gate fill one `stages` call (one 64 KiB AES call, in L2). */
const GARBLE_PASS = TCCR_STAGE_BLOCKS / 4;
/** Gates per evaluation pass: 2 labels a gate. */
const EVALUATE_PASS = TCCR_STAGE_BLOCKS / 2;

/**
 * The hash input of a pass, words of blocks: gate j's labels of wire a then wire b side by side
 * (blocks 2j, 2j + 1), so that with tweak 2g + b for block b, wire a gets tweak 2g and wire b
 * tweak 2g + 1, as the scheme wants. The garbler's pass holds the zero-labels, then (from block
 * 2n) the one-labels, with the same tweaks again (`stages` period 2n).
 */
function passInput(gates: number): { bytes: Uint8Array; words: Int32Array } {
  const bytes = new Uint8Array(gates * 2 * 2 * LABEL_BYTES);
  return { bytes, words: new Int32Array(bytes.buffer) };
}

export class HalfGates implements GarblingScheme {
  readonly name = 'half-gates';
  readonly tableBytesPerAnd = TABLE_BYTES;
  readonly #hash = new TccrHash();
  readonly #x = passInput(GARBLE_PASS);

  garbleAnd(a0: Uint8Array, b0: Uint8Array, delta: Uint8Array, firstGateId: number, outZero: Uint8Array, tables: Uint8Array): void {
    const { count, D, A, B, O, T } = garbleViews(a0, b0, delta, firstGateId, outZero, tables, TABLE_BYTES);
    const X = this.#x.words;
    const d0 = D[0]! | 0, d1 = D[1]! | 0, d2 = D[2]! | 0, d3 = D[3]! | 0;
    for (let start = 0; start < count; start += GARBLE_PASS) {
      const n = Math.min(GARBLE_PASS, count - start);
      const one = n << 3; // word offset of the one-labels
      for (let w = 0, i = start << 2; w < n << 3; w += 8, i += 4) {
        const a_0 = A[i]! | 0, a_1 = A[i + 1]! | 0, a_2 = A[i + 2]! | 0, a_3 = A[i + 3]! | 0;
        const b_0 = B[i]! | 0, b_1 = B[i + 1]! | 0, b_2 = B[i + 2]! | 0, b_3 = B[i + 3]! | 0;
        X[w] = a_0; X[w + 1] = a_1; X[w + 2] = a_2; X[w + 3] = a_3;
        X[w + 4] = b_0; X[w + 5] = b_1; X[w + 6] = b_2; X[w + 7] = b_3;
        X[one + w] = a_0 ^ d0; X[one + w + 1] = a_1 ^ d1; X[one + w + 2] = a_2 ^ d2; X[one + w + 3] = a_3 ^ d3;
        X[one + w + 4] = b_0 ^ d0; X[one + w + 5] = b_1 ^ d1; X[one + w + 6] = b_2 ^ d2; X[one + w + 7] = b_3 ^ d3;
      }
      // H = Q ⊕ P ⊕ tweak (TccrHash.stages).
      const [P, Q] = this.#hash.stages(this.#x.bytes.subarray(0, n * 4 * LABEL_BYTES), 2 * (firstGateId + start), 1, 2 * n);
      for (let g = 0, w = 0, i = start << 2, t = start << 3; g < n; g++, w += 8, i += 4, t += 8) {
        // pa, pb: permute bits of the zero-labels, as all-ones/zero masks.
        const pa = -(X[w]! & 1);
        const pb = -(X[w + 4]! & 1);
        // Garbler half: T_G = H(A0) ⊕ H(A1) ⊕ pb·Δ, W_G = H(A0) ⊕ pa·T_G.
        // Evaluator half: T_E = H(B0) ⊕ H(B1) ⊕ A0, W_E = H(B0) ⊕ pb·(T_E ⊕ A0) = H(B_pb).
        // Output zero-label C0 = W_G ⊕ W_E. The tweaks cancel in H(A0) ⊕ H(A1) and H(B0) ⊕ H(B1);
        // in H(A·) ⊕ H(B·) they leave 2g ⊕ (2g + 1) = 1 in word 0. Unrolled over 4 words.
        let ha = Q[w]! ^ P[w]!;
        let hb = Q[w + 4]! ^ P[w + 4]!;
        let h = ha ^ Q[one + w]! ^ P[one + w]! ^ (pb & d0);
        let e = hb ^ Q[one + w + 4]! ^ P[one + w + 4]!;
        T[t] = h; T[t + 4] = e ^ X[w]!; O[i] = ha ^ (pa & h) ^ hb ^ (pb & e) ^ 1;
        ha = Q[w + 1]! ^ P[w + 1]!;
        hb = Q[w + 5]! ^ P[w + 5]!;
        h = ha ^ Q[one + w + 1]! ^ P[one + w + 1]! ^ (pb & d1);
        e = hb ^ Q[one + w + 5]! ^ P[one + w + 5]!;
        T[t + 1] = h; T[t + 5] = e ^ X[w + 1]!; O[i + 1] = ha ^ (pa & h) ^ hb ^ (pb & e);
        ha = Q[w + 2]! ^ P[w + 2]!;
        hb = Q[w + 6]! ^ P[w + 6]!;
        h = ha ^ Q[one + w + 2]! ^ P[one + w + 2]! ^ (pb & d2);
        e = hb ^ Q[one + w + 6]! ^ P[one + w + 6]!;
        T[t + 2] = h; T[t + 6] = e ^ X[w + 2]!; O[i + 2] = ha ^ (pa & h) ^ hb ^ (pb & e);
        ha = Q[w + 3]! ^ P[w + 3]!;
        hb = Q[w + 7]! ^ P[w + 7]!;
        h = ha ^ Q[one + w + 3]! ^ P[one + w + 3]! ^ (pb & d3);
        e = hb ^ Q[one + w + 7]! ^ P[one + w + 7]!;
        T[t + 3] = h; T[t + 7] = e ^ X[w + 3]!; O[i + 3] = ha ^ (pa & h) ^ hb ^ (pb & e);
      }
    }
  }

  evaluateAnd(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void {
    const { count, A, B, T, O } = evaluateViews(a, b, firstGateId, tables, out, TABLE_BYTES);
    const X = this.#x.words;
    for (let start = 0; start < count; start += EVALUATE_PASS) {
      const n = Math.min(EVALUATE_PASS, count - start);
      for (let w = 0, i = start << 2; w < n << 3; w += 8, i += 4) {
        X[w] = A[i]!; X[w + 1] = A[i + 1]!; X[w + 2] = A[i + 2]!; X[w + 3] = A[i + 3]!;
        X[w + 4] = B[i]!; X[w + 5] = B[i + 1]!; X[w + 6] = B[i + 2]!; X[w + 7] = B[i + 3]!;
      }
      const [P, Q] = this.#hash.stages(this.#x.bytes.subarray(0, n * 2 * LABEL_BYTES), 2 * (firstGateId + start));
      for (let g = 0, w = 0, i = start << 2, t = start << 3; g < n; g++, w += 8, i += 4, t += 8) {
        const sa = -(X[w]! & 1);
        const sb = -(X[w + 4]! & 1);
        // W_G = H(A) ⊕ sa·T_G, W_E = H(B) ⊕ sb·(T_E ⊕ A) with H = Q ⊕ P ⊕ tweak; output W_G ⊕ W_E
        // (the tweaks 2g, 2g + 1 of H(A), H(B) leave 1 in word 0).
        O[i] = Q[w]! ^ P[w]! ^ (sa & T[t]!) ^ Q[w + 4]! ^ P[w + 4]! ^ (sb & (T[t + 4]! ^ X[w]!)) ^ 1;
        O[i + 1] = Q[w + 1]! ^ P[w + 1]! ^ (sa & T[t + 1]!) ^ Q[w + 5]! ^ P[w + 5]! ^ (sb & (T[t + 5]! ^ X[w + 1]!));
        O[i + 2] = Q[w + 2]! ^ P[w + 2]! ^ (sa & T[t + 2]!) ^ Q[w + 6]! ^ P[w + 6]! ^ (sb & (T[t + 6]! ^ X[w + 2]!));
        O[i + 3] = Q[w + 3]! ^ P[w + 3]! ^ (sa & T[t + 3]!) ^ Q[w + 7]! ^ P[w + 7]! ^ (sb & (T[t + 7]! ^ X[w + 3]!));
      }
    }
  }
}
