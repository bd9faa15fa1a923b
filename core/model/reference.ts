/**
 * The plaintext integer reference (design §6): exactly what the secure protocol computes, layer by
 * layer, on exact signed integers with the semantics of architecture.ts. The engine is checked
 * against it bit for bit.
 *
 * Every value of every layer must stay within ±⌊(p−1)/2⌋, where working mod p changes nothing (the
 * quantiser proves it). The reference checks each one and throws a ModelRangeError at the first
 * value that gets there: a wrapped value would make the protocol's result silently differ.
 */
import { ModelRangeError, ModelFormatError } from '../errors.ts';
import { signedBound } from '../modp.ts';
import { shapeSize, type Layer, type Shape } from './architecture.ts';
import { linearExact } from './exact-linear.ts';
import type { Model } from './model.ts';
import { poolApply, squareWindow } from './pool.ts';
import { validateModel } from './validate.ts';

export interface ReferenceResult {
  /** The last layer's output. */
  readonly logits: Int32Array;
  /** Index of the first largest logit. */
  readonly label: number;
  /** Every layer's output (index i: after layer i); the last one is `logits`. */
  readonly activations: Int32Array[];
}

function layerApply(layer: Layer, model: Model, x: Int32Array, shape: Shape): ArrayLike<number> {
  switch (layer.kind) {
    case 'conv2d':
    case 'dense':
      return linearExact(layer, model.weights.get(layer.name)!, x);
    case 'relu':
      return x.map((v) => Math.max(0, v));
    case 'square':
      // Exact below 2^53, and a square that large is far beyond p/2 anyway: the check below throws.
      return Float64Array.from(x, (v) => v * v);
    case 'maxpool':
    case 'sumpool':
      return poolApply(layer.kind === 'maxpool' ? 'max' : 'sum', x, shape, squareWindow(layer.window, layer.stride));
    case 'rescale':
      // Arithmetic shift right: ⌊x / 2^shift⌋ (floor, also for negative x).
      return x.map((v) => v >> layer.shift);
  }
}

/** The values as Int32Array, after checking that each one is within ±⌊(p−1)/2⌋. */
function checkedValues(values: ArrayLike<number>, p: number, layer: string): Int32Array {
  const bound = signedBound(p);
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Math.abs(v) > bound) {
      throw new ModelRangeError(
        `output ${i} is ${v}, beyond ±${bound} = ±(p−1)/2 for p = ${p}: mod p it would wrap around. ` +
          'The quantiser proves this cannot happen for inputs in the architecture\'s input range; re-quantise the model.',
        { layer },
      );
    }
    out[i] = v;
  }
  return out;
}

/** Index of the first largest value. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * Run the quantised model on an integer input (C×H×W, as `quantiseInput` makes it), which must lie
 * in the architecture's [input.min, input.max].
 */
export function referenceInference(model: Model, input: Int32Array): ReferenceResult {
  const shapes = validateModel(model);
  const arch = model.architecture;
  if (input.length !== shapeSize(arch.input.shape)) {
    throw new ModelFormatError(`the input has ${input.length} values, the model takes ${shapeSize(arch.input.shape)}`, { field: 'input' });
  }
  const outside = input.findIndex((v) => v < arch.input.min || v > arch.input.max);
  if (outside >= 0) {
    throw new ModelRangeError(`input value ${outside} is ${input[outside]}, outside the architecture's input range [${arch.input.min}, ${arch.input.max}]`, { field: 'input' });
  }
  const activations: Int32Array[] = [];
  let [value, shape] = [input, arch.input.shape];
  arch.layers.forEach((layer, i) => {
    value = checkedValues(layerApply(layer, model, value, shape), arch.plainModulus, layer.name);
    shape = shapes[i]!;
    activations.push(value);
  });
  return { logits: value, label: argmax(value), activations };
}
