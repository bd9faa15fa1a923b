/**
 * The plaintext integer model of the linear layers: dense and conv2d with bias, mod p, straight
 * from the definitions in `core/linear.ts` (no packing, no rotations). The packed kernels must
 * agree with it exactly; it is also the integer model of the inference engine (design §6).
 */
import {
  conv2dOutputSize,
  conv2dPadding,
  linearInputLength,
  validateLinearSpec,
  validateLinearWeights,
  type Conv2dSpec,
  type DenseSpec,
  type LinearSpec,
  type LinearWeights,
} from './linear.ts';
import { addMod, checkModulus, mulMod, reduceMod } from './modp.ts';

function reducedWeights(weights: Int32Array, p: number): Uint32Array {
  return Uint32Array.from(weights, (w) => reduceMod(w, p));
}

/** y = W·x + b mod p for a dense layer; x has `spec.inputs` values in [0, p). */
export function denseReference(spec: DenseSpec, weights: LinearWeights, x: Uint32Array, p: number): Uint32Array {
  const [add, mul] = [addMod, mulMod]; // one module-binding lookup, not one per product
  const matrix = reducedWeights(weights.weights, p);
  const y = new Uint32Array(spec.outputs);
  for (let r = 0; r < spec.outputs; r++) {
    let acc = reduceMod(weights.bias[r]!, p);
    for (let c = 0; c < spec.inputs; c++) {
      acc = add(acc, mul(matrix[r * spec.inputs + c]!, x[c]!, p), p);
    }
    y[r] = acc;
  }
  return y;
}

/**
 * Conv2d + bias mod p. Input `C_in×H×W` channel-major, output `C_out×H_out×W_out`; taps outside the
 * image read zero (see `Conv2dSpec.padding`).
 */
export function conv2dReference(spec: Conv2dSpec, weights: LinearWeights, x: Uint32Array, p: number): Uint32Array {
  const { height: outH, width: outW } = conv2dOutputSize(spec);
  const { inChannels: ci, height: h, width: w, kernelSize: k, stride } = spec;
  const pad = conv2dPadding(spec);
  const [add, mul] = [addMod, mulMod]; // one module-binding lookup, not one per product
  const kernel = reducedWeights(weights.weights, p);
  const y = new Uint32Array(spec.outChannels * outH * outW);
  for (let o = 0; o < spec.outChannels; o++) {
    const bias = reduceMod(weights.bias[o]!, p);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let acc = bias;
        for (let i = 0; i < ci; i++) {
          for (let ky = 0; ky < k; ky++) {
            const iy = oy * stride + ky - pad;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < k; kx++) {
              const ix = ox * stride + kx - pad;
              if (ix < 0 || ix >= w) continue;
              acc = add(acc, mul(kernel[((o * ci + i) * k + ky) * k + kx]!, x[(i * h + iy) * w + ix]!, p), p);
            }
          }
        }
        y[(o * outH + oy) * outW + ox] = acc;
      }
    }
  }
  return y;
}

/** The reference for any linear layer, with argument checks. */
export function linearReference(spec: LinearSpec, weights: LinearWeights, x: Uint32Array, p: number): Uint32Array {
  validateLinearSpec(spec);
  validateLinearWeights(spec, weights);
  checkModulus(p);
  if (x.length !== linearInputLength(spec)) throw new RangeError(`${spec.kind} layer: expected ${linearInputLength(spec)} inputs, got ${x.length}`);
  for (const v of x) if (v >= p) throw new RangeError(`input value ${v} is not reduced mod ${p}`);
  return spec.kind === 'dense' ? denseReference(spec, weights, x, p) : conv2dReference(spec, weights, x, p);
}
