/**
 * BatchNormalization folded into the linear layer before it (issue 10, item 2): per output channel
 * c, with g = scale[c]/√(variance[c] + ε), W'[c] = g·W[c] and b'[c] = g·(b[c] − mean[c]) + bias[c].
 * The protocol has no BatchNorm layer: it is a per-channel affine map, free inside the conv or dense
 * layer before it. A BatchNorm anywhere else (first, or after a non-linear layer) is an error.
 */
import { ModelFormatError } from '../errors.ts';
import type { FloatBatchNorm, FloatConv2d, FloatDense, FloatLayer, FloatModel } from './float-model.ts';
import { floatLayerShapes } from './float-shapes.ts';

function fold(linear: FloatConv2d | FloatDense, bn: FloatBatchNorm): FloatConv2d | FloatDense {
  const rows = linear.bias.length;
  const taps = linear.weights.length / rows;
  const weights = new Float64Array(linear.weights.length);
  const bias = new Float64Array(rows);
  for (let c = 0; c < rows; c++) {
    const gain = bn.scale[c]! / Math.sqrt(bn.variance[c]! + bn.epsilon);
    for (let j = c * taps; j < (c + 1) * taps; j++) weights[j] = gain * linear.weights[j]!;
    bias[c] = gain * (linear.bias[c]! - bn.mean[c]!) + bn.bias[c]!;
  }
  return { ...linear, weights, bias };
}

/** The same model with every BatchNorm folded into the conv2d or dense layer right before it. */
export function foldBatchNorm(model: FloatModel): FloatModel {
  floatLayerShapes(model); // channel counts and array sizes checked before folding
  const layers: FloatLayer[] = [];
  for (const layer of model.layers) {
    if (layer.kind !== 'batchnorm') {
      layers.push(layer);
      continue;
    }
    const previous = layers.at(-1);
    if (previous === undefined || (previous.kind !== 'conv2d' && previous.kind !== 'dense')) {
      throw new ModelFormatError(
        `a BatchNorm must follow a conv2d or dense layer to be folded into it; it follows ${previous === undefined ? 'the input' : `${previous.kind} layer "${previous.name}"`}`,
        { layer: layer.name },
      );
    }
    layers[layers.length - 1] = fold(previous, layer);
  }
  return { ...model, layers };
}
