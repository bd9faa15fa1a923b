/**
 * The plaintext reference backend, bit-sliced: a wire bundle packs one bit per instance into Uint32
 * words (instance i is bit i % 32 of word i / 32), so each gate processes 32 instances per word op.
 */
import type { CircuitBackend } from './backend.ts';

/** A bit-sliced wire bundle: `ceil(instances / 32)` words; bits past `instances` are always 0. */
export type BitSlice = Uint32Array;

export class PlaintextBackend implements CircuitBackend<BitSlice> {
  readonly instances: number;
  /** Words per bundle. */
  readonly words: number;
  /** Mask of the valid bits of the last word. */
  readonly #lastMask: number;

  constructor(instances = 1) {
    if (!Number.isSafeInteger(instances) || instances < 1) throw new RangeError(`instances must be a positive integer, got ${instances}`);
    this.instances = instances;
    this.words = Math.ceil(instances / 32);
    const tail = instances % 32;
    this.#lastMask = tail === 0 ? 0xffffffff : (1 << tail) - 1;
  }

  xor(a: BitSlice, b: BitSlice): BitSlice {
    const out = new Uint32Array(this.words);
    for (let i = 0; i < out.length; i++) out[i] = a[i]! ^ b[i]!;
    return out;
  }

  and(a: BitSlice, b: BitSlice): BitSlice {
    const out = new Uint32Array(this.words);
    for (let i = 0; i < out.length; i++) out[i] = a[i]! & b[i]!;
    return out;
  }

  not(a: BitSlice): BitSlice {
    const out = new Uint32Array(this.words);
    for (let i = 0; i < out.length; i++) out[i] = ~a[i]!;
    out[out.length - 1]! &= this.#lastMask;
    return out;
  }

  constant(bit: 0 | 1): BitSlice {
    const out = new Uint32Array(this.words);
    if (bit === 1) {
      out.fill(0xffffffff);
      out[out.length - 1] = this.#lastMask;
    }
    return out;
  }

  andN(a: readonly BitSlice[], b: readonly BitSlice[]): BitSlice[] {
    if (a.length !== b.length) throw new RangeError(`andN: ${a.length} left operands but ${b.length} right operands`);
    return a.map((x, i) => this.and(x, b[i]!));
  }

  /** A bundle carrying `bits[i]` in instance i (`bits.length === instances`). */
  bundle(bits: ArrayLike<number>): BitSlice {
    if (bits.length !== this.instances) throw new RangeError(`bundle needs ${this.instances} bits, got ${bits.length}`);
    const out = new Uint32Array(this.words);
    for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >>> 5]! |= 1 << (i & 31);
    return out;
  }

  /** The bit of instance `i` in a bundle. */
  bit(bundle: BitSlice, i: number): 0 | 1 {
    if (!Number.isInteger(i) || i < 0 || i >= this.instances) throw new RangeError(`instance ${i} is outside [0, ${this.instances})`);
    return ((bundle[i >>> 5]! >>> (i & 31)) & 1) as 0 | 1;
  }
}
