/**
 * A `SlotLayout` given by a table: for every slot of every ciphertext, which logical index it holds
 * (or −1: unused). A logical value may sit in several slots (replicated inputs); `unpack` reads the
 * first, and ignores unused slots, which hold garbage in kernel outputs.
 */
import type { SlotLayout } from '../../core/linear.ts';

export class MappedLayout implements SlotLayout {
  readonly ciphertexts: number;
  readonly #slotCount: number;
  readonly #sourceOf: Int32Array;
  readonly #slotOf: Int32Array;

  /** `sourceOf[c·slotCount + s]` = logical index held by slot s of ciphertext c, or −1. */
  constructor(
    slotCount: number,
    readonly length: number,
    sourceOf: Int32Array,
  ) {
    if (sourceOf.length % slotCount !== 0) throw new RangeError('MappedLayout: table is not a whole number of ciphertexts');
    this.#slotCount = slotCount;
    this.ciphertexts = sourceOf.length / slotCount;
    this.#sourceOf = sourceOf;
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
    const out: Uint32Array[] = [];
    for (let c = 0; c < this.ciphertexts; c++) {
      const slots = new Uint32Array(n);
      for (let s = 0; s < n; s++) {
        const index = this.#sourceOf[c * n + s]!;
        if (index >= 0) slots[s] = values[index]!;
      }
      out.push(slots);
    }
    return out;
  }

  unpack(slots: readonly Uint32Array[]): Uint32Array {
    const n = this.#slotCount;
    if (slots.length !== this.ciphertexts || slots.some((v) => v.length !== n)) {
      throw new RangeError(`unpack: expected ${this.ciphertexts} slot vectors of ${n} slots`);
    }
    const out = new Uint32Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const slot = this.#slotOf[i]!;
      out[i] = slots[Math.floor(slot / n)]![slot % n]!;
    }
    return out;
  }
}
