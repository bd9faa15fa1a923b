/**
 * Half-gates garbling (Zahur, Rosulek, Evans, "Two Halves Make a Whole", Eurocrypt 2015, Fig. 2):
 * free-XOR, point-and-permute, two ciphertexts per AND gate. The hash is the TMMO tweakable
 * circular correlation-robust hash of `core/crypto/tccr.ts`; gate g uses tweaks 2g (garbler half,
 * hashing labels of wire a) and 2g + 1 (evaluator half, wire b).
 *
 * Batches: the labels of a pass of gates are hashed in fixed-key AES passes over flat buffers (the
 * input labels are hashed where they lie), and the per-gate work is word arithmetic on typed-array
 * views, with the hash's last XOR fused into it. No allocation per gate.
 */
import type { GarblingScheme } from '../../core/garbling.ts';
import { TccrHash } from '../../core/crypto/tccr.ts';
import { evaluateViews, garbleViews, LABEL_BYTES } from '../../core/gc/labels.ts';

/** Gates per pass: the pass's hash buffers (10 of 16 KiB when garbling) stay in L2. */
const GATES_PER_PASS = 1024;
const TABLE_BYTES = 2 * LABEL_BYTES;

/** `count` label buffers of one pass, as bytes (for the hash) and words (for the gate loop). */
function passBuffers(count: number): { bytes: Uint8Array[]; words: Int32Array[] } {
  const bytes = Array.from({ length: count }, () => new Uint8Array(GATES_PER_PASS * LABEL_BYTES));
  return { bytes, words: bytes.map((b) => new Int32Array(b.buffer)) };
}

type Ten<T> = [T, T, T, T, T, T, T, T, T, T];

/** Bytes of `words` (the aligned copy `wordsOf` made, or the original). */
function bytesOf(words: Uint32Array): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
}

export class HalfGates implements GarblingScheme {
  readonly name = 'half-gates';
  readonly tableBytesPerAnd = TABLE_BYTES;
  readonly #hash = new TccrHash();
  // Garbling: A0 ⊕ Δ, B0 ⊕ Δ, then p and π(p) of A0, A1, B0, B1 (see TccrHash.stages).
  readonly #g = passBuffers(10);
  // Evaluating: p and π(p) of A and B.
  readonly #e = passBuffers(4);

  garbleAnd(a0: Uint8Array, b0: Uint8Array, delta: Uint8Array, firstGateId: number, outZero: Uint8Array, tables: Uint8Array): void {
    const { count, D, A, B, O, T } = garbleViews(a0, b0, delta, firstGateId, outZero, tables, TABLE_BYTES);
    const [a1, b1, pa0, pa1, pb0, pb1, xa0, xa1, xb0, xb1] = this.#g.bytes as Ten<Uint8Array>;
    const [A1, B1, PA0, PA1, PB0, PB1, XA0, XA1, XB0, XB1] = this.#g.words as Ten<Int32Array>;
    const d0 = D[0]!, d1 = D[1]!, d2 = D[2]!, d3 = D[3]!;
    for (let start = 0; start < count; start += GATES_PER_PASS) {
      const n = Math.min(GATES_PER_PASS, count - start);
      const len = n * LABEL_BYTES;
      for (let w = 0, i = start << 2; w < n << 2; w += 4, i += 4) {
        A1[w] = A[i]! ^ d0; A1[w + 1] = A[i + 1]! ^ d1; A1[w + 2] = A[i + 2]! ^ d2; A1[w + 3] = A[i + 3]! ^ d3;
        B1[w] = B[i]! ^ d0; B1[w + 1] = B[i + 1]! ^ d1; B1[w + 2] = B[i + 2]! ^ d2; B1[w + 3] = B[i + 3]! ^ d3;
      }
      // H = X ⊕ P ⊕ tweak with tweaks 2g for A0, A1 and 2g + 1 for B0, B1.
      const tweak = 2 * (firstGateId + start);
      const a0s = bytesOf(A).subarray(start * LABEL_BYTES, start * LABEL_BYTES + len);
      const b0s = bytesOf(B).subarray(start * LABEL_BYTES, start * LABEL_BYTES + len);
      this.#hash.stages(a0s, pa0.subarray(0, len), xa0.subarray(0, len), tweak, 2);
      this.#hash.stages(a1.subarray(0, len), pa1.subarray(0, len), xa1.subarray(0, len), tweak, 2);
      this.#hash.stages(b0s, pb0.subarray(0, len), xb0.subarray(0, len), tweak + 1, 2);
      this.#hash.stages(b1.subarray(0, len), pb1.subarray(0, len), xb1.subarray(0, len), tweak + 1, 2);
      for (let g = 0, w = 0, i = start << 2, t = start << 3; g < n; g++, w += 4, i += 4, t += 8) {
        // pa, pb: permute bits of the zero-labels, as all-ones/zero masks.
        const pa = -(A[i]! & 1);
        const pb = -(B[i]! & 1);
        // Garbler half: T_G = H(A0) ⊕ H(A1) ⊕ pb·Δ, W_G = H(A0) ⊕ pa·T_G.
        // Evaluator half: T_E = H(B0) ⊕ H(B1) ⊕ A0, W_E = H(B0) ⊕ pb·(T_E ⊕ A0) = H(B_pb).
        // Output zero-label C0 = W_G ⊕ W_E. The tweaks cancel in H(A0) ⊕ H(A1) and H(B0) ⊕ H(B1);
        // in H(A·) ⊕ H(B·) they leave 2g ⊕ (2g + 1) = 1 in word 0. Unrolled over 4 words.
        let ha = XA0[w]! ^ PA0[w]!;
        let hb = XB0[w]! ^ PB0[w]!;
        let h = ha ^ XA1[w]! ^ PA1[w]! ^ (pb & d0);
        let e = hb ^ XB1[w]! ^ PB1[w]!;
        T[t] = h; T[t + 4] = e ^ A[i]!; O[i] = ha ^ (pa & h) ^ hb ^ (pb & e) ^ 1;
        ha = XA0[w + 1]! ^ PA0[w + 1]!;
        hb = XB0[w + 1]! ^ PB0[w + 1]!;
        h = ha ^ XA1[w + 1]! ^ PA1[w + 1]! ^ (pb & d1);
        e = hb ^ XB1[w + 1]! ^ PB1[w + 1]!;
        T[t + 1] = h; T[t + 5] = e ^ A[i + 1]!; O[i + 1] = ha ^ (pa & h) ^ hb ^ (pb & e);
        ha = XA0[w + 2]! ^ PA0[w + 2]!;
        hb = XB0[w + 2]! ^ PB0[w + 2]!;
        h = ha ^ XA1[w + 2]! ^ PA1[w + 2]! ^ (pb & d2);
        e = hb ^ XB1[w + 2]! ^ PB1[w + 2]!;
        T[t + 2] = h; T[t + 6] = e ^ A[i + 2]!; O[i + 2] = ha ^ (pa & h) ^ hb ^ (pb & e);
        ha = XA0[w + 3]! ^ PA0[w + 3]!;
        hb = XB0[w + 3]! ^ PB0[w + 3]!;
        h = ha ^ XA1[w + 3]! ^ PA1[w + 3]! ^ (pb & d3);
        e = hb ^ XB1[w + 3]! ^ PB1[w + 3]!;
        T[t + 3] = h; T[t + 7] = e ^ A[i + 3]!; O[i + 3] = ha ^ (pa & h) ^ hb ^ (pb & e);
      }
    }
  }

