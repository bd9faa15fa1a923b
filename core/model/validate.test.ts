import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelFormatError } from '../errors.ts';
import { ARCHITECTURE_FORMAT, type Architecture, type Layer } from './architecture.ts';
import type { Model } from './model.ts';
import { layerShapes, validateModel } from './validate.ts';

const conv = (over: Partial<Layer> = {}): Layer =>
  ({ kind: 'conv2d', name: 'conv1', inChannels: 1, outChannels: 4, height: 8, width: 8, kernelSize: 3, stride: 2, padding: 'same', weightScaleBits: 4, ...over }) as Layer;

const arch = (layers: readonly Layer[], over: Record<string, unknown> = {}): Architecture =>
  ({
    format: ARCHITECTURE_FORMAT,
    name: 'test',
    input: { shape: { channels: 1, height: 8, width: 8 }, floatRange: [0, 1], scaleBits: 6, min: 0, max: 64 },
    plainModulus: 557057,
    layers,
    output: { classes: 3, scaleBits: 4 },
    ...over,
  }) as Architecture;

const good = arch([
  conv(),
  { kind: 'square', name: 'sq' },
  conv({ name: 'conv2', inChannels: 4, outChannels: 2, height: 4, width: 4, kernelSize: 3, stride: 1, padding: 'valid' }),
  { kind: 'rescale', name: 'shift', shift: 4 },
  { kind: 'relu', name: 'relu' },
  { kind: 'maxpool', name: 'pool', window: 2, stride: 1 },
  { kind: 'sumpool', name: 'sum', window: 1, stride: 1 },
  { kind: 'dense', name: 'fc', inputs: 2, outputs: 3, weightScaleBits: 4 },
]);

test('shapes of every layer: same/stride 2 halves, valid 3x3 shrinks by 2, pools, dense', () => {
  assert.deepEqual(
    layerShapes(good).map((s) => `${s.channels}x${s.height}x${s.width}`),
    ['4x4x4', '4x4x4', '2x2x2', '2x2x2', '2x2x2', '2x1x1', '2x1x1', '3x1x1'],
  );
});

test('each malformed architecture is refused with the layer and field named', () => {
  const replace = (i: number, layer: Layer) => good.layers.map((l, j) => (j === i ? layer : l));
  const cases: [Architecture, RegExp][] = [
    [arch(good.layers, { format: 'gazelle-architecture/9' }), /^format: must be "gazelle-architecture\/1"/],
    [arch(good.layers, { plainModulus: 557056 }), /^plainModulus: must be an odd prime/],
    [arch(good.layers, { input: { ...good.input, max: 63 } }), /^input.min\/max: \[0, 63\] does not contain the quantised float range \[0, 64\]/],
    [arch(good.layers, { input: { ...good.input, shape: { channels: 1, height: 0, width: 8 } } }), /^input.shape.height: must be an integer ≥ 1, got 0/],
    [arch(good.layers, { output: { classes: 4, scaleBits: 0 } }), /^output.classes: is 4 but the last layer outputs 3 values/],
    [arch(good.layers, { layers: [] }), /^layers: must be a non-empty list/],
    [arch(replace(0, conv({ inChannels: 3 }))), /^layer "conv1": inChannels: is 3 but the incoming tensor has 1 channels/],
    [arch(replace(0, conv({ height: 7 }))), /^layer "conv1": height: is 7 but the incoming image has height 8/],
    [arch(replace(0, conv({ kernelSize: 4 }))), /^layer "conv1": kernelSize: .*odd kernel size/],
    [arch(replace(0, conv({ padding: 'full' as 'same' }))), /^layer "conv1": padding: must be "same" or "valid", got "full"/],
    [arch(replace(0, conv({ weightScaleBits: -1 }))), /^layer "conv1": weightScaleBits: must be an integer in \[0, 31\], got -1/],
    [arch(replace(2, conv({ name: 'conv1', inChannels: 4, height: 4, width: 4 }))), /^layer "conv1": name: .*unique/],
    [arch(replace(2, { kind: 'relu', name: 'r' })), /^layer "sq": kind: a square must be followed by a conv2d or dense layer .* got relu/],
    [arch(replace(3, { kind: 'rescale', name: 'shift', shift: 0 })), /^layer "shift": shift: must be an integer in \[1, 19\], got 0/],
    [arch(replace(5, { kind: 'maxpool', name: 'pool', window: 3, stride: 1 })), /^layer "pool": window: a 3x3 window does not fit the incoming 2x2 image/],
    [arch(replace(5, { kind: 'maxpool', name: 'pool', window: 2, stride: 0 })), /^layer "pool": stride: must be an integer ≥ 1, got 0/],
    [arch(replace(7, { kind: 'dense', name: 'fc', inputs: 3, outputs: 3, weightScaleBits: 4 })), /^layer "fc": inputs: is 3 but the incoming tensor has 2 values \(2x1x1\)/],
    [arch(replace(4, { kind: 'softmax', name: 'sm' } as unknown as Layer)), /^layer "sm": kind: unknown layer kind "softmax"/],
    [arch(replace(4, { kind: 'relu' } as unknown as Layer)), /^layers\[4\].name: must be a non-empty string/],
    [arch([conv(), { kind: 'square', name: 'sq' }], { output: { classes: 64, scaleBits: 0 } }), /^layer "sq": kind: a square must be followed .* got the end of the model/],
  ];
  for (const [a, message] of cases) {
    assert.throws(() => layerShapes(a), (e: unknown) => e instanceof ModelFormatError && message.test(e.message), `expected ${message}`);
  }
});

test('a model needs weights of the right sizes for exactly its linear layers', () => {
  const weights = new Map([
    ['conv1', { weights: new Int32Array(36), bias: new Int32Array(4) }],
    ['conv2', { weights: new Int32Array(72), bias: new Int32Array(2) }],
    ['fc', { weights: new Int32Array(6), bias: new Int32Array(3) }],
  ]);
  const model = (w: Map<string, { weights: Int32Array; bias: Int32Array }>): Model => ({ architecture: good, weights: w });
  assert.equal(validateModel(model(weights)).length, 8);
  const without = new Map(weights);
  without.delete('conv2');
  assert.throws(() => validateModel(model(without)), /: layer "conv2": no weights for this layer/);
  assert.throws(() => validateModel(model(new Map([...weights, ['fc', { weights: new Int32Array(5), bias: new Int32Array(3) }]]))), /layer "fc": weights: expected 6 values, got 5/);
  assert.throws(() => validateModel(model(new Map([...weights, ['relu', { weights: new Int32Array(0), bias: new Int32Array(0) }]]))), /layer "relu": weights given for a layer the architecture has no linear layer of that name/);
});
