import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ModelRangeError } from '../errors.ts';
import { seededRandom } from '../random.ts';
import { proveBounds } from './bounds.ts';
import { floatInference } from './float-inference.ts';
import type { FloatLayer, FloatModel } from './float-model.ts';
import { floatInput, quantiseInput } from './input.ts';
import { randomImages } from './networks.ts';
import { quantise } from './quantise.ts';
import { referenceInference } from './reference.ts';
import { maxMagnitude } from './exact-linear.ts';
import { modelDraws, randomFloatModel } from '../../test/support/random-models.ts';

const f64 = (...values: number[]) => Float64Array.from(values);
const seeded = { random: seededRandom('quantise-test') };
const floatModel = (layers: FloatLayer[], shape = { channels: 1, height: 1, width: 2 }, floatRange: [number, number] = [0, 1]): FloatModel => ({
  name: 'm',
  input: { shape, floatRange },
  layers,
});

test('worked example: one dense layer at 8 input bits and 8 weight bits, and its proven bounds', () => {
  const { model, report } = quantise(floatModel([{ kind: 'dense', name: 'fc', inputs: 2, outputs: 1, weights: f64(0.5, -0.25), bias: f64(0.125) }]), [new Uint8Array(2)], seeded);
  // [0, 1] at 8 bits: inputs 0..256. max|w| = 0.5: the largest scale with |w·2^s| ≤ 127 is 2^7 → (64, −32);
  // the bias at the output scale 2^15: 0.125·2^15 = 4096. Bounds: 64·256 + 4096 and −32·256 + 4096.
  assert.deepEqual(model.architecture.input, { shape: { channels: 1, height: 1, width: 2 }, floatRange: [0, 1], scaleBits: 8, min: 0, max: 256 });
  assert.deepEqual([...model.weights.get('fc')!.weights], [64, -32]);
  assert.deepEqual([...model.weights.get('fc')!.bias], [4096]);
  assert.equal(model.architecture.output.scaleBits, 15);
  assert.deepEqual(model.architecture.layers.map((l) => l.kind), ['dense']); // no rescale after the last layer
  assert.deepEqual([proveBounds(model).layers[0]!.min, proveBounds(model).layers[0]!.max], [-4096, 20480]);
  assert.equal(report.layers[0]!.bound, 20480);
  assert.equal(report.notes.length, 0);
});

test('a model constructed to overflow is refused with the layer named, never returned', () => {
  // Pixels 0..255 taken as they are, 4096 of them summed: 1 044 480 at the fewest bits (input scale 0,
  // weights 1), beyond (p−1)/2 = 278 528.
  const overflow = floatModel([{ kind: 'dense', name: 'sum-of-everything', inputs: 4096, outputs: 1, weights: new Float64Array(4096).fill(1), bias: f64(0) }], { channels: 1, height: 64, width: 64 }, [0, 255]);
  assert.throws(
    () => quantise(overflow, [new Uint8Array(4096)], seeded),
    (e: unknown) => e instanceof ModelRangeError && /layer "sum-of-everything": cannot fit p = 557057: values can reach 2\^19\.99/.test(e.message),
  );
  // A larger prime takes it.
  const { model } = quantise(overflow, [new Uint8Array(4096)], { ...seeded, plainModulus: 4194319 });
  assert.equal(model.architecture.plainModulus, 4194319);
});

test('a square whose result would not fit gets a rescale before it, and the report says so', () => {
  const m = floatModel([
    { kind: 'dense', name: 'fc1', inputs: 2, outputs: 2, weights: f64(1, 1, 1, -1), bias: f64(0, 0) },
    { kind: 'square', name: 'sq' },
    { kind: 'dense', name: 'fc2', inputs: 2, outputs: 1, weights: f64(1, 1), bias: f64(0) },
  ]);
  const { model, report } = quantise(m, randomImages({ channels: 1, height: 1, width: 2 }, 4, 'sq'), seeded);
  // fc1 at 15 bits of scale reaches 2^16: squared, 2^32; a rescale must come between.
  assert.deepEqual(model.architecture.layers.map((l) => l.kind), ['dense', 'rescale', 'square', 'dense']);
  assert.ok(report.notes.some((n) => /fc1: inserted a rescale by \d+ bit\(s\) before square "sq"/.test(n)), report.notes.join('\n'));
});

