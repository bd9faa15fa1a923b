/**
 * The evaluator's `CircuitBackend`: a wire bundle holds the active label of every instance. AND
 * batches are evaluated with tables taken from a `TableReader` that the runner has filled.
 */
import type { GarblingScheme } from '../garbling.ts';
import { LabelBackend } from './label-backend.ts';
import { CONSTANT_LABELS, LABEL_BYTES, repeatLabel } from './labels.ts';
import type { TableReader } from './table-stream.ts';

export class EvaluatorBackend extends LabelBackend {
  constructor(
    scheme: GarblingScheme,
    instances: number,
    private readonly source: TableReader,
    firstGateId = 0,
    capacity = 64,
  ) {
    // NOT leaves the active label as it is (only the garbler's bookkeeping changes).
    super(scheme, instances, firstGateId, [repeatLabel(CONSTANT_LABELS[0], instances), repeatLabel(CONSTANT_LABELS[1], instances)], new Uint8Array(LABEL_BYTES), capacity);
  }

  protected andBatch(a: Uint8Array, b: Uint8Array, firstGateId: number, out: Uint8Array): void {
    const tables = this.source.take((a.length / LABEL_BYTES) * this.scheme.tableBytesPerAnd);
    this.scheme.evaluateAnd(a, b, firstGateId, tables, out);
  }
}
