/**
 * Comparison by the carry chain of a − b = a + ¬b + 1 alone: [a < b] is the missing final carry,
 * the difference bits are never formed. w ANDs for w-bit wire operands (fewer when one side is a
 * public constant: leading positions whose carry is still constant are free). Signed (two's
 * complement) comparison flips both sign bits first, which is free.
 */
import { carryChains } from './arith.ts';
import { type Bit, Gates, ONE } from './gates.ts';

export interface ComparePair<W> {
  readonly a: readonly Bit<W>[];
  readonly b: readonly Bit<W>[];
}

export interface CompareOptions {
  /** Two's complement operands (default unsigned). */
  readonly signed?: boolean;
}

function flipSign<W>(g: Gates<W>, x: readonly Bit<W>[]): Bit<W>[] {
  return x.map((bit, i) => (i === x.length - 1 ? g.not(bit) : bit));
}

/** [a < b] for every pair, the chains of all pairs in lockstep (one AND batch per bit position). */
export function lessThanLanes<W>(g: Gates<W>, pairs: readonly ComparePair<W>[], options?: CompareOptions): Bit<W>[] {
  const lanes = pairs.map(({ a, b }) => {
    const [x, y] = options?.signed ? [flipSign(g, a), flipSign(g, b)] : [a, b];
    return { a: x, b: y.map((bit) => g.not(bit)), carryIn: ONE };
  });
  const width = pairs[0]?.a.length ?? 0;
  if (pairs.some((p) => p.a.length !== width || p.b.length !== width)) throw new RangeError('compared values must share one width');
  return carryChains(g, lanes, width).map((c) => g.not(c[width]!));
}

/** [a < b]. w ANDs. */
export function lessThan<W>(g: Gates<W>, a: readonly Bit<W>[], b: readonly Bit<W>[], options?: CompareOptions): Bit<W> {
  return lessThanLanes(g, [{ a, b }], options)[0]!;
}

/** [a ≥ b] = ¬[a < b]. w ANDs. */
export function greaterOrEqual<W>(g: Gates<W>, a: readonly Bit<W>[], b: readonly Bit<W>[], options?: CompareOptions): Bit<W> {
  return g.not(lessThan(g, a, b, options));
}

/** [a > b] = [b < a]. w ANDs. */
export function greaterThan<W>(g: Gates<W>, a: readonly Bit<W>[], b: readonly Bit<W>[], options?: CompareOptions): Bit<W> {
  return lessThan(g, b, a, options);
}
