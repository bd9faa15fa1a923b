import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ModelFormatError } from '../errors.ts';
import type { FloatLayer, FloatModel } from './float-model.ts';
import { floatActivations, floatInference } from './float-inference.ts';
import { foldBatchNorm } from './fold-batchnorm.ts';
import { modelDraws, randomFloatModel } from '../../test/support/random-models.ts';

const f64 = (...values: number[]) => Float64Array.from(values);
const model = (layers: FloatLayer[], shape = { channels: 1, height: 2, width: 2 }): FloatModel => ({ name: 'm', input: { shape, floatRange: [0, 1] }, layers });

test('worked example: conv 1x1, BatchNorm, average pool, dense', () => {
  const m = model([
    { kind: 'conv2d', name: 'conv', inChannels: 1, outChannels: 1, kernelSize: 1, stride: 1, padding: 'valid', weights: f64(2), bias: f64(1) },
    { kind: 'batchnorm', name: 'bn', scale: f64(1), bias: f64(0.5), mean: f64(1), variance: f64(3), epsilon: 1 },
    { kind: 'avgpool', name: 'pool', window: 2, stride: 2 },
    { kind: 'dense', name: 'fc', inputs: 1, outputs: 2, weights: f64(1, -1), bias: f64(0, 1) },
  ]);
  // conv: 2x + 1 = (3, 5, 7, 9); bn: (x − 1)/√4 + 0.5 = (1.5, 2.5, 3.5, 4.5); mean 3; fc (3, −2).
  const outputs = floatActivations(m, f64(1, 2, 3, 4));
  assert.deepEqual(outputs.map((o) => [...o]), [[3, 5, 7, 9], [1.5, 2.5, 3.5, 4.5], [3], [3, -2]]);
});

test('worked example: square, relu, max pool 2/1 and global average pool on a 2-channel 3x3 image', () => {
  const m = model(
    [
      { kind: 'conv2d', name: 'conv', inChannels: 1, outChannels: 2, kernelSize: 1, stride: 1, padding: 'same', weights: f64(1, -1), bias: f64(0, 0) },
      { kind: 'relu', name: 'relu' },
      { kind: 'square', name: 'sq' },
      { kind: 'maxpool', name: 'max', window: 2, stride: 1 },
      { kind: 'globalavgpool', name: 'gap' },
    ],
    { channels: 1, height: 3, width: 3 },
  );
  // channel 0: relu(x)² = (0 1 4 / 0 0 9 / 1 0 0) → 2x2 maxima (1 9 / 1 9) → mean 5;
  // channel 1: relu(−x)² = (1 0 0 / 4 0 0 / 0 16 25) → (4 0 / 16 25) → mean 11.25.
  assert.deepEqual([...floatInference(m, f64(0, 1, 2, -2, 0, 3, 1, -4, -5))], [5, 11.25]);
});

test('folding BatchNorm into the linear layer before it preserves the outputs of random models', () => {
  let withBatchNorm = 0;
  fc.assert(
    fc.property(modelDraws, fc.nat(), (draw, inputSeed) => {
      const m = randomFloatModel(draw);
      const folded = foldBatchNorm(m);
      assert.ok(folded.layers.every((l) => l.kind !== 'batchnorm'));
      if (m.layers.some((l) => l.kind === 'batchnorm')) withBatchNorm++;
      const { channels, height, width } = m.input.shape;
      const x = Float64Array.from({ length: channels * height * width }, (_, i) => ((inputSeed + 31 * i) % 101) / 100);
      const [a, b] = [floatInference(m, x), floatInference(folded, x)];
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= 1e-9 * Math.max(1, Math.abs(v)), `output ${i}: ${v} vs ${b[i]}`));
    }),
    { numRuns: 200 },
  );
  assert.ok(withBatchNorm > 40, `only ${withBatchNorm} models had a BatchNorm`);
});

test('a BatchNorm that does not follow a linear layer cannot be folded: the error names it', () => {
  const bn: FloatLayer = { kind: 'batchnorm', name: 'bn7', scale: f64(1), bias: f64(0), mean: f64(0), variance: f64(1), epsilon: 0 };
  assert.throws(() => foldBatchNorm(model([{ kind: 'relu', name: 'r' }, bn])), (e: unknown) => e instanceof ModelFormatError && /layer "bn7": .*follows relu layer "r"/.test(e.message));
  assert.throws(() => foldBatchNorm(model([bn])), /layer "bn7": .*follows the input/);
});

test('malformed float models are refused naming the layer and field', () => {
  const conv = (over: object): FloatLayer => ({ kind: 'conv2d', name: 'c1', inChannels: 1, outChannels: 1, kernelSize: 1, stride: 1, padding: 'same', weights: f64(1), bias: f64(0), ...over }) as FloatLayer;
  const cases: [FloatLayer[], RegExp][] = [
    [[conv({ inChannels: 2, weights: f64(1, 1) })], /layer "c1": inChannels: is 2 but the incoming tensor has 1 channels/],
    [[conv({ weights: f64(1, 2) })], /layer "c1": weights: expected 1 values, got 2/],
    [[conv({ bias: f64(NaN) })], /layer "c1": bias: value 0 is NaN/],
    [[conv({ kernelSize: 2 })], /layer "c1": kernelSize: .*odd kernel/],
    [[{ kind: 'dense', name: 'd', inputs: 3, outputs: 1, weights: f64(1, 1, 1), bias: f64(0) }], /layer "d": inputs: is 3 but the incoming tensor has 4 values/],
    [[{ kind: 'maxpool', name: 'p', window: 3, stride: 1 }], /layer "p": window: a 3x3 window does not fit the incoming 2x2 image/],
    [[conv({}), conv({})], /layer "c1": name: .*unique/],
    [[{ kind: 'softmax', name: 's' } as unknown as FloatLayer], /layer "s": kind: unknown layer kind "softmax"/],
  ];
  for (const [layers, message] of cases) assert.throws(() => floatInference(model(layers), f64(1, 2, 3, 4)), (e: unknown) => e instanceof ModelFormatError && message.test(e.message), String(message));
});
