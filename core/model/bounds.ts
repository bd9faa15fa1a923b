/**
 * The no-wrap-around proof of a quantised model (issue 10, item 3): interval arithmetic per element,
 * from the architecture's input range through every layer with the actual integer weights. If every
 * bound stays within ±⌊(p−1)/2⌋, no input in the range can make any value wrap mod p, so the
 * protocol computes exactly the plaintext reference.
 *
 * Each rule gives the exact range of its layer over the incoming box of intervals: an affine map's
 * extremes over a box are at its corners (centre ± |W|·radius); relu, rescale (floor) and max are
 * monotone; a sum adds the ends; x² over [lo, hi] is [0, max(lo², hi²)] when the interval holds 0.
 * The box itself over-approximates the set of reachable values after the first layer, so the proof
 * is sound but conservative.
 */
import { ModelRangeError } from '../errors.ts';
import { signedBound } from '../modp.ts';
import { shapeSize, type Layer, type LinearLayer, type Shape } from './architecture.ts';
import { checkExact, maxMagnitude } from './exact-linear.ts';
import { linearApply } from '../linear-reference.ts';
import { linearOutputLength, type LinearWeights } from '../linear.ts';
import type { Model } from './model.ts';
import { poolApply, squareWindow } from './pool.ts';
import { validateModel } from './validate.ts';

/** Per-element bounds of one tensor. */
export interface Box {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

export interface LayerBound {
  readonly name: string;
  readonly kind: Layer['kind'];
  /** The smallest and largest value any element of the layer's output can take. */
  readonly min: number;
  readonly max: number;
  /** max(|min|, |max|). */
  readonly magnitude: number;
  /** log2(⌊(p−1)/2⌋ / max(magnitude, 1)): bits to spare before wrap-around (negative: it would wrap). */
  readonly headroomBits: number;
}

export interface BoundsProof {
  /** The largest magnitude allowed, ⌊(p−1)/2⌋. */
  readonly limit: number;
  /** Bounds of every layer up to and including the first that does not fit. */
  readonly layers: readonly LayerBound[];
  /** Index of the first layer whose bound reaches p/2, or -1 when the whole model fits. */
  readonly failedAt: number;
}

function linearBox(layer: LinearLayer, { weights, bias }: LinearWeights, box: Box): Box {
  const mid = box.lo.map((lo, i) => (lo + box.hi[i]!) / 2);
  const radius = box.lo.map((lo, i) => (box.hi[i]! - lo) / 2);
  const absWeights = Float64Array.from(weights, Math.abs);
  try {
    checkExact(layer, { weights, bias }, Math.max(maxMagnitude(box.lo), maxMagnitude(box.hi)));
  } catch (error) {
    // Far beyond any plaintext prime: no finite bound is claimed, so the proof fails here.
    if (!(error instanceof ModelRangeError)) throw error;
    const outputs = linearOutputLength(layer);
    return { lo: new Float64Array(outputs).fill(-Infinity), hi: new Float64Array(outputs).fill(Infinity) };
  }
  const centre = linearApply(layer, { weights, bias }, mid);
  const spread = linearApply(layer, { weights: absWeights, bias: new Float64Array(bias.length) }, radius);
  return { lo: centre.map((c, i) => c - spread[i]!), hi: centre.map((c, i) => c + spread[i]!) };
}

/**
 * The bounds of `layer`'s output from the bounds `box` of its input (of shape `shape`); `weights`
 * for a linear layer. The quantiser builds a model layer by layer with it.
 */
export function layerBox(layer: Layer, weights: LinearWeights | undefined, box: Box, shape: Shape): Box {
  const both = (f: (values: Float64Array) => Float64Array): Box => ({ lo: f(box.lo), hi: f(box.hi) });
  switch (layer.kind) {
    case 'conv2d':
    case 'dense':
      return linearBox(layer, weights!, box);
    case 'relu':
      return both((v) => v.map((x) => Math.max(0, x)));
    case 'rescale':
      return both((v) => v.map((x) => Math.floor(x / 2 ** layer.shift)));
    case 'maxpool':
    case 'sumpool':
      return both((v) => poolApply(layer.kind === 'maxpool' ? 'max' : 'sum', v, shape, squareWindow(layer.window, layer.stride)));
    case 'square': {
      const lo = box.lo.map((l, i) => (l > 0 ? l * l : box.hi[i]! < 0 ? box.hi[i]! ** 2 : 0));
      const hi = box.lo.map((l, i) => Math.max(l * l, box.hi[i]! ** 2));
      return { lo, hi };
    }
  }
}

/** The summary of a layer's output box against the largest magnitude allowed. */
export function layerBound(layer: Layer, box: Box, limit: number): LayerBound {
  const min = box.lo.reduce((a, b) => Math.min(a, b), Infinity);
  const max = box.hi.reduce((a, b) => Math.max(a, b), -Infinity);
  const magnitude = Math.max(-min, max);
  return { name: layer.name, kind: layer.kind, min, max, magnitude, headroomBits: Math.log2(limit / Math.max(magnitude, 1)) };
}

/** Bounds of every value of every layer for all inputs in the architecture's input range. */
export function proveBounds(model: Model): BoundsProof {
  const shapes = validateModel(model);
  const arch = model.architecture;
  const limit = signedBound(arch.plainModulus);
  const n = shapeSize(arch.input.shape);
  let box: Box = { lo: new Float64Array(n).fill(arch.input.min), hi: new Float64Array(n).fill(arch.input.max) };
  let shape = arch.input.shape;
  const layers: LayerBound[] = [];
  for (const [i, layer] of arch.layers.entries()) {
    box = layerBox(layer, model.weights.get(layer.name), box, shape);
    shape = shapes[i]!;
    const bound = layerBound(layer, box, limit);
    layers.push(bound);
    if (bound.magnitude > limit) return { limit, layers, failedAt: i };
  }
  return { limit, layers, failedAt: -1 };
}

/** `proveBounds`, throwing a ModelRangeError naming the first layer that could wrap around. */
export function requireNoWrap(model: Model): BoundsProof {
  const proof = proveBounds(model);
  if (proof.failedAt >= 0) {
    const bad = proof.layers[proof.failedAt]!;
    throw new ModelRangeError(
      `values can reach ${Number.isFinite(bad.magnitude) ? `${bad.magnitude} (2^${Math.log2(bad.magnitude).toFixed(2)})` : 'beyond 2^52'} for inputs in [${model.architecture.input.min}, ${model.architecture.input.max}], ` +
        `beyond ±${proof.limit} = ±(p−1)/2 for p = ${model.architecture.plainModulus}: mod p they would wrap around. Quantise with fewer bits or a larger plaintext prime.`,
      { layer: bad.name },
    );
  }
  return proof;
}
