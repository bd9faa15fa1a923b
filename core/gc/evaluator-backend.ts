/**
 * The evaluator's `CircuitBackend`: a wire bundle holds the active label of every instance. AND
 * batches are evaluated with tables taken from a `TableSource` that the runner has filled.
 */
import type { GarblingScheme } from '../garbling.ts';
import { LabelBackend } from './label-backend.ts';
import { CONSTANT_LABELS, LABEL_BYTES, repeatLabel } from './labels.ts';
import type { TableSource } from './table-stream.ts';

export class EvaluatorBackend extends LabelBackend {
  readonly #constants: readonly [Uint8Array, Uint8Array];

  constructor(
    scheme: GarblingScheme,
    instances: number,
    private readonly source: TableSource,
    firstGateId = 0,
  ) {
    super(scheme, instances, firstGateId);
    this.#constants = [repeatLabel(CONSTANT_LABELS[0], instances), repeatLabel(CONSTANT_LABELS[1], instances)];
  }

  /** NOT changes only the garbler's bookkeeping: the active label stays, its meaning flips. */
  not(a: Uint8Array): Uint8Array {
    if (a.length !== this.bundleBytes) throw new RangeError(`not: wire bundle must have ${this.bundleBytes} bytes`);
    this.counts.not += this.instances;
    return a;
  }

  constant(bit: 0 | 1): Uint8Array {
    return this.#constants[bit];
  }

  protected andBatch(a: Uint8Array, b: Uint8Array, firstGateId: number, out: Uint8Array): void {
    const tables = this.source.take((a.length / LABEL_BYTES) * this.scheme.tableBytesPerAnd);
    this.scheme.evaluateAnd(a, b, firstGateId, tables, out);
  }
}
