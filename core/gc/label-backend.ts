/**
 * What the garbler's and the evaluator's `CircuitBackend`s share: a wire is a bundle of one 16-byte
 * label per circuit instance (zero-labels for the garbler, active labels for the evaluator), XOR is
 * free (Kolesnikov-Schneider 2008), and every AND batch is gathered into one flat array so that the
 * scheme hashes all of it, across instances and gates, in one go. Gate ids (the hash tweaks) are
 * consumed in call order, so both parties assign the same id to the same gate.
 */
import type { CircuitBackend } from '../circuit/backend.ts';
import type { GarblingScheme } from '../garbling.ts';
import { xorInto } from '../bytes.ts';
import { gatherBundles, LABEL_BYTES, splitBundles } from './labels.ts';

/** Gate counts of a garbled run, over all instances. */
export interface GcGateCounts {
  and: number;
  xor: number;
  not: number;
}

export abstract class LabelBackend implements CircuitBackend<Uint8Array> {
  readonly instances: number;
  /** Bytes of one wire bundle. */
  readonly bundleBytes: number;
  /** The next unused gate id. */
  nextGateId: number;
  readonly counts: GcGateCounts = { and: 0, xor: 0, not: 0 };

  constructor(
    protected readonly scheme: GarblingScheme,
    instances: number,
    firstGateId: number,
  ) {
    if (!Number.isSafeInteger(instances) || instances < 1) throw new RangeError(`instances must be a positive integer, got ${instances}`);
    if (!Number.isSafeInteger(firstGateId) || firstGateId < 0) throw new RangeError(`firstGateId must be a non-negative integer, got ${firstGateId}`);
    this.instances = instances;
    this.bundleBytes = instances * LABEL_BYTES;
    this.nextGateId = firstGateId;
  }

  xor(a: Uint8Array, b: Uint8Array): Uint8Array {
    if (a.length !== this.bundleBytes || b.length !== this.bundleBytes) throw new RangeError(`xor: wire bundles must have ${this.bundleBytes} bytes`);
    const out = a.slice();
    xorInto(out, b);
    this.counts.xor += this.instances;
    return out;
  }

  and(a: Uint8Array, b: Uint8Array): Uint8Array {
    return this.andN([a], [b])[0]!;
  }

  andN(a: readonly Uint8Array[], b: readonly Uint8Array[]): Uint8Array[] {
    if (a.length !== b.length) throw new RangeError(`andN: ${a.length} left operands but ${b.length} right operands`);
    if (a.length === 0) return [];
    const gates = a.length * this.instances;
    const out = new Uint8Array(gates * LABEL_BYTES);
    this.andBatch(gatherBundles(a, this.bundleBytes, 'andN'), gatherBundles(b, this.bundleBytes, 'andN'), this.nextGateId, out);
    this.nextGateId += gates;
    this.counts.and += gates;
    return splitBundles(out, a.length);
  }

  abstract not(a: Uint8Array): Uint8Array;
  abstract constant(bit: 0 | 1): Uint8Array;
  /** Garble or evaluate `a.length / 16` AND gates with ids from `firstGateId`, writing `out`. */
  protected abstract andBatch(a: Uint8Array, b: Uint8Array, firstGateId: number, out: Uint8Array): void;
}
