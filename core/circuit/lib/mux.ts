/**
 * Multiplexer by the XOR trick: out_i = x_i ⊕ (s ∧ (x_i ⊕ y_i)), one AND per bit (none where x_i ⊕ y_i
 * is a public constant), all bits of all multiplexers in one AND batch.
 */
import { type Bit, type Bits, Gates } from './gates.ts';

export interface MuxLane<W> {
  /** Selector: 0 picks x, 1 picks y. */
  readonly select: Bit<W>;
  readonly x: readonly Bit<W>[];
  readonly y: readonly Bit<W>[];
}

/** Several multiplexers as one AND batch. Σ widths ANDs at most. */
export function muxLanes<W>(g: Gates<W>, lanes: readonly MuxLane<W>[]): Bits<W>[] {
  const sel: Bit<W>[] = [];
  const diff: Bit<W>[] = [];
  for (const { select, x, y } of lanes) {
    if (x.length !== y.length) throw new RangeError(`mux inputs have widths ${x.length} and ${y.length}`);
    x.forEach((bit, i) => {
      sel.push(select);
      diff.push(g.xor(bit, y[i]!));
    });
  }
  const t = g.andN(sel, diff);
  let k = 0;
  return lanes.map(({ x }) => x.map((bit) => g.xor(bit, t[k++]!)));
}

/** select ? y : x. One AND per bit. */
export function mux<W>(g: Gates<W>, select: Bit<W>, x: readonly Bit<W>[], y: readonly Bit<W>[]): Bits<W> {
  return muxLanes(g, [{ select, x, y }])[0]!;
}
