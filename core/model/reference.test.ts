import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ModelFormatError, ModelRangeError } from '../errors.ts';
import { ARCHITECTURE_FORMAT, type Architecture, type Layer } from './architecture.ts';
import type { Model } from './model.ts';
import { referenceInference } from './reference.ts';
import { modelDraws, randomIntegerModel } from '../../test/support/random-models.ts';

/**
 * The semantics of architecture.ts derived again, plainly and independently of the code under
 * test: nested loops with explicit padding tests, BigInt arithmetic (no question of exactness).
 * Returns every layer's output, or the first layer whose output has a value beyond ±(p−1)/2.
 */
function deriveByHand(model: Model, input: Int32Array): { outputs: bigint[][] } | { overflowAt: string } {
  const { architecture: arch, weights } = model;
  const limit = BigInt((arch.plainModulus - 1) / 2);
  let [c, h, w] = [arch.input.shape.channels, arch.input.shape.height, arch.input.shape.width];
  let x = [...input].map(BigInt);
  const outputs: bigint[][] = [];
  for (const layer of arch.layers) {
    let y: bigint[] = [];
    if (layer.kind === 'conv2d') {
      const { kernelSize: k, stride: s, outChannels: co } = layer;
      const pad = layer.padding === 'same' ? (k - 1) / 2 : 0;
      const oh = layer.padding === 'same' ? Math.ceil(h / s) : Math.floor((h - k) / s) + 1;
      const ow = layer.padding === 'same' ? Math.ceil(w / s) : Math.floor((w - k) / s) + 1;
      const { weights: kw, bias } = weights.get(layer.name)!;
      for (let o = 0; o < co; o++) {
        for (let oy = 0; oy < oh; oy++) {
          for (let ox = 0; ox < ow; ox++) {
            let acc = BigInt(bias[o]!);
            for (let i = 0; i < c; i++) {
              for (let ky = 0; ky < k; ky++) {
                for (let kx = 0; kx < k; kx++) {
                  const [iy, ix] = [oy * s + ky - pad, ox * s + kx - pad];
                  if (iy >= 0 && iy < h && ix >= 0 && ix < w) acc += BigInt(kw[((o * c + i) * k + ky) * k + kx]!) * x[(i * h + iy) * w + ix]!;
                }
              }
            }
            y.push(acc);
          }
        }
      }
      [c, h, w] = [co, oh, ow];
    } else if (layer.kind === 'dense') {
      const { weights: m, bias } = weights.get(layer.name)!;
      for (let r = 0; r < layer.outputs; r++) y.push(x.reduce((acc, v, j) => acc + BigInt(m[r * layer.inputs + j]!) * v, BigInt(bias[r]!)));
      [c, h, w] = [layer.outputs, 1, 1];
    } else if (layer.kind === 'relu') y = x.map((v) => (v > 0n ? v : 0n));
    else if (layer.kind === 'square') y = x.map((v) => v * v);
    else if (layer.kind === 'rescale') {
      // floor division by 2^shift, written with BigInt's truncating division and a correction
      const d = 1n << BigInt(layer.shift);
      y = x.map((v) => (v >= 0n || v % d === 0n ? v / d : v / d - 1n));
    } else {
      const { window: k, stride: s } = layer;
      const [oh, ow] = [Math.floor((h - k) / s) + 1, Math.floor((w - k) / s) + 1];
      for (let ch = 0; ch < c; ch++) {
        for (let oy = 0; oy < oh; oy++) {
          for (let ox = 0; ox < ow; ox++) {
            const window: bigint[] = [];
            for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) window.push(x[(ch * h + oy * s + ky) * w + ox * s + kx]!);
            y.push(layer.kind === 'maxpool' ? window.reduce((a, b) => (a > b ? a : b)) : window.reduce((a, b) => a + b));
          }
        }
      }
      [h, w] = [oh, ow];
    }
    if (y.some((v) => v > limit || v < -limit)) return { overflowAt: layer.name };
    outputs.push(y);
    x = y;
  }
  return { outputs };
}