  evaluateAnd(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void {
    const { count, A, B, T, O } = evaluateViews(a, b, firstGateId, tables, out, TABLE_BYTES);
    const [pa, pb, xa, xb] = this.#e.bytes as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const [PA, PB, XA, XB] = this.#e.words as [Int32Array, Int32Array, Int32Array, Int32Array];
    for (let start = 0; start < count; start += GATES_PER_PASS) {
      const n = Math.min(GATES_PER_PASS, count - start);
      const len = n * LABEL_BYTES;
      const tweak = 2 * (firstGateId + start);
      this.#hash.stages(bytesOf(A).subarray(start * LABEL_BYTES, start * LABEL_BYTES + len), pa.subarray(0, len), xa.subarray(0, len), tweak, 2);
      this.#hash.stages(bytesOf(B).subarray(start * LABEL_BYTES, start * LABEL_BYTES + len), pb.subarray(0, len), xb.subarray(0, len), tweak + 1, 2);
      for (let g = 0, w = 0, i = start << 2, t = start << 3; g < n; g++, w += 4, i += 4, t += 8) {
        const sa = -(A[i]! & 1);
        const sb = -(B[i]! & 1);
        // W_G = H(A) ⊕ sa·T_G, W_E = H(B) ⊕ sb·(T_E ⊕ A) with H = X ⊕ P ⊕ tweak; output W_G ⊕ W_E
        // (the tweaks 2g, 2g + 1 of H(A), H(B) leave 1 in word 0).
        O[i] = XA[w]! ^ PA[w]! ^ (sa & T[t]!) ^ XB[w]! ^ PB[w]! ^ (sb & (T[t + 4]! ^ A[i]!)) ^ 1;
        O[i + 1] = XA[w + 1]! ^ PA[w + 1]! ^ (sa & T[t + 1]!) ^ XB[w + 1]! ^ PB[w + 1]! ^ (sb & (T[t + 5]! ^ A[i + 1]!));
        O[i + 2] = XA[w + 2]! ^ PA[w + 2]! ^ (sa & T[t + 2]!) ^ XB[w + 2]! ^ PB[w + 2]! ^ (sb & (T[t + 6]! ^ A[i + 2]!));
        O[i + 3] = XA[w + 3]! ^ PA[w + 3]! ^ (sa & T[t + 3]!) ^ XB[w + 3]! ^ PB[w + 3]! ^ (sb & (T[t + 7]! ^ A[i + 3]!));
      }
    }
  }
}