test('average pools: area 4 adds 2 fractional bits; area 9 is folded into the next layer; logits follow the float model', () => {
  const image = { channels: 1, height: 6, width: 6 };
  const conv: FloatLayer = { kind: 'conv2d', name: 'c', inChannels: 1, outChannels: 1, kernelSize: 1, stride: 1, padding: 'valid', weights: f64(1), bias: f64(0) };
  const dense = (inputs: number): FloatLayer => ({ kind: 'dense', name: 'fc', inputs, outputs: 2, weights: Float64Array.from({ length: 2 * inputs }, (_, i) => ((i % 5) - 2) / 4), bias: f64(0.1, -0.1) });
  const images = randomImages(image, 6, 'pools');
  for (const [window, layers] of [
    [2, [conv, { kind: 'avgpool', name: 'pool', window: 2, stride: 2 }, dense(9)]],
    [3, [conv, { kind: 'avgpool', name: 'pool', window: 3, stride: 3 }, dense(4)]],
    [6, [conv, { kind: 'globalavgpool', name: 'pool' }, dense(1)]],
  ] as const) {
    const m = floatModel([...layers], image);
    const { model } = quantise(m, images, seeded);
    const pool = model.architecture.layers.find((l) => l.name === 'pool')!;
    assert.deepEqual(pool, { kind: 'sumpool', name: 'pool', window, stride: window === 6 ? 1 : window });
    const scale = 2 ** model.architecture.output.scaleBits;
    for (const pixels of images) {
      const expected = floatInference(m, floatInput(m.input, pixels));
      const logits = referenceInference(model, quantiseInput(model.architecture, pixels)).logits;
      expected.forEach((v, i) => assert.ok(Math.abs(logits[i]! / scale - v) < 0.05, `window ${window}: ${logits[i]! / scale} vs ${v}`));
    }
  }
});

test('the report gives float and quantised accuracy on labelled images', () => {
  const m = floatModel([{ kind: 'dense', name: 'fc', inputs: 2, outputs: 2, weights: f64(1, -1, -1, 1), bias: f64(0, 0) }]);
  const images = [Uint8Array.of(200, 10), Uint8Array.of(10, 200), Uint8Array.of(100, 90), Uint8Array.of(0, 255)];
  const { report } = quantise(m, images, { ...seeded, labelled: { images, labels: [0, 1, 1, 1] } });
  assert.deepEqual(report.accuracy, { images: 4, float: 0.75, quantised: 0.75, agreement: 1 });
});

test('property: on random models the quantised reference never throws and the proven bound covers every value seen', () => {
  let [quantised, refused] = [0, 0];
  fc.assert(
    fc.property(modelDraws, fc.nat(), (draw, seed) => {
      const m = randomFloatModel({ ...draw, width: draw.height });
      const images = randomImages(m.input.shape, 3, `cal-${seed}`);
      let result;
      try {
        result = quantise(m, images, seeded);
      } catch (error) {
        // Refusing is allowed (random squares can need more than p has); silently wrong is not.
        assert.ok(error instanceof ModelRangeError, String(error));
        refused++;
        return;
      }
      quantised++;
      const { model, report } = result;
      for (const pixels of [...images, ...randomImages(m.input.shape, 5, `test-${seed}`)]) {
        const { activations } = referenceInference(model, quantiseInput(model.architecture, pixels));
        activations.forEach((a, i) => assert.ok(maxMagnitude(a) <= report.layers[i]!.bound, `layer ${i}: ${maxMagnitude(a)} > ${report.layers[i]!.bound}`));
      }
      // The extreme inputs (all pixels 0 or 255) stay within the bound too.
      for (const v of [0, 255]) referenceInference(model, quantiseInput(model.architecture, new Uint8Array(images[0]!.length).fill(v)));
      report.layers.forEach((l) => assert.ok(l.bound <= (model.architecture.plainModulus - 1) / 2 && l.observed <= l.bound));
    }),
    { numRuns: 60 },
  );
  assert.ok(quantised > 40, `quantised ${quantised}, refused ${refused}`);
});
