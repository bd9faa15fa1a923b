/**
 * Float inference of a float model (as trained): the quantiser's calibration and the
 * float-vs-quantised accuracy comparison run it. Same layouts and geometry as the integer
 * reference (`core/linear-reference.ts`, `pool.ts`).
 */
import { ModelFormatError } from '../errors.ts';
import { linearApply } from '../linear-reference.ts';
import { shapeSize, type Shape } from './architecture.ts';
import type { FloatBatchNorm, FloatLayer, FloatModel } from './float-model.ts';
import { floatLayerShapes, floatLinearSpec } from './float-shapes.ts';
import { poolApply, squareWindow } from './pool.ts';

function batchNorm(layer: FloatBatchNorm, x: Float64Array, shape: Shape): Float64Array {
  const area = shape.height * shape.width;
  const y = new Float64Array(x.length);
  for (let c = 0; c < shape.channels; c++) {
    const gain = layer.scale[c]! / Math.sqrt(layer.variance[c]! + layer.epsilon);
    for (let i = c * area; i < (c + 1) * area; i++) y[i] = gain * (x[i]! - layer.mean[c]!) + layer.bias[c]!;
  }
  return y;
}

function layerApply(layer: FloatLayer, x: Float64Array, shape: Shape): Float64Array {
  switch (layer.kind) {
    case 'conv2d':
    case 'dense':
      return linearApply(floatLinearSpec(layer, shape), layer, x);
    case 'batchnorm':
      return batchNorm(layer, x, shape);
    case 'relu':
      return x.map((v) => Math.max(0, v));
    case 'square':
      return x.map((v) => v * v);
    case 'maxpool':
      return poolApply('max', x, shape, squareWindow(layer.window, layer.stride));
    case 'avgpool':
      return poolApply('sum', x, shape, squareWindow(layer.window, layer.stride)).map((v) => v / layer.window ** 2);
    case 'globalavgpool':
      return poolApply('sum', x, shape, { height: shape.height, width: shape.width, stride: 1 }).map((v) => v / (shape.height * shape.width));
  }
}

/** The output of every layer (index i: after layer i) on the float input `x` (C×H×W). */
export function floatActivations(model: FloatModel, x: Float64Array): Float64Array[] {
  const shapes = floatLayerShapes(model);
  if (x.length !== shapeSize(model.input.shape)) {
    throw new ModelFormatError(`the input has ${x.length} values, the model takes ${shapeSize(model.input.shape)}`, { field: 'input' });
  }
  const outputs: Float64Array[] = [];
  let [value, shape] = [x, model.input.shape];
  model.layers.forEach((layer, i) => {
    value = layerApply(layer, value, shape);
    shape = shapes[i]!;
    outputs.push(value);
  });
  return outputs;
}

/** The model's output (logits) on the float input `x`. */
export function floatInference(model: FloatModel, x: Float64Array): Float64Array {
  return floatActivations(model, x).at(-1)!;
}
