/**
 * The garbler's `CircuitBackend`: a wire bundle holds the zero-labels (label of bit 0) of every
 * instance; the one-label is the zero-label ⊕ Δ. AND batches are garbled into a `TableSink`.
 */
import type { GarblingScheme } from '../garbling.ts';
import { xorInto } from '../bytes.ts';
import { LabelBackend } from './label-backend.ts';
import { CONSTANT_LABELS, LABEL_BYTES, repeatLabel } from './labels.ts';
import type { TableSink } from './table-stream.ts';

export class GarblerBackend extends LabelBackend {
  readonly #delta: Uint8Array;
  /** Δ once per instance, for NOT. */
  readonly #deltas: Uint8Array;
  readonly #constants: readonly [Uint8Array, Uint8Array];

  constructor(
    scheme: GarblingScheme,
    delta: Uint8Array,
    instances: number,
    private readonly sink: TableSink,
    firstGateId = 0,
  ) {
    super(scheme, instances, firstGateId);
    if (delta.length !== LABEL_BYTES || (delta[0]! & 1) !== 1) throw new RangeError('garbler: Δ must be 16 bytes with its least significant bit set');
    this.#delta = delta;
    this.#deltas = repeatLabel(delta, instances);
    const one = CONSTANT_LABELS[1].slice();
    xorInto(one, delta);
    this.#constants = [repeatLabel(CONSTANT_LABELS[0], instances), repeatLabel(one, instances)];
  }

  /** NOT is free: swap the meaning of the two labels, i.e. the zero-label becomes the old one-label. */
  not(a: Uint8Array): Uint8Array {
    if (a.length !== this.bundleBytes) throw new RangeError(`not: wire bundle must have ${this.bundleBytes} bytes`);
    const out = a.slice();
    xorInto(out, this.#deltas);
    this.counts.not += this.instances;
    return out;
  }

  constant(bit: 0 | 1): Uint8Array {
    return this.#constants[bit];
  }

  protected andBatch(a: Uint8Array, b: Uint8Array, firstGateId: number, out: Uint8Array): void {
    const tables = this.sink.reserve((a.length / LABEL_BYTES) * this.scheme.tableBytesPerAnd);
    this.scheme.garbleAnd(a, b, this.#delta, firstGateId, out, tables);
  }
}
