/**
 * Half-gates garbling (Zahur, Rosulek, Evans, "Two Halves Make a Whole", Eurocrypt 2015, Fig. 2):
 * free-XOR, point-and-permute, two ciphertexts per AND gate. The hash is the TMMO tweakable
 * circular correlation-robust hash of `core/crypto/tccr.ts`; gate g uses tweaks 2g (garbler half)
 * and 2g + 1 (evaluator half).
 *
 * Batches: every gate of a call is hashed in a few fixed-key AES passes over a flat buffer; the
 * per-gate work is word arithmetic on `Uint32Array` views, with no allocation.
 */
import type { GarblingScheme } from '../../core/garbling.ts';
import { TccrHash } from '../../core/crypto/tccr.ts';
import { wordsOf } from '../../core/bytes.ts';
import { checkBatch, checkDelta, LABEL_BYTES, outputWords } from '../../core/gc/labels.ts';

/** Gates per pass (4 hashed blocks each when garbling: 64 KiB of scratch). */
const GATES_PER_PASS = 1024;
const TABLE_BYTES = 2 * LABEL_BYTES;

export class HalfGates implements GarblingScheme {
  readonly name = 'half-gates';
  readonly tableBytesPerAnd = TABLE_BYTES;
  readonly #hash = new TccrHash();
  readonly #scratch = new Uint8Array(GATES_PER_PASS * 4 * LABEL_BYTES);
  readonly #x = new Uint32Array(this.#scratch.buffer);

  garbleAnd(a0: Uint8Array, b0: Uint8Array, delta: Uint8Array, firstGateId: number, outZero: Uint8Array, tables: Uint8Array): void {
    const count = checkBatch('garbleAnd', a0, b0, firstGateId, outZero, tables, TABLE_BYTES);
    const D = checkDelta(delta);
    const A = wordsOf(a0);
    const B = wordsOf(b0);
    const O = outputWords(outZero, 'garbleAnd');
    const T = outputWords(tables, 'garbleAnd');
    const X = this.#x;
    const d0 = D[0]!, d1 = D[1]!, d2 = D[2]!, d3 = D[3]!;
    for (let start = 0; start < count; start += GATES_PER_PASS) {
      const n = Math.min(GATES_PER_PASS, count - start);
      // Hash inputs per gate: A0, A0 ⊕ Δ (tweak 2g), B0, B0 ⊕ Δ (tweak 2g + 1).
      for (let g = 0, i = start << 2, x = 0; g < n; g++, i += 4, x += 16) {
        const a0w = A[i]!, a1w = A[i + 1]!, a2w = A[i + 2]!, a3w = A[i + 3]!;
        const b0w = B[i]!, b1w = B[i + 1]!, b2w = B[i + 2]!, b3w = B[i + 3]!;
        X[x] = a0w; X[x + 1] = a1w; X[x + 2] = a2w; X[x + 3] = a3w;
        X[x + 4] = a0w ^ d0; X[x + 5] = a1w ^ d1; X[x + 6] = a2w ^ d2; X[x + 7] = a3w ^ d3;
        X[x + 8] = b0w; X[x + 9] = b1w; X[x + 10] = b2w; X[x + 11] = b3w;
        X[x + 12] = b0w ^ d0; X[x + 13] = b1w ^ d1; X[x + 14] = b2w ^ d2; X[x + 15] = b3w ^ d3;
      }
      this.#hash.hashInPlace(this.#scratch.subarray(0, n * 4 * LABEL_BYTES), 2 * (firstGateId + start), 2);
      for (let g = 0, i = start << 2, t = start << 3, x = 0; g < n; g++, i += 4, t += 8, x += 16) {
        // pa, pb: permute bits of the zero-labels, as all-ones/zero masks.
        const pa = -(A[i]! & 1);
        const pb = -(B[i]! & 1);
        // Garbler half: T_G = H(A0) ⊕ H(A1) ⊕ pb·Δ, W_G = H(A0) ⊕ pa·T_G.
        // Evaluator half: T_E = H(B0) ⊕ H(B1) ⊕ A0, W_E = H(B0) ⊕ pb·(T_E ⊕ A0) = H(B_pb).
        // Output zero-label C0 = W_G ⊕ W_E. Unrolled over the 4 words of a label.
        let h = X[x]! ^ X[x + 4]! ^ (pb & d0);
        let e = X[x + 8]! ^ X[x + 12]!;
        T[t] = h; T[t + 4] = e ^ A[i]!; O[i] = X[x]! ^ (pa & h) ^ X[x + 8]! ^ (pb & e);
        h = X[x + 1]! ^ X[x + 5]! ^ (pb & d1);
        e = X[x + 9]! ^ X[x + 13]!;
        T[t + 1] = h; T[t + 5] = e ^ A[i + 1]!; O[i + 1] = X[x + 1]! ^ (pa & h) ^ X[x + 9]! ^ (pb & e);
        h = X[x + 2]! ^ X[x + 6]! ^ (pb & d2);
        e = X[x + 10]! ^ X[x + 14]!;
        T[t + 2] = h; T[t + 6] = e ^ A[i + 2]!; O[i + 2] = X[x + 2]! ^ (pa & h) ^ X[x + 10]! ^ (pb & e);
        h = X[x + 3]! ^ X[x + 7]! ^ (pb & d3);
        e = X[x + 11]! ^ X[x + 15]!;
        T[t + 3] = h; T[t + 7] = e ^ A[i + 3]!; O[i + 3] = X[x + 3]! ^ (pa & h) ^ X[x + 11]! ^ (pb & e);
      }
    }
  }

