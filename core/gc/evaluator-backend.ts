/**
 * The evaluator's `CircuitBackend`: a wire bundle holds the active label of every instance. AND
 * batches are evaluated with tables taken from a `TableSource` that the runner has filled.
 */
import type { GarblingScheme } from '../garbling.ts';
import { LabelBackend } from './label-backend.ts';
import { CONSTANT_LABELS, LABEL_BYTES, repeatLabel } from './labels.ts';
import type { TableSource } from './table-stream.ts';

export class EvaluatorBackend extends LabelBackend {
  constructor(
    scheme: GarblingScheme,
    instances: number,
    private readonly source: TableSource,
    firstGateId = 0,
    capacity = 64,
  ) {
    super(scheme, instances, firstGateId, [repeatLabel(CONSTANT_LABELS[0], instances), repeatLabel(CONSTANT_LABELS[1], instances)], capacity);
  }

  /**
   * NOT changes only the garbler's bookkeeping: the active label stays, its meaning flips. The
   * label is copied to a wire of its own, so that releasing one of the two wires keeps the other.
   */
  not(a: number): number {
    this.checkWire(a);
    const o = this.allocate();
    const n = this.bundleWords;
    this.store.copyWithin(o * n, a * n, (a + 1) * n);
    this.counts.not += this.instances;
    return o;
  }

  protected andBatch(a: Uint8Array, b: Uint8Array, firstGateId: number, out: Uint8Array): void {
    const tables = this.source.take((a.length / LABEL_BYTES) * this.scheme.tableBytesPerAnd);
    this.scheme.evaluateAnd(a, b, firstGateId, tables, out);
  }
}
