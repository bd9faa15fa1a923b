/**
 * Ripple-carry addition and subtraction (the AND-minimal adder: one AND per carry, Boyar-Peralta /
 * Kolesnikov-Schneider free-XOR style): c_{i+1} = c_i ⊕ ((a_i ⊕ c_i) ∧ (b_i ⊕ c_i)), s_i = a_i ⊕ b_i ⊕ c_i.
 * Several independent adders ("lanes") advance in lockstep, so carry i of every lane is one AND batch.
 *
 * AND counts for w-bit wire operands (public-constant operands fold and can only cost less):
 *   add (w + 1-bit result, carry out) w · addWrap (mod 2^w) w − 1 · sub (difference and borrow) w ·
 *   subWrap (mod 2^w) w − 1.
 */
import { type Bit, type Bits, Gates, isConst, ONE, ZERO } from './gates.ts';

export interface AdderLane<W> {
  readonly a: readonly Bit<W>[];
  readonly b: readonly Bit<W>[];
  /** Carry into bit 0 (default 0; 1 for subtraction as a + ¬b + 1). */
  readonly carryIn?: Bit<W>;
}

/** One lane's carries c_0 .. c_count, and (for sums) the x_i = a_i ⊕ c_i its chain computed on the way. */
interface Chain<W> {
  readonly carries: Bits<W>;
  readonly x: Bits<W>;
}

/** `withSums`: also keep x_i for every bit (a constant b_i otherwise needs no a_i ⊕ c_i at all). */
function chains<W>(g: Gates<W>, lanes: readonly AdderLane<W>[], count: number, withSums: boolean): Chain<W>[] {
  const out = lanes.map((lane): Chain<W> => {
    if (lane.a.length !== lane.b.length) throw new RangeError(`adder operands have widths ${lane.a.length} and ${lane.b.length}`);
    if (count > lane.a.length) throw new RangeError(`${count} carries asked of a ${lane.a.length}-bit adder`);
    return { carries: [lane.carryIn ?? ZERO], x: [] };
  });
  for (let i = 0; i < count; i++) {
    // A constant b_i makes the carry a plain AND (b_i = 0: a_i ∧ c_i) or OR (b_i = 1: ¬(¬a_i ∧ ¬c_i)),
    // which saves the XOR c_i ⊕ t; otherwise (a_i ⊕ c_i) ∧ (b_i ⊕ c_i). Same AND count either way.
    const operands = lanes.map((lane, j): [Bit<W>, Bit<W>] => {
      const [a, b, c] = [lane.a[i]!, lane.b[i]!, out[j]!.carries[i]!];
      const x = !isConst(b) || withSums ? g.xor(a, c) : undefined;
      if (x !== undefined) out[j]!.x.push(x);
      if (!isConst(b)) return [x!, g.xor(b, c)];
      return b.value === 0 ? [a, c] : [g.not(a), g.not(c)];
    });
    g.andN(operands.map((o) => o[0]), operands.map((o) => o[1])).forEach((t, j) => {
      const [b, c] = [lanes[j]!.b[i]!, out[j]!.carries[i]!];
      out[j]!.carries.push(!isConst(b) ? g.xor(c, t) : b.value === 0 ? t : g.not(t));
    });
  }
  return out;
}

/**
 * Carries c_0 .. c_count of every lane (c_0 the carry in), `count` ANDs per lane at most, one
 * `andN` batch per bit position across all lanes. Operands of a lane must have equal widths ≥ count.
 */
export function carryChains<W>(g: Gates<W>, lanes: readonly AdderLane<W>[], count: number): Bits<W>[] {
  return chains(g, lanes, count, false).map((c) => c.carries);
}

/**
 * s_i = a_i ⊕ b_i ⊕ c_i (free), as x_i ⊕ b_i where the chain has x_i = a_i ⊕ c_i: one XOR a bit
 * instead of two (none when b_i is constant). Free gates still cost a pass over every instance's
 * label, so fewer of them is garbling time saved.
 */
function sumBits<W>(g: Gates<W>, a: readonly Bit<W>[], b: readonly Bit<W>[], chain: Chain<W>): Bits<W> {
  return a.map((ai, i) => (i < chain.x.length ? g.xor(chain.x[i]!, b[i]!) : g.xor(g.xor(ai, b[i]!), chain.carries[i]!)));
}

/** Sums of several lanes; `carryOut` appends the final carry (w ANDs a lane, else w − 1). */
export function addLanes<W>(g: Gates<W>, lanes: readonly AdderLane<W>[], carryOut: boolean): Bits<W>[] {
  const width = lanes[0]?.a.length ?? 0;
  if (lanes.some((l) => l.a.length !== width)) throw new RangeError('adder lanes must share one width');
  const count = carryOut ? width : Math.max(0, width - 1);
  return chains(g, lanes, count, true).map((c, j) => {
    const sum = sumBits(g, lanes[j]!.a, lanes[j]!.b, c);
    if (carryOut) sum.push(c.carries[width]!);
    return sum;
  });
}

/** a + b as a (w + 1)-bit value. w ANDs. */
export function add<W>(g: Gates<W>, a: readonly Bit<W>[], b: readonly Bit<W>[]): Bits<W> {
  return addLanes(g, [{ a, b }], true)[0]!;
}

/** (a + b) mod 2^w. w − 1 ANDs. */
export function addWrap<W>(g: Gates<W>, a: readonly Bit<W>[], b: readonly Bit<W>[]): Bits<W> {
  return addLanes(g, [{ a, b }], false)[0]!;
}

/** (a − b) mod 2^w and the borrow [a < b] (unsigned), as a + ¬b + 1. w ANDs. */
export function sub<W>(g: Gates<W>, a: readonly Bit<W>[], b: readonly Bit<W>[]): { diff: Bits<W>; borrow: Bit<W> } {
  const sum = addLanes(g, [{ a, b: b.map((x) => g.not(x)), carryIn: ONE }], true)[0]!;
  const carry = sum.pop()!;
  return { diff: sum, borrow: g.not(carry) };
}

/** (a − b) mod 2^w. w − 1 ANDs. */
export function subWrap<W>(g: Gates<W>, a: readonly Bit<W>[], b: readonly Bit<W>[]): Bits<W> {
  return addLanes(g, [{ a, b: b.map((x) => g.not(x)), carryIn: ONE }], false)[0]!;
}

/** Widen an unsigned value with constant zeros (free). */
export function zeroExtend<W>(a: readonly Bit<W>[], width: number): Bits<W> {
  if (width < a.length) throw new RangeError(`cannot zero-extend ${a.length} bits to ${width}`);
  return [...a, ...Array.from({ length: width - a.length }, () => ZERO)];
}
