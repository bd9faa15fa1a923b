/**
 * A garbling scheme that wraps another and forwards everything to it. Decorators (recorders for the
 * audit and the tests, deliberately leaky variants) override only what they observe or change.
 * `withSalt` salts the inner scheme and wraps the result again (`rewrap`), so every session's salted
 * copy (core/gc/session.ts) stays decorated.
 */
import type { GarblingScheme } from '../garbling.ts';

export abstract class GarblingSchemeDecorator implements GarblingScheme {
  constructor(protected readonly inner: GarblingScheme) {}

  /** The same decorator around `inner` (a salted copy of this one's inner scheme). */
  protected abstract rewrap(inner: GarblingScheme): GarblingScheme;

  get name(): string {
    return this.inner.name;
  }

  get tableBytesPerAnd(): number {
    return this.inner.tableBytesPerAnd;
  }

  get salt(): bigint {
    return this.inner.salt;
  }

  withSalt(salt: bigint): GarblingScheme {
    return this.rewrap(this.inner.withSalt(salt));
  }

  garbleAnd(a0: Uint8Array, b0: Uint8Array, delta: Uint8Array, firstGateId: number, outZero: Uint8Array, tables: Uint8Array): void {
    this.inner.garbleAnd(a0, b0, delta, firstGateId, outZero, tables);
  }

  evaluateAnd(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void {
    this.inner.evaluateAnd(a, b, firstGateId, tables, out);
  }
}
