/**
 * The garbler's `CircuitBackend`: a wire bundle holds the zero-labels (label of bit 0) of every
 * instance; the one-label is the zero-label ⊕ Δ. AND batches are garbled into a `TableSink`.
 */
import type { GarblingScheme } from '../garbling.ts';
import { xorInto } from '../bytes.ts';
import { LabelBackend } from './label-backend.ts';
import { CONSTANT_LABELS, LABEL_BYTES, repeatLabel } from './labels.ts';
import type { TableSink } from './table-stream.ts';

/** The zero-label of the constant-1 wire: its public active label ⊕ Δ (checking Δ first). */
function oneLabel(delta: Uint8Array): Uint8Array {
  if (delta.length !== LABEL_BYTES || (delta[0]! & 1) !== 1) throw new RangeError('garbler: Δ must be 16 bytes with its least significant bit set');
  const one = CONSTANT_LABELS[1].slice();
  xorInto(one, delta);
  return one;
}

export class GarblerBackend extends LabelBackend {
  readonly #delta: Uint8Array;

  constructor(
    scheme: GarblingScheme,
    delta: Uint8Array,
    instances: number,
    private readonly sink: TableSink,
    firstGateId = 0,
    capacity = 64,
  ) {
    // A flipped handle's zero-label is the stored one ⊕ Δ (NOT swaps a wire's two labels).
    super(scheme, instances, firstGateId, [repeatLabel(CONSTANT_LABELS[0], instances), repeatLabel(oneLabel(delta), instances)], delta, capacity);
    this.#delta = delta;
  }

  protected andBatch(a: Uint8Array, b: Uint8Array, firstGateId: number, out: Uint8Array): void {
    const tables = this.sink.reserve((a.length / LABEL_BYTES) * this.scheme.tableBytesPerAnd);
    this.scheme.garbleAnd(a, b, this.#delta, firstGateId, out, tables);
  }
}
