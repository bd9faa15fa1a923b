import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { conv2dOutputSize, type Conv2dSpec } from './linear.ts';
import { linearReference } from './linear-reference.ts';

const P = 557057;
const ints = (values: number[]) => Int32Array.from(values);
const u32 = (values: number[]) => Uint32Array.from(values);
const image4x4 = u32(Array.from({ length: 16 }, (_, i) => i + 1));
const ones3x3 = { weights: ints(Array(9).fill(1)), bias: ints([0]) };
const conv = (over: Partial<Conv2dSpec>): Conv2dSpec => ({
  kind: 'conv2d', inChannels: 1, outChannels: 1, height: 4, width: 4, kernelSize: 3, stride: 1, padding: 'same', ...over,
});

test('dense worked example: W = [[1,2],[3,4],[-1,0]], x = (5,6), b = (1,0,-2)', () => {
  const y = linearReference({ kind: 'dense', inputs: 2, outputs: 3 }, { weights: ints([1, 2, 3, 4, -1, 0]), bias: ints([1, 0, -2]) }, u32([5, 6]), P);
  assert.deepEqual([...y], [18, 39, P - 7]);
});

test('conv worked example: 3x3 box sums of the 4x4 image 1..16 (same, valid, stride 2)', () => {
  // Box sums by hand: corner (0,0) = 1+2+5+6, centre (1,1) = 1+2+3+5+6+7+9+10+11, ...
  const same = linearReference(conv({}), ones3x3, image4x4, P);
  assert.equal(same[0], 14);
  assert.equal(same[5], 54);
  assert.equal(same[15], 54);
  assert.deepEqual([...linearReference(conv({ padding: 'valid' }), ones3x3, image4x4, P)], [54, 63, 90, 99]);
  assert.deepEqual([...linearReference(conv({ stride: 2 }), ones3x3, image4x4, P)], [14, 30, 57, 99]);
});

test('output sizes: same → ceil(H/s), valid → floor((H−k)/s)+1', () => {
  assert.deepEqual(conv2dOutputSize(conv({ height: 28, width: 28, kernelSize: 5, stride: 2 })), { height: 14, width: 14 });
  assert.deepEqual(conv2dOutputSize(conv({ height: 28, width: 28, kernelSize: 5, padding: 'valid' })), { height: 24, width: 24 });
  assert.deepEqual(conv2dOutputSize(conv({ height: 7, width: 9, kernelSize: 3, stride: 3, padding: 'valid' })), { height: 2, width: 3 });
});

const convCase = fc
  .record({
    inChannels: fc.integer({ min: 1, max: 4 }),
    outChannels: fc.integer({ min: 1, max: 4 }),
    height: fc.integer({ min: 1, max: 7 }),
    width: fc.integer({ min: 1, max: 7 }),
    kernelSize: fc.constantFrom(1, 3, 5),
    stride: fc.integer({ min: 1, max: 3 }),
    padding: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
  })
  .filter((s) => s.padding === 'same' || s.kernelSize <= Math.min(s.height, s.width))
  .chain((s) => {
    const spec: Conv2dSpec = { kind: 'conv2d', ...s };
    const n = s.outChannels * s.inChannels * s.kernelSize ** 2;
    return fc.record({
      spec: fc.constant(spec),
      weights: fc.array(fc.integer({ min: -300, max: 300 }), { minLength: n, maxLength: n }),
      bias: fc.array(fc.integer({ min: -300, max: 300 }), { minLength: s.outChannels, maxLength: s.outChannels }),
      x: fc.array(fc.nat(P - 1), { minLength: s.inChannels * s.height * s.width, maxLength: s.inChannels * s.height * s.width }),
      x2: fc.array(fc.nat(P - 1), { minLength: s.inChannels * s.height * s.width, maxLength: s.inChannels * s.height * s.width }),
    });
  });

