/**
 * Small random models for property tests: a random sequence of layers that fits the shape flowing
 * through it (every kind the format has), random weights, ending in a dense layer to the classes.
 * fast-check draws the parameters below; the rest follows from a seeded stream.
 */
import fc from 'fast-check';
import { ARCHITECTURE_FORMAT, shapeSize, type Architecture, type Layer, type Shape } from '../../core/model/architecture.ts';
import type { FloatLayer, FloatModel } from '../../core/model/float-model.ts';
import type { Model } from '../../core/model/model.ts';
import { NumberStream } from '../../core/model/number-stream.ts';
import type { LinearWeights } from '../../core/linear.ts';
import { seededRandom } from '../../core/random.ts';

export interface ModelDraw {
  readonly seed: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly layers: number;
  readonly classes: number;
}

export const modelDraws: fc.Arbitrary<ModelDraw> = fc.record({
  seed: fc.nat(),
  channels: fc.integer({ min: 1, max: 3 }),
  height: fc.integer({ min: 3, max: 7 }),
  width: fc.integer({ min: 3, max: 7 }),
  layers: fc.integer({ min: 0, max: 6 }),
  classes: fc.integer({ min: 1, max: 5 }),
});

const pick = <T>(rng: NumberStream, items: readonly T[]): T => items[rng.integer(0, items.length - 1)]!;

type Kind = 'conv2d' | 'dense' | 'relu' | 'square' | 'pool' | 'rescale' | 'batchnorm' | 'globalavgpool';

/** The shape-changing part of a random layer sequence, shared by the integer and float builders. */
interface Step {
  readonly kind: Kind;
  readonly conv?: { outChannels: number; kernelSize: number; stride: number; padding: 'same' | 'valid' };
  readonly outputs?: number;
  readonly pool?: { window: number; stride: number };
  readonly shift?: number;
}

function outShape(step: Step, s: Shape): Shape {
  if (step.conv) {
    const { kernelSize: k, stride, padding, outChannels } = step.conv;
    const size = (n: number) => (padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - k) / stride) + 1);
    return { channels: outChannels, height: size(s.height), width: size(s.width) };
  }
  if (step.outputs !== undefined) return { channels: step.outputs, height: 1, width: 1 };
  if (step.pool) {
    const size = (n: number) => Math.floor((n - step.pool!.window) / step.pool!.stride) + 1;
    return { channels: s.channels, height: size(s.height), width: size(s.width) };
  }
  if (step.kind === 'globalavgpool') return { channels: s.channels, height: 1, width: 1 };
  return s;
}

/** A random sequence of steps from `input`, ending with a dense layer to `classes`; squares feed linear layers. */
function randomSteps(rng: NumberStream, draw: ModelDraw, kinds: readonly Kind[]): Step[] {
  const steps: Step[] = [];
  let shape: Shape = { channels: draw.channels, height: draw.height, width: draw.width };
  const linear = (): Step => {
    const small = Math.min(shape.height, shape.width);
    if (rng.integer(0, 2) > 0 && small >= 1) {
      const padding = rng.integer(0, 1) === 0 ? 'same' : 'valid';
      const kernelSize = pick(rng, [1, 3, 5].filter((k) => padding === 'same' || k <= small));
      return { kind: 'conv2d', conv: { outChannels: rng.integer(1, 3), kernelSize, stride: rng.integer(1, 2), padding } };
    }
    return { kind: 'dense', outputs: rng.integer(1, 6) };
  };
  for (let i = 0; i < draw.layers; i++) {
    const previous = steps.at(-1)?.kind;
    const afterLinear = previous === 'conv2d' || previous === 'dense';
    let kind: Kind = previous === 'square' ? pick(rng, ['conv2d', 'dense'] as const) : pick(rng, kinds.filter((k) => k !== 'batchnorm'));
    // A BatchNorm only where it can be folded: after a linear layer, half the time.
    if (kinds.includes('batchnorm') && afterLinear && rng.integer(0, 1) === 0) kind = 'batchnorm';
    let step: Step;
    if (kind === 'conv2d' || kind === 'dense') step = linear();
    else if (kind === 'pool') {
      const window = rng.integer(1, Math.min(3, shape.height, shape.width));
      step = { kind, pool: { window, stride: rng.integer(1, 3) } };
    } else if (kind === 'rescale') step = { kind, shift: rng.integer(1, 3) };
    else step = { kind };
    steps.push(step);
    shape = outShape(step, shape);
  }
  steps.push({ kind: 'dense', outputs: draw.classes });
  return steps;
}

