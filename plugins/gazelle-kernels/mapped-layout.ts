/**
 * A `SlotLayout` given by a table: for every slot of every ciphertext, which logical index it holds
 * (or −1: unused). A logical value may sit in several slots: replicated (`first`: `pack` copies it to
 * each, `unpack` reads the first) or as partial sums (`sum`: `pack` puts it in the first slot and 0 in
 * the others, `unpack` adds them all mod p; core/linear.ts says when that is safe). Unused slots hold
 * garbage in kernel outputs and are ignored.
 */
import type { SlotLayout, SlotReduction } from '../../core/linear.ts';

/** The reduction of a layout, with the modulus a `sum` adds under. */
export type LayoutReduction = { readonly reduce: 'first' } | { readonly reduce: 'sum'; readonly modulus: number };

export class MappedLayout implements SlotLayout {
  readonly ciphertexts: number;
  readonly reduce: SlotReduction;
  readonly #slotCount: number;
  readonly #sourceOf: Int32Array;
  /** The first slot of each index. */
  readonly #slotOf: Int32Array;
  readonly #modulus: number;

  /** `sourceOf[c·slotCount + s]` = logical index held by slot s of ciphertext c, or −1. */
  constructor(
    slotCount: number,
    readonly length: number,
    sourceOf: Int32Array,
    reduction: LayoutReduction = { reduce: 'first' },
  ) {
    if (sourceOf.length % slotCount !== 0) throw new RangeError('MappedLayout: table is not a whole number of ciphertexts');
    this.#slotCount = slotCount;
    this.ciphertexts = sourceOf.length / slotCount;
    this.#sourceOf = sourceOf;
    this.reduce = reduction.reduce;
    this.#modulus = reduction.reduce === 'sum' ? reduction.modulus : 0;
    this.#slotOf = new Int32Array(length).fill(-1);
    for (let slot = sourceOf.length - 1; slot >= 0; slot--) {
      const index = sourceOf[slot]!;
      if (index >= 0) this.#slotOf[index] = slot;
    }
    const missing = this.#slotOf.indexOf(-1);
    if (missing >= 0) throw new RangeError(`MappedLayout: logical index ${missing} has no slot`);
  }

  pack(values: Uint32Array): Uint32Array[] {
    if (values.length !== this.length) throw new RangeError(`pack: expected ${this.length} values, got ${values.length}`);
    const n = this.#slotCount;
    const out = Array.from({ length: this.ciphertexts }, () => new Uint32Array(n));
    if (this.reduce === 'sum') {
      this.#slotOf.forEach((slot, index) => (out[Math.floor(slot / n)]![slot % n] = values[index]!));
      return out;
    }
    for (let c = 0; c < this.ciphertexts; c++) {
      const slots = out[c]!;
      for (let s = 0; s < n; s++) {
        const index = this.#sourceOf[c * n + s]!;
        if (index >= 0) slots[s] = values[index]!;
      }
    }
    return out;
  }

  unpack(slots: readonly Uint32Array[]): Uint32Array {
    const n = this.#slotCount;
    if (slots.length !== this.ciphertexts || slots.some((v) => v.length !== n)) {
      throw new RangeError(`unpack: expected ${this.ciphertexts} slot vectors of ${n} slots`);
    }
    if (this.reduce === 'first') return Uint32Array.from(this.#slotOf, (slot) => slots[Math.floor(slot / n)]![slot % n]!);
    const p = this.#modulus;
    const sums = new Uint32Array(this.length);
    for (let c = 0; c < this.ciphertexts; c++) {
      const vector = slots[c]!;
      for (let s = 0; s < n; s++) {
        const index = this.#sourceOf[c * n + s]!;
        // Both terms are below p < 2^32: their sum is exact in a double.
        if (index >= 0) sums[index] = (sums[index]! + vector[s]!) % p;
      }
    }
    return sums;
  }
}
