/**
 * The store of precomputed random COTs, consumed first-in first-out: the sender keeps its m0
 * blocks, the receiver its blocks and random choice bits. Both parties consume in the same order,
 * so the k-th OT taken online is the k-th one precomputed on both sides.
 */
import { BLOCK_BYTES } from '../bytes.ts';

interface Segment {
  readonly blocks: Uint8Array;
  /** One 0/1 byte per OT (receiver only). */
  readonly bits: Uint8Array | undefined;
  /** OTs of this segment already taken. */
  taken: number;
}

export class PrecomputedOts {
  readonly #segments: Segment[] = [];
  #available = 0;

  get available(): number {
    return this.#available;
  }

  /** Append a batch (`bits` for the receiver's random choices). The store keeps the arrays. */
  push(blocks: Uint8Array, bits?: Uint8Array): void {
    const count = blocks.length / BLOCK_BYTES;
    if (bits && bits.length !== count) throw new RangeError(`PrecomputedOts: ${count} blocks but ${bits.length} choice bits`);
    if (count === 0) return;
    this.#segments.push({ blocks, bits, taken: 0 });
    this.#available += count;
  }

  /** The next `count` OTs, removed from the store (fresh arrays). */
  take(count: number): { blocks: Uint8Array; bits: Uint8Array } {
    if (count > this.#available) throw new RangeError(`PrecomputedOts: ${count} requested, ${this.#available} available`);
    const blocks = new Uint8Array(count * BLOCK_BYTES);
    const bits = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const seg = this.#segments[0]!;
      const n = Math.min(count - filled, seg.blocks.length / BLOCK_BYTES - seg.taken);
      blocks.set(seg.blocks.subarray(seg.taken * BLOCK_BYTES, (seg.taken + n) * BLOCK_BYTES), filled * BLOCK_BYTES);
      if (seg.bits) bits.set(seg.bits.subarray(seg.taken, seg.taken + n), filled);
      seg.taken += n;
      filled += n;
      if (seg.taken * BLOCK_BYTES === seg.blocks.length) this.#segments.shift();
    }
    this.#available -= count;
    return { blocks, bits };
  }
}
