/**
 * Test support for the circuit library: run a library function on the bit-sliced plaintext backend
 * over many instances at once, or on the gate counter to count its gates.
 */
import fc from 'fast-check';
import { GateCounter, type GateCounts } from '../../core/circuit/gate-counter.ts';
import { type Bit, type Bits, Gates } from '../../core/circuit/lib/gates.ts';
import { PlaintextBackend } from '../../core/circuit/plaintext-backend.ts';
import { decodeValues, encodeValues } from '../../core/circuit/values.ts';

export type LibFunction = <W>(g: Gates<W>, inputs: Bits<W>[]) => Bit<W>[];

/**
 * `inputs[k][i]` is input k (width `widths[k]`) of instance i; returns the output value per instance.
 */
export function runLib(widths: readonly number[], inputs: readonly (readonly (number | bigint)[])[], f: LibFunction): bigint[] {
  const backend = new PlaintextBackend(inputs[0]!.length);
  const g = new Gates(backend);
  const out = f(g, inputs.map((values, k) => encodeValues(backend, widths[k]!, values)));
  return decodeValues(backend, g.wires(out));
}

/** Gate counts of one evaluation of `f` on fresh inputs of the given widths. */
export function countLib(widths: readonly number[], f: LibFunction): GateCounts {
  const counter = new GateCounter();
  f(new Gates(counter), widths.map((w) => Array.from({ length: w }, () => counter.input())));
  return counter.counts();
}

/** Odd primes from tiny to the BFV primes, and 2. */
export const PRIMES = [2, 3, 5, 7, 13, 251, 8191, 65537, 557057, 786433] as const;

/** An arbitrary batch of `count`-tuples of values in [0, bound). */
export function batchBelow(bound: number, count: number, maxInstances = 70): fc.Arbitrary<number[][]> {
  const value = fc.oneof(fc.integer({ min: 0, max: bound - 1 }), fc.constantFrom(0, bound - 1, Math.floor(bound / 2), Math.floor((bound - 1) / 2) + 1));
  return fc.array(fc.array(value, { minLength: count, maxLength: count }), { minLength: 1, maxLength: maxInstances });
}

/** Column k of a batch of tuples. */
export function column<T>(rows: readonly (readonly T[])[], k: number): T[] {
  return rows.map((r) => r[k]!);
}

/** Trailing one bits of x. */
export function trailingOnes(x: number): number {
  let n = 0;
  while ((x >> n) & 1) n++;
  return n;
}

/** Trailing zero bits of x > 0. */
export function trailingZeros(x: number): number {
  let n = 0;
  while (((x >> n) & 1) === 0) n++;
  return n;
}
