/**
 * A linear layer of a quantised model computed exactly in doubles (`linearApply`), after checking
 * the a-priori bound that makes it exact: every partial sum of W·x + b is at most
 * |b| + Σ|w|·max|x| in magnitude, and below 2^52 every product and sum of integers (or half
 * integers) is exact. Shared by the reference and the bound prover.
 */
import { ModelRangeError } from '../errors.ts';
import { linearApply } from '../linear-reference.ts';
import type { LinearLayer } from './architecture.ts';

const EXACT_LIMIT = 2 ** 52;

/** Throw unless |b| + Σ|w|·maxInput < 2^52 for every output of the layer. */
export function checkExact(layer: LinearLayer, { weights, bias }: { weights: ArrayLike<number>; bias: ArrayLike<number> }, maxInput: number): void {
  const rows = bias.length;
  const taps = weights.length / rows;
  for (let r = 0; r < rows; r++) {
    let absSum = 0;
    for (let j = r * taps; j < (r + 1) * taps; j++) absSum += Math.abs(weights[j]!);
    if (Math.abs(bias[r]!) + absSum * maxInput >= EXACT_LIMIT) {
      throw new ModelRangeError(`output ${r}: |b| + Σ|w|·max|x| reaches 2^52; the values are far too large for the plaintext space`, { layer: layer.name });
    }
  }
}

/** The largest magnitude in `values`. */
export function maxMagnitude(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]!));
  return max;
}

/** W·x + b, exactly (see above), on integer or half-integer inputs. */
export function linearExact(layer: LinearLayer, weights: { weights: ArrayLike<number>; bias: ArrayLike<number> }, x: ArrayLike<number>): Float64Array {
  checkExact(layer, weights, maxMagnitude(x));
  return linearApply(layer, weights, x);
}

