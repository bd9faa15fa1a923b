/**
 * Validation and shape inference of a quantised model's public architecture (and of the weights
 * against it). Written against untyped input too: an architecture read from JSON goes through
 * here, so every field is checked for its type and range, and every error names the layer and
 * the field.
 */
import { ModelFormatError, type ModelLocation } from '../errors.ts';
import { conv2dOutputSize, linearWeightCounts, validateLinearSpec, type Conv2dSpec } from '../linear.ts';
import { signedBound } from '../modp.ts';
import { ARCHITECTURE_FORMAT, isLinear, shapeSize, type Architecture, type Layer, type Shape } from './architecture.ts';
import { quantisedPixel } from './input.ts';
import type { Model } from './model.ts';

/** Throw a ModelFormatError at `where` unless `value` is an integer in [min, max]. */
export function requireInteger(value: unknown, where: ModelLocation, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new ModelFormatError(`must be an integer ${range}, got ${JSON.stringify(value)}`, where);
  }
  return value;
}

/** Throw a ModelFormatError at `where` unless `value` is a non-empty string. */
export function requireName(value: unknown, where: ModelLocation): string {
  if (typeof value !== 'string' || value.length === 0) throw new ModelFormatError(`must be a non-empty string, got ${JSON.stringify(value)}`, where);
  return value;
}

export function isPrime(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** A shape read from untyped input: three positive integers. */
export function checkShape(shape: unknown, where: ModelLocation): Shape {
  if (typeof shape !== 'object' || shape === null) throw new ModelFormatError('must be an object {channels, height, width}', where);
  const s = shape as Record<string, unknown>;
  for (const field of ['channels', 'height', 'width']) requireInteger(s[field], { ...where, field: `${where.field}.${field}` }, 1);
  return shape as Shape;
}

/** A float input range [lo, hi] read from untyped input: finite, lo < hi. */
export function checkFloatRange(range: unknown, where: ModelLocation): readonly [number, number] {
  if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => typeof v === 'number' && Number.isFinite(v)) || !(range[0] < range[1])) {
    throw new ModelFormatError(`must be [lo, hi] with finite lo < hi, got ${JSON.stringify(range)}`, where);
  }
  return range as [number, number];
}

/** Output size of a pool window sliding every `stride` pixels without padding. */
export function poolOutputSize(size: number, window: number, stride: number): number {
  return Math.floor((size - window) / stride) + 1;
}

/** The output shape of a pool layer (window and stride checked) on `incoming`. */
export function poolShape(layer: { window: unknown; stride: unknown }, incoming: Shape, layerName: string): Shape {
  const window = requireInteger(layer.window, { layer: layerName, field: 'window' }, 1);
  const stride = requireInteger(layer.stride, { layer: layerName, field: 'stride' }, 1);
  if (window > incoming.height || window > incoming.width) {
    throw new ModelFormatError(`a ${window}x${window} window does not fit the incoming ${incoming.height}x${incoming.width} image`, { layer: layerName, field: 'window' });
  }
  return { channels: incoming.channels, height: poolOutputSize(incoming.height, window, stride), width: poolOutputSize(incoming.width, window, stride) };
}

/** The `Conv2dSpec` of a convolution applied to `incoming`, every field checked. */
export function conv2dSpecAt(
  layer: { inChannels: unknown; outChannels: unknown; kernelSize: unknown; stride: unknown; padding: unknown },
  incoming: Shape,
  layerName: string,
): Conv2dSpec {
  const at = (field: string) => ({ layer: layerName, field });
  const inChannels = requireInteger(layer.inChannels, at('inChannels'), 1);
  if (inChannels !== incoming.channels) throw new ModelFormatError(`is ${inChannels} but the incoming tensor has ${incoming.channels} channels`, at('inChannels'));
  const spec: Conv2dSpec = {
    kind: 'conv2d',
    inChannels,
    outChannels: requireInteger(layer.outChannels, at('outChannels'), 1),
    height: incoming.height,
    width: incoming.width,
    kernelSize: requireInteger(layer.kernelSize, at('kernelSize'), 1),
    stride: requireInteger(layer.stride, at('stride'), 1),
    padding: layer.padding as Conv2dSpec['padding'],
  };
  if (spec.padding !== 'same' && spec.padding !== 'valid') throw new ModelFormatError(`must be "same" or "valid", got ${JSON.stringify(layer.padding)}`, at('padding'));
  try {
    validateLinearSpec(spec);
  } catch (error) {
    // What is left after the field checks above: the kernel against the padding and the image.
    throw new ModelFormatError((error as Error).message, at('kernelSize'), { cause: error });
  }
  return spec;
}

