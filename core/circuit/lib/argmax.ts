/**
 * Maximum and argmax by a tournament: in each round the values are paired (lower indices on the left)
 * and every pair's comparison and multiplexers run as one AND batch. The right value wins only if it
 * is strictly greater, so ties go to the lowest index (numpy's argmax convention).
 *
 * AND counts, k values of w bits: maximum (k − 1)·2w · argmax (k − 1)·w comparisons + (k − 2)·w value
 * muxes (the final winner's value is not needed) + index muxes: index bits start as public constants,
 * so a round-r match muxes only its r − 1 wire bits, Σ over matches (for k = 2^n: 2^n − n − 1 in total).
 */
import { lessThanLanes, type CompareOptions } from './compare.ts';
import { type Bit, type Bits, constantBits, Gates } from './gates.ts';
import { muxLanes } from './mux.ts';

interface Entry<W> {
  value: readonly Bit<W>[];
  index: readonly Bit<W>[];
}

function tournament<W>(g: Gates<W>, xs: readonly (readonly Bit<W>[])[], options: CompareOptions | undefined, withIndex: boolean): Entry<W> {
  if (xs.length === 0) throw new RangeError('maximum of no values');
  const indexBits = Math.max(1, Math.ceil(Math.log2(xs.length)));
  let entries: Entry<W>[] = xs.map((value, i) => ({ value, index: withIndex ? constantBits(i, indexBits) : [] }));
  while (entries.length > 1) {
    const pairs = Math.floor(entries.length / 2);
    const left = Array.from({ length: pairs }, (_, j) => entries[2 * j]!);
    const right = Array.from({ length: pairs }, (_, j) => entries[2 * j + 1]!);
    const rightWins = lessThanLanes(g, left.map((l, j) => ({ a: l.value, b: right[j]!.value })), options);
    // The last round of an argmax needs only the winning index.
    const needValue = !withIndex || entries.length > 2;
    const lanes = left.map((l, j) => ({
      select: rightWins[j]!,
      x: [...(needValue ? l.value : []), ...l.index],
      y: [...(needValue ? right[j]!.value : []), ...right[j]!.index],
    }));
    const width = needValue ? xs[0]!.length : 0;
    const winners: Entry<W>[] = muxLanes(g, lanes).map((bits) => ({ value: bits.slice(0, width), index: bits.slice(width) }));
    if (entries.length % 2 === 1) winners.push(entries[entries.length - 1]!);
    entries = winners;
  }
  return entries[0]!;
}

/** The largest value (unsigned, or two's complement with `signed`). (k − 1)·2w ANDs. */
export function maximum<W>(g: Gates<W>, xs: readonly (readonly Bit<W>[])[], options?: CompareOptions): Bits<W> {
  return [...tournament(g, xs, options, false).value];
}

/** The index of the first largest value, ⌈log2 k⌉ bits (at least 1), LSB first. */
export function argmax<W>(g: Gates<W>, xs: readonly (readonly Bit<W>[])[], options?: CompareOptions): Bits<W> {
  return [...tournament(g, xs, options, true).index];
}