test('a strided conv is the stride-1 conv read at every stride-th pixel', () => {
  fc.assert(
    fc.property(convCase, ({ spec, weights, bias, x }) => {
      const w = { weights: ints(weights), bias: ints(bias) };
      const strided = linearReference(spec, w, u32(x), P);
      const unit = { ...spec, stride: 1 };
      const full = linearReference(unit, w, u32(x), P);
      const { height: oh, width: ow } = conv2dOutputSize(spec);
      const { height: fh, width: fw } = conv2dOutputSize(unit);
      for (let o = 0; o < spec.outChannels; o++)
        for (let y = 0; y < oh; y++)
          for (let xx = 0; xx < ow; xx++) assert.equal(strided[(o * oh + y) * ow + xx], full[(o * fh + y * spec.stride) * fw + xx * spec.stride]);
    }),
  );
});

test('a conv is linear: f(x + x′) = f(x) + f(x′) − b mod p', () => {
  fc.assert(
    fc.property(convCase, ({ spec, weights, bias, x, x2 }) => {
      const w = { weights: ints(weights), bias: ints(bias) };
      const sum = u32(x.map((v, i) => (v + x2[i]!) % P));
      const zero = linearReference(spec, w, new Uint32Array(x.length), P);
      const a = linearReference(spec, w, u32(x), P);
      const b = linearReference(spec, w, u32(x2), P);
      const ab = linearReference(spec, w, sum, P);
      ab.forEach((v, i) => assert.equal(v, (((a[i]! + b[i]! - zero[i]!) % P) + P) % P));
    }),
  );
});

test('a 1x1 conv is the dense layer applied to every pixel', () => {
  fc.assert(
    fc.property(convCase, ({ spec, weights, bias, x }) => {
      const s = { ...spec, kernelSize: 1, stride: 1, padding: 'same' as const };
      const w = { weights: ints(weights.slice(0, s.outChannels * s.inChannels)), bias: ints(bias) };
      const y = linearReference(s, w, u32(x), P);
      const pixels = s.height * s.width;
      for (let px = 0; px < pixels; px++) {
        const column = u32(Array.from({ length: s.inChannels }, (_, i) => x[i * pixels + px]!));
        const dense = linearReference({ kind: 'dense', inputs: s.inChannels, outputs: s.outChannels }, w, column, P);
        dense.forEach((v, o) => assert.equal(y[o * pixels + px], v));
      }
    }),
  );
});

test('a single-tap "same" kernel shifts the image, reading zero outside it', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.nat(24), (h, w, tap) => {
      const weights = new Int32Array(25);
      weights[tap] = 1;
      const x = u32(Array.from({ length: h * w }, (_, i) => i + 1));
      const y = linearReference(conv({ height: h, width: w, kernelSize: 5 }), { weights, bias: ints([0]) }, x, P);
      const dy = Math.floor(tap / 5) - 2;
      const dx = (tap % 5) - 2;
      for (let r = 0; r < h; r++)
        for (let c = 0; c < w; c++) {
          const inside = r + dy >= 0 && r + dy < h && c + dx >= 0 && c + dx < w;
          assert.equal(y[r * w + c], inside ? x[(r + dy) * w + c + dx] : 0);
        }
    }),
  );
});

test('bad shapes and inputs are RangeErrors that name the problem', () => {
  const dense = { kind: 'dense' as const, inputs: 2, outputs: 1 };
  const w = { weights: ints([1, 1]), bias: ints([0]) };
  assert.throws(() => linearReference(dense, w, u32([1]), P), /expected 2 inputs/);
  assert.throws(() => linearReference(dense, w, u32([1, P]), P), /not reduced/);
  assert.throws(() => linearReference(dense, { weights: ints([1]), bias: ints([0]) }, u32([1, 1]), P), /expected 2 weights/);
  assert.throws(() => linearReference(conv({ kernelSize: 2 }), ones3x3, image4x4, P), /odd kernel/);
  assert.throws(() => linearReference(conv({ kernelSize: 5, padding: 'valid' }), ones3x3, image4x4, P), /larger than/);
  assert.throws(() => linearReference({ ...dense, inputs: 0 }, w, u32([]), P), /inputs must be a positive integer/);
});