/** The output shape of a convolution spec. */
export function conv2dShape(spec: Conv2dSpec): Shape {
  return { channels: spec.outChannels, ...conv2dOutputSize(spec) };
}

/** The output shape of `layer` on `incoming`, with the layer's fields checked (p bounds a rescale's shift). */
export function layerOutputShape(layer: Layer, incoming: Shape, p: number): Shape {
  const at = (field: string) => ({ layer: layer.name, field });
  switch (layer.kind) {
    case 'conv2d': {
      const spec = conv2dSpecAt(layer, incoming, layer.name);
      for (const field of ['height', 'width'] as const) {
        if (layer[field] !== incoming[field]) throw new ModelFormatError(`is ${JSON.stringify(layer[field])} but the incoming image has ${field} ${incoming[field]}`, at(field));
      }
      requireInteger(layer.weightScaleBits, at('weightScaleBits'), 0, 31);
      return conv2dShape(spec);
    }
    case 'dense': {
      const inputs = requireInteger(layer.inputs, at('inputs'), 1);
      if (inputs !== shapeSize(incoming)) {
        throw new ModelFormatError(
          `is ${inputs} but the incoming tensor has ${shapeSize(incoming)} values (${incoming.channels}x${incoming.height}x${incoming.width})`,
          at('inputs'),
        );
      }
      requireInteger(layer.weightScaleBits, at('weightScaleBits'), 0, 31);
      return { channels: requireInteger(layer.outputs, at('outputs'), 1), height: 1, width: 1 };
    }
    case 'relu':
    case 'square':
      return incoming;
    case 'maxpool':
    case 'sumpool':
      return poolShape(layer, incoming, layer.name);
    case 'rescale':
      // A shift of bitlength(p) or more would map every value that fits to 0 or −1.
      requireInteger(layer.shift, at('shift'), 1, Math.ceil(Math.log2(p)) - 1);
      return incoming;
    default:
      throw new ModelFormatError(
        `unknown layer kind ${JSON.stringify((layer as { kind: unknown }).kind)}; valid: conv2d, dense, relu, square, maxpool, sumpool, rescale`,
        at('kind'),
      );
  }
}

function checkInput(arch: Architecture, p: number): void {
  const input = arch.input as unknown as Record<string, unknown> | undefined;
  if (typeof input !== 'object' || input === null) throw new ModelFormatError('missing', { field: 'input' });
  checkShape(input.shape, { field: 'input.shape' });
  const range = checkFloatRange(input.floatRange, { field: 'input.floatRange' });
  const scaleBits = requireInteger(input.scaleBits, { field: 'input.scaleBits' }, 0, 24);
  const h = signedBound(p);
  const min = requireInteger(input.min, { field: 'input.min' }, -h, h);
  const max = requireInteger(input.max, { field: 'input.max' }, min, h);
  const [lo, hi] = [quantisedPixel(range, scaleBits, 0), quantisedPixel(range, scaleBits, 255)];
  if (min > lo || max < hi) {
    throw new ModelFormatError(`[${min}, ${max}] does not contain the quantised float range [${lo}, ${hi}] (floatRange at ${scaleBits} fractional bits)`, { field: 'input.min/max' });
  }
}

