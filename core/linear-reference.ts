/**
 * The plaintext models of the linear layers: dense and conv2d with bias, straight from the
 * definitions in `core/linear.ts` (no packing, no rotations), in two arithmetics:
 *
 * - `linearReference`, mod p (any p < 2^32): the packed kernels must agree with it exactly.
 * - `linearApply`, in doubles: float models, and integer models whose partial sums stay below 2^53
 *   (then every product and sum is exact; design §6, the plaintext integer reference).
 *
 * Both walk the same `TapPlan`, so the layer geometry (padding, stride, layout) is written once.
 */
import {
  conv2dOutputSize,
  conv2dPadding,
  linearInputLength,
  validateLinearSpec,
  validateLinearWeights,
  type LinearSpec,
  type LinearWeights,
} from './linear.ts';
import { addMod, checkModulus, mulMod, reduceMod } from './modp.ts';

/**
 * Output (row r, position q) = bias[r] + Σ_j W[r·taps + j] · x̂[bases[q] + offsets[j]], where x̂ is the
 * input zero-padded on every side (conv `same`), so that no tap falls outside it; outputs are laid
 * out row-major (row = output channel, position = pixel), which is the channel-major C×H×W order.
 * Dense: one position, offsets 0..inputs−1, no padding.
 */
interface TapPlan {
  readonly rows: number;
  readonly positions: number;
  readonly taps: number;
  readonly offsets: Int32Array;
  readonly bases: Int32Array;
  /** x̂: the input with its zero border, as doubles (one array type keeps the loops monomorphic). */
  padded(x: ArrayLike<number>): Float64Array;
}

function tapPlan(spec: LinearSpec): TapPlan {
  if (spec.kind === 'dense') {
    return { rows: spec.outputs, positions: 1, taps: spec.inputs, offsets: Int32Array.from({ length: spec.inputs }, (_, j) => j), bases: new Int32Array(1), padded: (x) => Float64Array.from(x) };
  }
  const { inChannels: ci, height: h, width: w, kernelSize: k, stride } = spec;
  const pad = conv2dPadding(spec);
  const [ph, pw] = [h + 2 * pad, w + 2 * pad];
  const { height: outH, width: outW } = conv2dOutputSize(spec);
  const offsets = new Int32Array(ci * k * k);
  for (let i = 0; i < ci; i++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) offsets[(i * k + ky) * k + kx] = (i * ph + ky) * pw + kx;
  const bases = new Int32Array(outH * outW);
  for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) bases[oy * outW + ox] = oy * stride * pw + ox * stride;
  const padded = (x: ArrayLike<number>) => {
    if (pad === 0) return Float64Array.from(x);
    const out = new Float64Array(ci * ph * pw);
    for (let i = 0; i < ci; i++) for (let y = 0; y < h; y++) for (let c = 0; c < w; c++) out[(i * ph + y + pad) * pw + c + pad] = x[(i * h + y) * w + c]!;
    return out;
  };
  return { rows: spec.outChannels, positions: outH * outW, taps: ci * k * k, offsets, bases, padded };
}

function checkArguments(spec: LinearSpec, weights: { weights: ArrayLike<number>; bias: ArrayLike<number> }, x: ArrayLike<number>): void {
  validateLinearSpec(spec);
  validateLinearWeights(spec, weights);
  if (x.length !== linearInputLength(spec)) throw new RangeError(`${spec.kind} layer: expected ${linearInputLength(spec)} inputs, got ${x.length}`);
}

/** y = W·x + b mod p for any linear layer, with argument checks; x has values in [0, p). */
export function linearReference(spec: LinearSpec, weights: LinearWeights, x: Uint32Array, p: number): Uint32Array {
  checkArguments(spec, weights, x);
  checkModulus(p);
  for (const v of x) if (v >= p) throw new RangeError(`input value ${v} is not reduced mod ${p}`);
  const plan = tapPlan(spec);
  const { rows, positions, taps, offsets, bases } = plan;
  const xp = plan.padded(x);
  const [add, mul] = [addMod, mulMod]; // one module-binding lookup, not one per product
  const matrix = Uint32Array.from(weights.weights, (w) => reduceMod(w, p));
  const y = new Uint32Array(rows * positions);
  for (let r = 0; r < rows; r++) {
    const bias = reduceMod(weights.bias[r]!, p);
    for (let q = 0; q < positions; q++) {
      let acc = bias;
      for (let j = 0, base = bases[q]!; j < taps; j++) acc = add(acc, mul(matrix[r * taps + j]!, xp[base + offsets[j]!]!, p), p);
      y[r * positions + q] = acc;
    }
  }
  return y;
}

/**
 * y = W·x + b in double arithmetic, with argument checks. Exact on integers as long as every partial
 * sum stays below 2^53 in magnitude (guaranteed when |b| + Σ|w|·max|x| < 2^53 for every output).
 */
export function linearApply(spec: LinearSpec, weights: { weights: ArrayLike<number>; bias: ArrayLike<number> }, x: ArrayLike<number>): Float64Array {
  checkArguments(spec, weights, x);
  const plan = tapPlan(spec);
  const { rows, positions, taps, offsets, bases } = plan;
  const xp = plan.padded(x);
  const w = Float64Array.from(weights.weights);
  const y = new Float64Array(rows * positions);
  for (let r = 0; r < rows; r++) {
    const [bias, row] = [weights.bias[r]!, r * taps];
    for (let q = 0; q < positions; q++) {
      let acc = bias;
      for (let j = 0, base = bases[q]!; j < taps; j++) acc += w[row + j]! * xp[base + offsets[j]!]!;
      y[r * positions + q] = acc;
    }
  }
  return y;
}
