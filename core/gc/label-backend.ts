/**
 * What the garbler's and the evaluator's `CircuitBackend`s share. A wire is a bundle of one 16-byte
 * label per circuit instance (zero-labels for the garbler, active labels for the evaluator), kept in
 * one flat, growable word array and named by its slot, so a gate allocates no object: XOR is a word
 * loop (free-XOR, Kolesnikov-Schneider 2008), and an AND batch is gathered into one flat array that
 * the scheme hashes in one go, across instances and gates. Slots of dead wires are reused once the
 * caller `release`s them (the level stepper does, from the circuit's liveness), which keeps the
 * store at the circuit's peak of live wires. Gate ids (the hash tweaks) are consumed in call order,
 * so both parties give the same id to the same gate.
 *
 * A wire handle is `slot · 2 + flip`: NOT only toggles the flip bit, so it costs nothing and shares
 * its input's slot (free-XOR makes NOT an XOR with the constant 1, Kolesnikov-Schneider 2008).
 * The label a flipped handle stands for is the stored one ⊕ `flipOffset`: Δ for the garbler (the
 * zero-label of ¬x is x's one-label), nothing for the evaluator (the active label stays, only its
 * meaning changes). XOR carries flip(a) ⊕ flip(b); an AND batch applies the offset as it gathers.
 */
import type { CircuitBackend } from '../circuit/backend.ts';
import type { GarblingScheme } from '../garbling.ts';
import { LABEL_BYTES } from './labels.ts';

/** Gate counts of a garbled run, over all instances. */
export interface GcGateCounts {
  and: number;
  xor: number;
  not: number;
}

/** Slots 0 and 1 hold the constants and are never released. */
const CONSTANT_SLOTS = 2;

/**
 * From this many instances on, a gate's bundle is a big enough hash batch by itself (the AES call
 * overhead is amortised), so AND levels run gate by gate on the store in place; below it, a
 * level's operands are gathered into one batch.
 */
const DIRECT_INSTANCES = 1024;

/**
 * Stores of disposed backends, reused by the next backends: a server garbling layer after layer
 * (or chunk after chunk) then works in memory it already has, instead of having megabytes of fresh
 * pages faulted in and zeroed per chunk. A store is never read before a slot is written, so old
 * contents do not matter. A few are kept, the largest ones.
 */
const spareStores: ArrayBuffer[] = [];
const SPARE_STORES = 4;

/** A spare store of at least `bytes`, else a fresh one. */
function takeStore(bytes: number): ArrayBuffer {
  const fit = spareStores.findIndex((b) => b.byteLength >= bytes && b.byteLength <= 2 * bytes);
  return fit >= 0 ? spareStores.splice(fit, 1)[0]! : new ArrayBuffer(bytes);
}

function returnStore(buffer: ArrayBuffer): void {
  spareStores.push(buffer);
  spareStores.sort((x, y) => y.byteLength - x.byteLength);
  spareStores.length = Math.min(spareStores.length, SPARE_STORES);
}

/**
 * s[z..z+n) = s[x..x+n) ⊕ s[y..y+n), n even. A free function, not a method: its optimised code
 * sees one array type whichever backend calls it, where the method deoptimised over and over
 * ("wrong map", --trace-deopt) as garbler and evaluator backends alternated.
 */
function xorWords(s: BigInt64Array, x: number, y: number, z: number, n: number): void {
  for (let i = 0; i < n; i += 2) {
    s[z + i] = s[x + i]! ^ s[y + i]!;
    s[z + i + 1] = s[x + i + 1]! ^ s[y + i + 1]!;
  }
}

export abstract class LabelBackend implements CircuitBackend<number>, Disposable {
  readonly instances: number;
  /** 32-bit words of one wire bundle. */
  readonly bundleWords: number;
  /** The next unused gate id. */
  nextGateId: number;
  readonly counts: GcGateCounts = { and: 0, xor: 0, not: 0 };
  /** Every wire bundle, slot after slot; replaced by a larger copy when full. */
  protected store: Uint32Array<ArrayBuffer>;
  /** The same memory as 64-bit words: V8 XORs `BigInt64Array` elements as machine words, twice as fast per byte. */
  protected store64: BigInt64Array<ArrayBuffer>;
  #slots = 0;
  readonly #free: number[] = [];
  #scratch = new BigInt64Array(0);