function checkOutput(arch: Architecture, finalShape: Shape): void {
  const output = arch.output as unknown as Record<string, unknown> | undefined;
  if (typeof output !== 'object' || output === null) throw new ModelFormatError('missing', { field: 'output' });
  const classes = requireInteger(output.classes, { field: 'output.classes' }, 1);
  if (classes !== shapeSize(finalShape)) throw new ModelFormatError(`is ${classes} but the last layer outputs ${shapeSize(finalShape)} values`, { field: 'output.classes' });
  requireInteger(output.scaleBits, { field: 'output.scaleBits' }, -64, 64);
  const labels = output.labels;
  if (labels !== undefined && (!Array.isArray(labels) || labels.length !== classes || !labels.every((l) => typeof l === 'string'))) {
    throw new ModelFormatError(`must be ${classes} strings, one per class`, { field: 'output.labels' });
  }
}

/**
 * The output shape of every layer (index i: after layer i), after checking the whole architecture:
 * format, plaintext prime, input and output specs, unique layer names, every layer's fields against
 * the incoming shape, and that each square feeds a linear layer (design §8: x² is computed under HE
 * from the client's [c] and [c²], so its result must go straight into a linear layer).
 */
export function layerShapes(arch: Architecture): Shape[] {
  if (typeof arch !== 'object' || arch === null) throw new ModelFormatError('an architecture must be a JSON object');
  if (arch.format !== ARCHITECTURE_FORMAT) throw new ModelFormatError(`must be "${ARCHITECTURE_FORMAT}", got ${JSON.stringify(arch.format)}`, { field: 'format' });
  requireName(arch.name, { field: 'name' });
  const p = arch.plainModulus;
  if (!isPrime(p) || p < 3 || p >= 2 ** 32) throw new ModelFormatError(`must be an odd prime below 2^32, got ${JSON.stringify(p)}`, { field: 'plainModulus' });
  checkInput(arch, p);
  if (!Array.isArray(arch.layers) || arch.layers.length === 0) throw new ModelFormatError('must be a non-empty list', { field: 'layers' });
  const names = new Set<string>();
  const shapes: Shape[] = [];
  let shape = arch.input.shape;
  arch.layers.forEach((layer, i) => {
    if (typeof layer !== 'object' || layer === null) throw new ModelFormatError('must be an object', { field: `layers[${i}]` });
    const name = requireName(layer.name, { field: `layers[${i}].name` });
    if (names.has(name)) throw new ModelFormatError('the name is used by an earlier layer; layer names must be unique', { layer: name, field: 'name' });
    names.add(name);
    shape = layerOutputShape(layer, shape, p);
    shapes.push(shape);
    const next = arch.layers[i + 1];
    if (layer.kind === 'square' && (next === undefined || !isLinear(next))) {
      throw new ModelFormatError(`a square must be followed by a conv2d or dense layer (x² is computed under HE into the next linear layer), got ${next === undefined ? 'the end of the model' : next.kind}`, { layer: name, field: 'kind' });
    }
  });
  checkOutput(arch, shape);
  return shapes;
}

/** Check the architecture (see `layerShapes`). */
export function validateArchitecture(arch: Architecture): void {
  layerShapes(arch);
}

/**
 * Check a whole model: the architecture, and one `LinearWeights` of the right sizes (Int32Array)
 * for each linear layer and for nothing else. Returns the layer shapes.
 */
export function validateModel(model: Model): Shape[] {
  const shapes = layerShapes(model.architecture);
  const linearNames = new Set<string>();
  for (const layer of model.architecture.layers) {
    if (!isLinear(layer)) continue;
    linearNames.add(layer.name);
    const weights = model.weights.get(layer.name);
    if (weights === undefined) throw new ModelFormatError('no weights for this layer', { layer: layer.name });
    const expected = linearWeightCounts(layer);
    for (const field of ['weights', 'bias'] as const) {
      const values = weights[field];
      if (!(values instanceof Int32Array)) throw new ModelFormatError('must be an Int32Array', { layer: layer.name, field });
      if (values.length !== expected[field]) throw new ModelFormatError(`expected ${expected[field]} values, got ${values.length}`, { layer: layer.name, field });
    }
  }
  for (const name of model.weights.keys()) {
    if (!linearNames.has(name)) throw new ModelFormatError('weights given for a layer the architecture has no linear layer of that name', { layer: name });
  }
  return shapes;
}
