/**
 * DELIBERATELY LEAKY garbling decorator (design §7d, issue 13's power tests): every AND gate's
 * output zero-label gets point-and-permute bit 0, so the permute bit of the label the evaluator
 * holds IS the gate's plaintext value. It re-randomises the inner scheme's output zero-label W0 by
 * a block X with lsb(X) = lsb(W0) (W0' = W0 ⊕ X) and appends X to the gate's table, so evaluation
 * stays correct (the evaluator adds X too). Every table byte still looks uniform (lsb(W0) is); only
 * what the evaluator derives — its labels' permute bits — depends on the garbler's input, which the
 * audit's fixed-vs-random check on derived permute bits must flag.
 */
import { BLOCK_BYTES, randomBytes } from '../../core/bytes.ts';
import type { GarblingScheme } from '../../core/garbling.ts';
import { GarblingSchemeDecorator } from '../../core/gc/scheme-decorator.ts';

export class PermuteBitLeak extends GarblingSchemeDecorator {
  readonly #name: string;

  constructor(inner: GarblingScheme, name = `insecure-${inner.name}-permute-leak`) {
    super(inner);
    this.#name = name;
  }

  protected rewrap(inner: GarblingScheme): GarblingScheme {
    return new PermuteBitLeak(inner, this.#name);
  }

  override get name(): string {
    return this.#name;
  }

  override get tableBytesPerAnd(): number {
    return this.inner.tableBytesPerAnd + BLOCK_BYTES;
  }

  override garbleAnd(a0: Uint8Array, b0: Uint8Array, delta: Uint8Array, firstGateId: number, outZero: Uint8Array, tables: Uint8Array): void {
    const count = a0.length / BLOCK_BYTES;
    const split = count * this.inner.tableBytesPerAnd;
    this.inner.garbleAnd(a0, b0, delta, firstGateId, outZero, tables.subarray(0, split));
    const offsets = tables.subarray(split);
    offsets.set(randomBytes(count * BLOCK_BYTES));
    for (let i = 0; i < count; i++) {
      const at = i * BLOCK_BYTES;
      offsets[at] = (offsets[at]! & 0xfe) | (outZero[at]! & 1);
      for (let k = 0; k < BLOCK_BYTES; k++) outZero[at + k]! ^= offsets[at + k]!;
    }
  }

  override evaluateAnd(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void {
    const split = (a.length / BLOCK_BYTES) * this.inner.tableBytesPerAnd;
    this.inner.evaluateAnd(a, b, firstGateId, tables.subarray(0, split), out);
    const offsets = tables.subarray(split);
    for (let k = 0; k < out.length; k++) out[k]! ^= offsets[k]!;
  }
}
