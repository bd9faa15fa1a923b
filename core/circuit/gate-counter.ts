/**
 * A backend that evaluates nothing and counts: gates by kind per circuit instance, AND depth, and the
 * number of AND batches (calls that a garbling backend turns into one hash batch each).
 * The wire value is the AND depth of the wire.
 */
import type { CircuitBackend } from './backend.ts';

export interface GateCounts {
  readonly and: number;
  readonly xor: number;
  readonly not: number;
  readonly constant: number;
  /** Largest AND depth of any wire produced so far. */
  readonly andDepth: number;
  /** `and` calls plus non-empty `andN` calls. */
  readonly andBatches: number;
}

export class GateCounter implements CircuitBackend<number> {
  /** Counts are per instance: every call stands for the same gate in each of the `instances` circuits. */
  readonly instances: number;
  #and = 0;
  #xor = 0;
  #not = 0;
  #constant = 0;
  #depth = 0;
  #batches = 0;

  constructor(instances = 1) {
    if (!Number.isSafeInteger(instances) || instances < 1) throw new RangeError(`instances must be a positive integer, got ${instances}`);
    this.instances = instances;
  }

  /** A fresh input wire (depth 0); inputs cost no gate. */
  input(): number {
    return 0;
  }

  xor(a: number, b: number): number {
    this.#xor++;
    return Math.max(a, b);
  }

  and(a: number, b: number): number {
    this.#batches++;
    return this.#andGate(a, b);
  }

  not(a: number): number {
    this.#not++;
    return a;
  }

  constant(_bit: 0 | 1): number {
    this.#constant++;
    return 0;
  }

  andN(a: readonly number[], b: readonly number[]): number[] {
    if (a.length !== b.length) throw new RangeError(`andN: ${a.length} left operands but ${b.length} right operands`);
    if (a.length > 0) this.#batches++;
    return a.map((x, i) => this.#andGate(x, b[i]!));
  }

  counts(): GateCounts {
    return { and: this.#and, xor: this.#xor, not: this.#not, constant: this.#constant, andDepth: this.#depth, andBatches: this.#batches };
  }

  #andGate(a: number, b: number): number {
    this.#and++;
    const d = Math.max(a, b) + 1;
    if (d > this.#depth) this.#depth = d;
    return d;
  }
}