  /** What a flipped handle adds to its stored label, as two 64-bit words (zero: nothing). */
  readonly #flip: readonly [bigint, bigint];

  /**
   * `constants[b]`: the labels (one per instance) of the constant-b wire, as this party holds them.
   * `flipOffset`: the 16-byte label offset of a flipped handle (see above).
   * `capacity`: wires to make room for up front (the store grows past it if needed).
   */
  constructor(
    protected readonly scheme: GarblingScheme,
    instances: number,
    firstGateId: number,
    constants: readonly [Uint8Array, Uint8Array],
    flipOffset: Uint8Array,
    capacity: number,
  ) {
    if (!Number.isSafeInteger(instances) || instances < 1) throw new RangeError(`instances must be a positive integer, got ${instances}`);
    if (!Number.isSafeInteger(firstGateId) || firstGateId < 0) throw new RangeError(`firstGateId must be a non-negative integer, got ${firstGateId}`);
    this.instances = instances;
    this.bundleWords = instances * (LABEL_BYTES / 4);
    this.nextGateId = firstGateId;
    this.store = new Uint32Array(takeStore((CONSTANT_SLOTS + Math.max(1, capacity)) * this.bundleWords * 4));
    this.store64 = new BigInt64Array(this.store.buffer);
    const flip = new BigInt64Array(flipOffset.slice().buffer);
    this.#flip = [flip[0]!, flip[1]!];
    constants.forEach((labels) => this.input(labels));
  }

  /** A wire carrying `labels` (one label per instance, 16 bytes each). */
  input(labels: Uint8Array): number {
    if (labels.length !== this.bundleWords * 4) throw new RangeError(`input: a wire bundle has ${this.bundleWords * 4} bytes, got ${labels.length}`);
    const slot = this.allocate();
    new Uint8Array(this.store.buffer, slot * this.bundleWords * 4, labels.length).set(labels);
    return slot << 1;
  }

  /** A copy of the labels on wire `w` (one per instance). */
  labels(w: number): Uint8Array {
    this.checkWire(w);
    const out = new Uint8Array(this.bundleWords * 4);
    this.#gather(w, new BigInt64Array(out.buffer), 0);
    return out;
  }