/**
 * A random quantised model: weights in [−3, 3], biases in [−5, 5], inputs in [−8, 8] (scale 0), with
 * the plaintext prime `p` (a small p makes many models overflow).
 */
export function randomIntegerModel(draw: ModelDraw, p: number): Model {
  const rng = new NumberStream(seededRandom(String(draw.seed), 'random-integer-model'));
  const weights = new Map<string, LinearWeights>();
  const layers: Layer[] = [];
  let shape: Shape = { channels: draw.channels, height: draw.height, width: draw.width };
  randomSteps(rng, draw, ['conv2d', 'dense', 'relu', 'square', 'pool', 'rescale']).forEach((step, i) => {
    const name = `${step.kind}${i}`;
    const ints = (n: number, bound: number) => Int32Array.from({ length: n }, () => rng.integer(-bound, bound));
    if (step.conv) {
      const c = step.conv;
      layers.push({ kind: 'conv2d', name, inChannels: shape.channels, height: shape.height, width: shape.width, weightScaleBits: 0, ...c });
      weights.set(name, { weights: ints(c.outChannels * shape.channels * c.kernelSize ** 2, 3), bias: ints(c.outChannels, 5) });
    } else if (step.outputs !== undefined) {
      layers.push({ kind: 'dense', name, inputs: shapeSize(shape), outputs: step.outputs, weightScaleBits: 0 });
      weights.set(name, { weights: ints(step.outputs * shapeSize(shape), 3), bias: ints(step.outputs, 5) });
    } else if (step.pool) layers.push({ kind: rng.integer(0, 1) === 0 ? 'maxpool' : 'sumpool', name, ...step.pool });
    else if (step.kind === 'rescale') layers.push({ kind: 'rescale', name, shift: step.shift! });
    else layers.push({ kind: step.kind as 'relu' | 'square', name });
    shape = outShape(step, shape);
  });
  const architecture: Architecture = {
    format: ARCHITECTURE_FORMAT,
    name: `random-${draw.seed}`,
    input: { shape: { channels: draw.channels, height: draw.height, width: draw.width }, floatRange: [-8, 8], scaleBits: 0, min: -8, max: 8 },
    plainModulus: p,
    layers,
    output: { classes: draw.classes, scaleBits: 0 },
  };
  return { architecture, weights };
}

/** A random float model with BatchNorm after some linear layers, average pools and global average pools. */
export function randomFloatModel(draw: ModelDraw): FloatModel {
  const rng = new NumberStream(seededRandom(String(draw.seed), 'random-float-model'));
  const floats = (n: number, lo: number, hi: number) => rng.floats(n, () => lo + (hi - lo) * rng.uniform());
  const layers: FloatLayer[] = [];
  let shape: Shape = { channels: draw.channels, height: draw.height, width: draw.width };
  randomSteps(rng, draw, ['conv2d', 'dense', 'relu', 'square', 'pool', 'batchnorm', 'globalavgpool']).forEach((step, i) => {
    const name = `${step.kind}${i}`;
    if (step.conv) {
      const c = step.conv;
      layers.push({ kind: 'conv2d', name, inChannels: shape.channels, ...c, weights: floats(c.outChannels * shape.channels * c.kernelSize ** 2, -1, 1), bias: floats(c.outChannels, -1, 1) });
    } else if (step.outputs !== undefined) {
      const inputs = shapeSize(shape);
      layers.push({ kind: 'dense', name, inputs, outputs: step.outputs, weights: floats(step.outputs * inputs, -1, 1), bias: floats(step.outputs, -1, 1) });
    } else if (step.pool) layers.push({ kind: rng.integer(0, 1) === 0 ? 'maxpool' : 'avgpool', name, ...step.pool });
    else if (step.kind === 'batchnorm') {
      const n = shape.channels;
      layers.push({ kind: 'batchnorm', name, scale: floats(n, -2, 2), bias: floats(n, -1, 1), mean: floats(n, -1, 1), variance: floats(n, 0.1, 3), epsilon: 1e-5 });
    } else layers.push({ kind: step.kind as 'relu' | 'square' | 'globalavgpool', name });
    shape = outShape(step, shape);
  });
  return { name: `random-float-${draw.seed}`, input: { shape: { channels: draw.channels, height: draw.height, width: draw.width }, floatRange: [0, 1] }, layers };
}