  evaluateAnd(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void {
    const count = checkBatch('evaluateAnd', a, b, firstGateId, out, tables, TABLE_BYTES);
    const A = wordsOf(a);
    const B = wordsOf(b);
    const T = wordsOf(tables);
    const O = outputWords(out, 'evaluateAnd');
    const X = this.#x;
    const perPass = GATES_PER_PASS * 2;
    for (let start = 0; start < count; start += perPass) {
      const n = Math.min(perPass, count - start);
      for (let g = 0, i = start << 2, x = 0; g < n; g++, i += 4, x += 8) {
        X[x] = A[i]!; X[x + 1] = A[i + 1]!; X[x + 2] = A[i + 2]!; X[x + 3] = A[i + 3]!;
        X[x + 4] = B[i]!; X[x + 5] = B[i + 1]!; X[x + 6] = B[i + 2]!; X[x + 7] = B[i + 3]!;
      }
      this.#hash.hashInPlace(this.#scratch.subarray(0, n * 2 * LABEL_BYTES), 2 * (firstGateId + start), 1);
      for (let g = 0, i = start << 2, t = start << 3, x = 0; g < n; g++, i += 4, t += 8, x += 8) {
        const sa = -(A[i]! & 1);
        const sb = -(B[i]! & 1);
        // W_G = H(A) ⊕ sa·T_G, W_E = H(B) ⊕ sb·(T_E ⊕ A); output W_G ⊕ W_E. Unrolled over 4 words.
        O[i] = X[x]! ^ (sa & T[t]!) ^ X[x + 4]! ^ (sb & (T[t + 4]! ^ A[i]!));
        O[i + 1] = X[x + 1]! ^ (sa & T[t + 1]!) ^ X[x + 5]! ^ (sb & (T[t + 5]! ^ A[i + 1]!));
        O[i + 2] = X[x + 2]! ^ (sa & T[t + 2]!) ^ X[x + 6]! ^ (sb & (T[t + 6]! ^ A[i + 2]!));
        O[i + 3] = X[x + 3]! ^ (sa & T[t + 3]!) ^ X[x + 7]! ^ (sb & (T[t + 7]! ^ A[i + 3]!));
      }
    }
  }
}
