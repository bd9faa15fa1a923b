/**
 * Validation and shape inference of a float model: every layer's fields and weight arrays against
 * the shape flowing into it. Errors name the layer and the field.
 */
import { ModelFormatError } from '../errors.ts';
import type { Conv2dSpec, DenseSpec } from '../linear.ts';
import { shapeSize, type Shape } from './architecture.ts';
import type { FloatLayer, FloatModel } from './float-model.ts';
import { checkFloatRange, checkShape, conv2dShape, conv2dSpecAt, poolShape, requireInteger, requireName } from './validate.ts';

function requireFloats(values: unknown, length: number, layer: string, field: string): void {
  if (!(values instanceof Float64Array)) throw new ModelFormatError('must be a Float64Array', { layer, field });
  if (values.length !== length) throw new ModelFormatError(`expected ${length} values, got ${values.length}`, { layer, field });
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ModelFormatError(`value ${bad} is ${values[bad]}, not a finite number`, { layer, field });
}

/** The linear spec of a float conv2d or dense layer on `incoming` (fields checked). */
export function floatLinearSpec(layer: FloatLayer & { kind: 'conv2d' | 'dense' }, incoming: Shape): Conv2dSpec | DenseSpec {
  if (layer.kind === 'conv2d') return conv2dSpecAt(layer, incoming, layer.name);
  const inputs = requireInteger(layer.inputs, { layer: layer.name, field: 'inputs' }, 1);
  if (inputs !== shapeSize(incoming)) {
    throw new ModelFormatError(`is ${inputs} but the incoming tensor has ${shapeSize(incoming)} values`, { layer: layer.name, field: 'inputs' });
  }
  return { kind: 'dense', inputs, outputs: requireInteger(layer.outputs, { layer: layer.name, field: 'outputs' }, 1) };
}

function floatLayerShape(layer: FloatLayer, incoming: Shape): Shape {
  const name = layer.name;
  switch (layer.kind) {
    case 'conv2d':
    case 'dense': {
      const spec = floatLinearSpec(layer, incoming);
      const rows = spec.kind === 'dense' ? spec.outputs : spec.outChannels;
      const taps = spec.kind === 'dense' ? spec.inputs : spec.inChannels * spec.kernelSize ** 2;
      requireFloats(layer.weights, rows * taps, name, 'weights');
      requireFloats(layer.bias, rows, name, 'bias');
      return spec.kind === 'dense' ? { channels: rows, height: 1, width: 1 } : conv2dShape(spec);
    }
    case 'batchnorm': {
      for (const field of ['scale', 'bias', 'mean', 'variance'] as const) requireFloats(layer[field], incoming.channels, name, field);
      if (!(layer.epsilon >= 0 && Number.isFinite(layer.epsilon))) throw new ModelFormatError(`must be a finite number ≥ 0, got ${layer.epsilon}`, { layer: name, field: 'epsilon' });
      const bad = layer.variance.findIndex((v) => !(v + layer.epsilon > 0));
      if (bad >= 0) throw new ModelFormatError(`channel ${bad}: variance + epsilon must be positive`, { layer: name, field: 'variance' });
      return incoming;
    }
    case 'relu':
    case 'square':
      return incoming;
    case 'maxpool':
    case 'avgpool':
      return poolShape(layer, incoming, name);
    case 'globalavgpool':
      return { channels: incoming.channels, height: 1, width: 1 };
    default:
      throw new ModelFormatError(
        `unknown layer kind ${JSON.stringify((layer as { kind: unknown }).kind)}; valid: conv2d, dense, batchnorm, relu, square, maxpool, avgpool, globalavgpool`,
        { layer: name, field: 'kind' },
      );
  }
}

/** The output shape of every layer of a float model, after checking all of it. */
export function floatLayerShapes(model: FloatModel): Shape[] {
  requireName(model.name, { field: 'name' });
  let shape = checkShape(model.input?.shape, { field: 'input.shape' });
  checkFloatRange(model.input.floatRange, { field: 'input.floatRange' });
  if (model.layers.length === 0) throw new ModelFormatError('must be a non-empty list', { field: 'layers' });
  const names = new Set<string>();
  return model.layers.map((layer, i) => {
    const name = requireName(layer.name, { field: `layers[${i}].name` });
    if (names.has(name)) throw new ModelFormatError('the name is used by an earlier layer; layer names must be unique', { layer: name, field: 'name' });
    names.add(name);
    shape = floatLayerShape(layer, shape);
    return shape;
  });
}