test('the reference equals a plain re-derivation on random models, and throws exactly when a value reaches p/2', () => {
  let [agreed, refused] = [0, 0];
  fc.assert(
    fc.property(modelDraws, fc.constantFrom(557057, 65537, 8191, 257), fc.nat(), (draw, p, inputSeed) => {
      const model = randomIntegerModel(draw, p);
      const { channels, height, width } = model.architecture.input.shape;
      const input = Int32Array.from({ length: channels * height * width }, (_, i) => ((inputSeed + i * 7919) % 17) - 8);
      const expected = deriveByHand(model, input);
      if ('overflowAt' in expected) {
        refused++;
        assert.throws(() => referenceInference(model, input), (e: unknown) => e instanceof ModelRangeError && e.message.includes(`layer "${expected.overflowAt}"`));
        return;
      }
      agreed++;
      const result = referenceInference(model, input);
      assert.deepEqual(result.activations.map((a) => [...a].map(BigInt)), expected.outputs);
      const logits = expected.outputs.at(-1)!;
      const best = logits.reduce((a, b) => (a > b ? a : b));
      assert.equal(result.label, logits.indexOf(best));
      assert.deepEqual([...result.logits], [...result.activations.at(-1)!]);
    }),
    { numRuns: 300 },
  );
  // Both outcomes must have been exercised, or the property proved less than it claims.
  assert.ok(agreed > 50 && refused > 20, `agreed ${agreed}, refused ${refused}`);
});

const tiny = (layers: Layer[], over: Partial<Architecture> = {}): Architecture => ({
  format: ARCHITECTURE_FORMAT,
  name: 'tiny',
  input: { shape: { channels: 1, height: 1, width: 2 }, floatRange: [0, 1], scaleBits: 4, min: 0, max: 16 },
  plainModulus: 557057,
  layers,
  output: { classes: 2, scaleBits: 0 },
  ...over,
});

test('worked example: dense, rescale (floor for negatives), relu, dense; ties go to the first label', () => {
  const model: Model = {
    architecture: tiny([
      { kind: 'dense', name: 'fc1', inputs: 2, outputs: 2, weightScaleBits: 2 },
      { kind: 'rescale', name: 'shift', shift: 2 },
      { kind: 'relu', name: 'relu' },
      { kind: 'dense', name: 'fc2', inputs: 2, outputs: 2, weightScaleBits: 0 },
    ]),
    weights: new Map([
      ['fc1', { weights: Int32Array.of(3, -1, -2, -5), bias: Int32Array.of(1, 0) }],
      ['fc2', { weights: Int32Array.of(1, 0, 1, 0), bias: Int32Array.of(0, 0) }],
    ]),
  };
  // x = (10, 4): fc1 = (3·10 − 4 + 1, −20 − 20) = (27, −40); ⌊27/4⌋ = 6, ⌊−40/4⌋ = −10; relu (6, 0); fc2 (6, 6).
  const result = referenceInference(model, Int32Array.of(10, 4));
  assert.deepEqual(result.activations.map((a) => [...a]), [[27, -40], [6, -10], [6, 0], [6, 6]]);
  assert.equal(result.label, 0);
  // x = (0, 3): fc1 = (−2, −15) → ⌊−2/4⌋ = −1, ⌊−15/4⌋ = −4 (floor, not truncation toward zero).
  assert.deepEqual([...referenceInference(model, Int32Array.of(0, 3)).activations[1]!], [-1, -4]);
});

test('the largest allowed magnitude is (p−1)/2: one more is refused', () => {
  const model = (bias: number): Model => ({
    architecture: tiny([{ kind: 'dense', name: 'fc', inputs: 2, outputs: 2, weightScaleBits: 0 }], { plainModulus: 257 }),
    weights: new Map([['fc', { weights: Int32Array.of(0, 0, 0, 0), bias: Int32Array.of(bias, -bias) }]]),
  });
  assert.deepEqual([...referenceInference(model(128), Int32Array.of(0, 0)).logits], [128, -128]);
  assert.throws(() => referenceInference(model(129), Int32Array.of(0, 0)), /layer "fc": output 0 is 129, beyond ±128/);
});

test('inputs of the wrong length or outside the input range are refused', () => {
  const model: Model = {
    architecture: tiny([{ kind: 'dense', name: 'fc', inputs: 2, outputs: 2, weightScaleBits: 0 }]),
    weights: new Map([['fc', { weights: new Int32Array(4), bias: new Int32Array(2) }]]),
  };
  assert.throws(() => referenceInference(model, Int32Array.of(1)), (e: unknown) => e instanceof ModelFormatError && /the input has 1 values, the model takes 2/.test(e.message));
  assert.throws(() => referenceInference(model, Int32Array.of(1, 17)), (e: unknown) => e instanceof ModelRangeError && /input value 1 is 17, outside .* \[0, 16\]/.test(e.message));
});
