/**
 * Arithmetic on Z_p values inside a circuit (p a public modulus, values w = bitlength(p) bits wide,
 * LSB first), and the signed reading of Z_p used between layers (docs/architecture.md §3, non-linear layers):
 * y ∈ [0, p) stands for y if y ≤ h = ⌊(p − 1)/2⌋ and for y − p otherwise ("values ≥ p/2 are negative").
 *
 * AND counts for odd p (wire operands; t(x) = trailing one bits of x):
 *   modAdd 3w − 1 (add w, compare with p w, conditional subtract w − 1) · modSub 2w − 1 ·
 *   zpToSigned 2w − 2 − t(h) · signedToZp w − 1 · conditionalAddConstant ≤ w − 1.
 */
import { add, addLanes, carryChains } from './arith.ts';
import { type Bit, type Bits, constantBits, Gates, ONE, ZERO } from './gates.ts';

/** Checks p and returns w = bitlength(p): values in [0, p) and p itself fit in w bits. */
export function modulusWidth(p: number): number {
  if (!Number.isSafeInteger(p) || p < 2 || p > 2 ** 30) throw new RangeError(`modulus must be an integer in [2, 2^30], got ${p}`);
  return Math.floor(Math.log2(p)) + 1;
}

/** h, the largest non-negative value of the signed reading, and m = p − 1 − h, the count of negative ones. */
export function signedRange(p: number): { h: number; m: number } {
  modulusWidth(p);
  const h = Math.floor((p - 1) / 2);
  return { h, m: p - 1 - h };
}

/** Lanes of x + cond·k mod 2^w for a public constant k: the addend bits are cond or 0. ≤ w − 1 ANDs a lane. */
export function conditionalAddConstantLanes<W>(g: Gates<W>, lanes: readonly { x: readonly Bit<W>[]; cond: Bit<W> }[], k: number | bigint): Bits<W>[] {
  return addLanes(
    g,
    lanes.map(({ x, cond }) => ({ a: x, b: constantBits(k, x.length).map((bit) => (bit === ONE ? cond : ZERO)) })),
    false,
  );
}

/** x + cond·k mod 2^w. ≤ w − 1 ANDs. */
export function conditionalAddConstant<W>(g: Gates<W>, x: readonly Bit<W>[], cond: Bit<W>, k: number | bigint): Bits<W> {
  return conditionalAddConstantLanes(g, [{ x, cond }], k)[0]!;
}

function checkWidth(p: number, ...values: (readonly unknown[])[]): number {
  const w = modulusWidth(p);
  for (const v of values) if (v.length !== w) throw new RangeError(`Z_${p} values are ${w} bits wide, got ${v.length}`);
  return w;
}

/**
 * Lanes of (a − b) mod p for a ∈ [0, p), b ∈ [0, p] (b = p is allowed and acts as 0): the w-bit
 * difference with its borrow (w ANDs), plus p where it borrowed (w − 1 ANDs). 2w − 1 ANDs a lane.
 */
export function modSubLanes<W>(g: Gates<W>, pairs: readonly { a: readonly Bit<W>[]; b: readonly Bit<W>[] }[], p: number): Bits<W>[] {
  for (const { a, b } of pairs) checkWidth(p, a, b);
  const w = modulusWidth(p);
  const diffs = addLanes(g, pairs.map(({ a, b }) => ({ a, b: b.map((x) => g.not(x)), carryIn: ONE })), true);
  return conditionalAddConstantLanes(g, diffs.map((d) => ({ x: d.slice(0, w), cond: g.not(d[w]!) })), p);
}

/** (a − b) mod p for a ∈ [0, p), b ∈ [0, p]. 2w − 1 ANDs. */
export function modSub<W>(g: Gates<W>, a: readonly Bit<W>[], b: readonly Bit<W>[], p: number): Bits<W> {
  return modSubLanes(g, [{ a, b }], p)[0]!;
}

/**
 * (a + b) mod p for a, b ∈ [0, p): T = a + b with its carry (w ANDs), [T ≥ p] from the carry chain
 * of T − p (w ANDs: bit 0 is free as p is odd), then T − p·[T ≥ p] mod 2^w as a conditional add of
 * 2^w − p (w − 1 ANDs). 3w − 1 ANDs.
 */
export function modAdd<W>(g: Gates<W>, a: readonly Bit<W>[], b: readonly Bit<W>[], p: number): Bits<W> {
  const w = checkWidth(p, a, b);
  const t = add(g, a, b);
  const carries = carryChains(g, [{ a: t, b: constantBits(p, w + 1).map((bit) => g.not(bit)), carryIn: ONE }], w + 1)[0]!;
  return conditionalAddConstant(g, t.slice(0, w), carries[w + 1]!, 2 ** w - p);
}

/** [h < y]: is the Z_p value y negative in the signed reading. ≤ w − 1 ANDs (w − 1 − t(h)). */
export function isNegativeZp<W>(g: Gates<W>, y: readonly Bit<W>[], p: number): Bit<W> {
  const w = checkWidth(p, y);
  const { h } = signedRange(p);
  const carries = carryChains(g, [{ a: constantBits(h, w), b: y.map((x) => g.not(x)), carryIn: ONE }], w)[0]!;
  return g.not(carries[w]!);
}

/** The signed reading of y ∈ [0, p) as a w-bit two's complement value: y − p·[y > h]. 2w − 2 − t(h) ANDs. */
export function zpToSigned<W>(g: Gates<W>, y: readonly Bit<W>[], p: number): Bits<W> {
  return conditionalAddConstant(g, y, isNegativeZp(g, y, p), 2 ** checkWidth(p, y) - p);
}

/** A w-bit two's complement x ∈ [−p + 1 + h, h] back to Z_p: x + p·[x < 0] mod 2^w. w − 1 ANDs. */
export function signedToZp<W>(g: Gates<W>, x: readonly Bit<W>[], p: number): Bits<W> {
  return conditionalAddConstant(g, x, x[checkWidth(p, x) - 1]!, p);
}