  /** The point-and-permute bit of every instance's label on wire `w`. */
  permuteBits(w: number): Uint8Array {
    this.checkWire(w);
    const out = new Uint8Array(this.instances);
    const flip = Number(this.#flip[0] & 1n) & w;
    for (let i = 0, k = (w >>> 1) * this.bundleWords; i < this.instances; i++, k += 4) out[i] = (this.store[k]! & 1) ^ flip;
    return out;
  }

  /**
   * Done with every wire: the label store goes back for reuse by later backends, and this backend
   * holds no wire any more (using one is a RangeError).
   */
  [Symbol.dispose](): void {
    if (this.store.length === 0) return;
    returnStore(this.store.buffer);
    this.store = new Uint32Array(0);
    this.store64 = new BigInt64Array(0);
    this.#slots = 0;
    this.#free.length = 0;
  }

  /** Wire `w` is dead: its slot (shared with its negations) may be reused. Constants stay. */
  release(w: number): void {
    this.checkWire(w);
    if (w >>> 1 >= CONSTANT_SLOTS) this.#free.push(w >>> 1);
  }

  constant(bit: 0 | 1): number {
    return bit << 1;
  }

  xor(a: number, b: number): number {
    this.checkWire(a);
    this.checkWire(b);
    const o = this.allocate();
    const n = this.bundleWords >>> 1;
    xorWords(this.store64, (a >>> 1) * n, (b >>> 1) * n, o * n, n);
    this.counts.xor += this.instances;
    return (o << 1) | ((a ^ b) & 1);
  }

  /** Free: the same slot with the flip bit toggled. */
  not(a: number): number {
    this.checkWire(a);
    this.counts.not += this.instances;
    return a ^ 1;
  }

  and(a: number, b: number): number {
    return this.andN([a], [b])[0]!;
  }

  andN(a: readonly number[], b: readonly number[]): number[] {
    if (a.length !== b.length) throw new RangeError(`andN: ${a.length} left operands but ${b.length} right operands`);
    const n = a.length;
    for (let k = 0; k < n; k++) {
      this.checkWire(a[k]!);
      this.checkWire(b[k]!);
    }
    // Output slots first: allocating may grow (move) the store, which the views below point into.
    const slots = Array.from({ length: n }, () => this.allocate());
    if (this.instances >= DIRECT_INSTANCES) this.#andInPlace(a, b, slots);
    else if (n > 0) this.#andGathered(a, b, slots);
    const gates = n * this.instances;
    this.nextGateId += gates;
    this.counts.and += gates;
    return slots.map((slot) => slot << 1);
  }

  /**
   * One scheme call per gate, on the operand bundles where they lie in the store (copied only when
   * a flip changes them) and writing the output bundle in place: no gathering, and each call still
   * hashes `instances` labels. Gate ids and table order are those of the gathered batch.
   */
  #andInPlace(a: readonly number[], b: readonly number[], slots: readonly number[]): void {
    const bytes = this.bundleWords * 4;
    if (this.#scratch.length < bytes >>> 2) this.#scratch = new BigInt64Array(bytes >>> 2);
    const operand = (w: number, half: 0 | 1): Uint8Array => {
      if (this.#flips(w)) {
        this.#gather(w, this.#scratch, half * (bytes >>> 3));
        return new Uint8Array(this.#scratch.buffer, half * bytes, bytes);
      }
      return new Uint8Array(this.store.buffer, (w >>> 1) * bytes, bytes);
    };
    slots.forEach((slot, k) => {
      const out = new Uint8Array(this.store.buffer, slot * bytes, bytes);
      this.andBatch(operand(a[k]!, 0), operand(b[k]!, 1), this.nextGateId + k * this.instances, out);
    });
  }

  /** The operands of every gate side by side in the scratch, one scheme call, outputs copied into the slots. */
  #andGathered(a: readonly number[], b: readonly number[], slots: readonly number[]): void {
    const n = a.length;
    const half = this.bundleWords >>> 1;
    const span = n * half; // 64-bit words of one operand batch
    if (this.#scratch.length < 3 * span) this.#scratch = new BigInt64Array(3 * span);
    for (let k = 0; k < n; k++) {
      this.#gather(a[k]!, this.#scratch, k * half);
      this.#gather(b[k]!, this.#scratch, span + k * half);
    }
    const scratch = (from: number) => new Uint8Array(this.#scratch.buffer, from * 8, span * 8);
    this.andBatch(scratch(0), scratch(span), this.nextGateId, scratch(2 * span));
    slots.forEach((slot, k) => this.store64.set(this.#scratch.subarray((2 * n + k) * half, (2 * n + k + 1) * half), slot * half));
  }

  /** Whether the labels wire `w` stands for differ from its stored ones (a flipped handle, garbler side). */
  #flips(w: number): boolean {
    const [d0, d1] = this.#flip;
    return (w & 1) === 1 && (d0 | d1) !== 0n;
  }

  /** Copy the labels wire `w` stands for into `to` (64-bit words) from word `at`, applying its flip. */
  #gather(w: number, to: BigInt64Array, at: number): void {
    const n = this.bundleWords >>> 1;
    const s = this.store64;
    const from = (w >>> 1) * n;
    const [d0, d1] = this.#flip;
    // A plain copy unless the flip changes the label (never for the evaluator, whose offset is 0).
    if (!this.#flips(w)) {
      to.set(s.subarray(from, from + n), at);
      return;
    }
    for (let i = 0; i < n; i += 2) {
      to[at + i] = s[from + i]! ^ d0;
      to[at + i + 1] = s[from + i + 1]! ^ d1;
    }
  }

  /** Garble or evaluate `a.length / 16` AND gates with ids from `firstGateId`, writing `out`. */
  protected abstract andBatch(a: Uint8Array, b: Uint8Array, firstGateId: number, out: Uint8Array): void;

  /** A slot for a new wire: a released one, else a fresh one (growing the store by doubling). */
  protected allocate(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    const slot = this.#slots++;
    if ((slot + 1) * this.bundleWords > this.store.length) {
      const grown = new Uint32Array(2 * this.store.length);
      grown.set(this.store);
      this.store = grown;
      this.store64 = new BigInt64Array(grown.buffer);
    }
    return slot;
  }

  protected checkWire(w: number): void {
    if (!Number.isInteger(w) || w < 0 || w >>> 1 >= this.#slots) throw new RangeError(`no wire ${w} in this backend`);
  }
}
