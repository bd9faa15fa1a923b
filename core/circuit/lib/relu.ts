/**
 * ReLU, fixed-point truncation and MaxPool fused with ReLU, on w-bit two's complement values and on
 * Z_p values in the signed reading (values ≥ p/2 negative).
 *
 * AND counts (w bits; k window size): relu w − 1 · reluZp 2w − 2 − t(h) (t: trailing ones of
 * h = ⌊(p − 1)/2⌋) · shiftRightArithmetic 0 · maxPoolRelu (k − 1)·2w + w − 1.
 */
import { maximum } from './argmax.ts';
import { type Bit, type Bits, Gates, ZERO } from './gates.ts';
import { isNegativeZp, modulusWidth } from './modp.ts';

/** x_i ∧ ¬negative for the low w − 1 bits; the top bit is the constant 0. w − 1 ANDs. */
export function zeroIfNegative<W>(g: Gates<W>, x: readonly Bit<W>[], negative: Bit<W>): Bits<W> {
  const keep = g.not(negative);
  const low = x.slice(0, Math.max(0, x.length - 1));
  return [...g.andN(low, low.map(() => keep)), ...(x.length > 0 ? [ZERO] : [])];
}

/** max(x, 0) of a w-bit two's complement value (the sign bit is x's top bit). w − 1 ANDs. */
export function relu<W>(g: Gates<W>, x: readonly Bit<W>[]): Bits<W> {
  if (x.length === 0) throw new RangeError('relu of a 0-bit value');
  return zeroIfNegative(g, x, x[x.length - 1]!);
}

/** ReLU of a Z_p value in the signed reading; the result is in [0, h] ⊂ Z_p. 2w − 2 − t(h) ANDs. */
export function reluZp<W>(g: Gates<W>, y: readonly Bit<W>[], p: number): Bits<W> {
  if (y.length !== modulusWidth(p)) throw new RangeError(`Z_${p} values are ${modulusWidth(p)} bits wide, got ${y.length}`);
  return zeroIfNegative(g, y, isNegativeZp(g, y, p));
}

/** ⌊x / 2^k⌋ of a two's complement value, same width: drop k low bits, repeat the sign. Free. */
export function shiftRightArithmetic<W>(x: readonly Bit<W>[], k: number): Bits<W> {
  if (!Number.isInteger(k) || k < 0 || k >= Math.max(1, x.length)) throw new RangeError(`shift ${k} is outside [0, ${x.length})`);
  const sign = x[x.length - 1]!;
  return [...x.slice(k), ...Array.from({ length: k }, () => sign)];
}

/**
 * max(x_1, .., x_k, 0) of two's complement values: a tournament of signed comparisons and muxes
 * ((k − 1)·2w ANDs, ⌈log2 k⌉ rounds), then one ReLU (w − 1). ReLU after the max, not before, because
 * max and ReLU commute and one ReLU is cheaper than k.
 */
export function maxPoolRelu<W>(g: Gates<W>, xs: readonly (readonly Bit<W>[])[]): Bits<W> {
  return relu(g, maximum(g, xs, { signed: true }));
}
