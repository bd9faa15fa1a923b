/**
 * What the evaluator derives while evaluating (part of its view, design §7): the point-and-permute
 * bit of every AND gate's output label it computes. With an honest garbler they are uniform and
 * independent of the garbler's inputs (each is the value masked by the zero-label's random permute
 * bit); a garbler that fixes or leaks permute bits makes them the values themselves. This decorator
 * records them on the evaluator's side without changing anything.
 */
import { BLOCK_BYTES } from '../core/bytes.ts';
import type { GarblingScheme } from '../core/garbling.ts';
import { GarblingSchemeDecorator } from '../core/gc/scheme-decorator.ts';

export class PermuteBitRecorder extends GarblingSchemeDecorator {
  readonly #bits: number[];

  constructor(inner: GarblingScheme, bits: number[] = []) {
    super(inner);
    this.#bits = bits;
  }

  protected rewrap(inner: GarblingScheme): GarblingScheme {
    return new PermuteBitRecorder(inner, this.#bits);
  }

  override evaluateAnd(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void {
    super.evaluateAnd(a, b, firstGateId, tables, out);
    for (let at = 0; at < out.length; at += BLOCK_BYTES) this.#bits.push(out[at]! & 1);
  }

  /** The bits recorded so far, in evaluation order; clears the record. */
  take(): Uint8Array {
    const out = Uint8Array.from(this.#bits);
    this.#bits.length = 0;
    return out;
  }
}
