import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { linearInputLength, linearOutputLength, linearWeightCounts, type Conv2dSpec, type ConvVariant, type DenseSpec, type LinearSpec } from '../../core/linear.ts';
import { withScope } from '../../core/dispose.ts';
import { linearReference } from '../../core/linear-reference.ts';
import { PlainHeBackend } from '../insecure-plain-he/plain-he.ts';
import { builtinRegistry } from '../index.ts';
import { planConv } from './conv-plan.ts';
import { chooseConvVariant, convExpectedCounts } from './conv-work.ts';
import { countsCost, DEFAULT_COST_MODEL } from './cost-model.ts';
import { GazelleKernels } from './gazelle-kernels.ts';
import { generateKeyPair, runEncryptedLayer, runEncryptedPieces } from './layer-check.ts';
import { nextPow2 } from './slot-math.ts';
import { convShape } from './test-arbitraries.ts';
import { NETWORK_LAYERS } from './benchmark-layers.ts';

const kernels = new GazelleKernels();
const MODULI = [557057, 65537, 12289, 4294967291];

const denseSpec = fc.record({ kind: fc.constant('dense' as const), inputs: fc.integer({ min: 1, max: 300 }), outputs: fc.integer({ min: 1, max: 200 }) });
const convSpec = convShape({ channels: 10, minSize: 1, maxSize: 9, kernelSizes: [1, 3, 5], strides: [1, 2, 3] });

/** A layer with random weights (any int32) and input mod p, on a slot count that fits it. */
function layerCase<S extends LinearSpec>(spec: fc.Arbitrary<S>, slotCounts: (s: S) => number[]) {
  return spec.chain((s) =>
    fc.record({
      spec: fc.constant(s),
      n: fc.constantFrom(...slotCounts(s)),
      p: fc.constantFrom(...MODULI),
      seed: fc.integer(),
    }),
  );
}

function randomData(spec: LinearSpec, p: number, seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state);
  const counts = linearWeightCounts(spec);
  // Mostly small signed weights (as after quantisation), sometimes any int32.
  const weight = () => (next() % 4 === 0 ? next() | 0 : (next() % 511) - 255);
  return {
    weights: { weights: Int32Array.from({ length: counts.weights }, weight), bias: Int32Array.from({ length: counts.bias }, weight) },
    x: Uint32Array.from({ length: linearInputLength(spec) }, () => next() % p),
  };
}

function checkLayer(spec: LinearSpec, n: number, p: number, seed: number, variant?: ConvVariant) {
  const he = new PlainHeBackend({ polyModulusDegree: n, plainModulus: p });
  const { weights, x } = randomData(spec, p, seed);
  const run = runEncryptedLayer(kernels, he, spec, weights, x, variant ? { variant } : {});
  assert.deepEqual(run.actual, run.expected, 'decrypted kernel output = plaintext reference mod p');
  assert.deepEqual(run.counts, run.expectedCounts, 'counted operations = the kernel formulas');
  assert.equal(he.liveHandles, 0, 'every ciphertext and plaintext was disposed');
  return run;
}

const denseSlotCounts = () => [16, 64, 256, 1024, 4096];
const convSlotCounts = (s: Conv2dSpec) => [32, 128, 512, 2048].filter((n) => nextPow2(s.height * s.width) <= n / 2);

test('dense (hybrid diagonal) decrypts to the reference, random shapes incl. split inputs and output chunks', () => {
  fc.assert(fc.property(layerCase(denseSpec, denseSlotCounts), ({ spec, n, p, seed }) => void checkLayer(spec, n, p, seed)), { numRuns: 80 });
});

for (const variant of ['input-rotation', 'output-rotation'] as const) {
  test(`conv2d (${variant}) decrypts to the reference: kernels 1/3/5, strides 1-3, same/valid, many ciphertexts`, () => {
    fc.assert(
      fc.property(layerCase(convSpec, convSlotCounts), ({ spec, n, p, seed }) => {
        fc.pre(convSlotCounts(spec).length > 0);
        assert.equal(checkLayer(spec, n, p, seed, variant).method, variant);
      }),
      { numRuns: 80 },
    );
  });
}

test('folded outputs (few output channels, small images: many blocks a lane) decrypt to the reference, whole and in pieces, both variants', () => {
  const kinds = new Set<string>();
  fc.assert(
    fc.property(
      convShape({ channels: 40, minSize: 1, maxSize: 4, kernelSizes: [1, 3], strides: [1, 2] }),
      fc.constantFrom(64, 256, 1024),
      fc.constantFrom<ConvVariant>('input-rotation', 'output-rotation'),
      fc.integer({ min: 2, max: 4 }),
      fc.integer(),
      (spec, n, variant, wanted, seed) => {
        const { fold, inputPeriod, channelsPerCiphertext } = planConv(spec, n);
        fc.pre(fold !== undefined);
        kinds.add(`${inputPeriod < channelsPerCiphertext ? 'replicated' : 'full'} input, ${fold.withinLane > 1 ? 'groups along the lane' : 'no groups along the lane'}, ${fold.lanes ? 'lane group' : 'no lane group'}`);
        checkLayer(spec, n, 65537, seed, variant);
        const he = new PlainHeBackend({ polyModulusDegree: n, plainModulus: 65537 });
        const { weights, x } = randomData(spec, 65537, seed);
        const count = Math.min(wanted, kernels.maxPieces(spec, he, { variant }));
        const pieces = runEncryptedPieces(kernels, he, spec, weights, x, count, { variant });
        assert.deepEqual(pieces.actual, pieces.expected);
      },
    ),
    { numRuns: 100 },
  );
  // Full inputs always fold their lanes; a replicated one folds them unless one shift per lane is left (F = 1 with no lane group is no fold).
  assert.equal(kinds.size, 5, [...kinds].join('; '));
});

test('layers with channels over several ciphertexts and non-power-of-two sizes (fixed cases)', () => {
  const conv = (ci: number, co: number, h: number, w: number, k: number, stride: number, padding: 'same' | 'valid'): Conv2dSpec => ({
    kind: 'conv2d', inChannels: ci, outChannels: co, height: h, width: w, kernelSize: k, stride, padding,
  });
  for (const variant of ['input-rotation', 'output-rotation'] as const) {
    checkLayer(conv(13, 9, 5, 5, 5, 2, 'same'), 256, 557057, 1, variant); // 2 input, 2 output ciphertexts
    checkLayer(conv(3, 5, 7, 5, 3, 1, 'same'), 256, 557057, 2, variant); // replicated input
    checkLayer(conv(6, 17, 6, 6, 3, 2, 'valid'), 128, 65537, 3, variant); // 3 inputs, 9 outputs per 2-channel ciphertext
    checkLayer(conv(2, 2, 2, 3, 5, 1, 'same'), 64, 65537, 4, variant); // 5x5 taps reaching past a 2x3 image
  }
  // Input rotation in 3 pieces of its 8 diagonals (4 shifts × {plain, swapped}): 0-1 | 2-3 and swapped 0 | swapped 1-3.
  const pieces = (() => {
    const he = new PlainHeBackend({ polyModulusDegree: 256, plainModulus: 557057 });
    const spec = conv(13, 9, 5, 5, 5, 2, 'same');
    const { weights, x } = randomData(spec, 557057, 7);
    return runEncryptedPieces(kernels, he, spec, weights, x, 3, { variant: 'input-rotation' });
  })();
  assert.deepEqual(pieces.actual, pieces.expected, 'pieces whose diagonals span both swap groups, from a shift');
  checkLayer({ kind: 'dense', inputs: 5000, outputs: 7 }, 1024, 557057, 5); // 5 input ciphertexts
  checkLayer({ kind: 'dense', inputs: 3, outputs: 700 }, 256, 557057, 6); // 6 output ciphertexts
});

test('layouts: unpack(pack(v)) = v, public layouts = prepared ones, and apply needs exactly the advertised Galois steps', () => {
  fc.assert(
    fc.property(fc.oneof(layerCase(denseSpec, denseSlotCounts), layerCase(convSpec, convSlotCounts)), ({ spec, n, p, seed }) => {
      fc.pre(spec.kind === 'dense' || convSlotCounts(spec).length > 0);
      const he = new PlainHeBackend({ polyModulusDegree: n, plainModulus: p });
      const { weights, x } = randomData(spec, p, seed);
      const prepared = kernels.prepare(spec, weights, he);
      assert.deepEqual(prepared.inputLayout.unpack(prepared.inputLayout.pack(x)), x);
      const y = Uint32Array.from({ length: prepared.outputLayout.length }, (_, i) => (i * 7919 + Math.abs(seed)) % p);
      assert.deepEqual(prepared.outputLayout.unpack(prepared.outputLayout.pack(y)), y);
      assert.deepEqual(kernels.rotationSteps(spec, he), prepared.rotationSteps);
      assert.deepEqual(kernels.expectedCounts(spec, he), prepared.expectedCounts);
      // The public layouts (what the client packs and unpacks with) are the prepared layer's.
      const publicLayouts = kernels.layouts(spec, he);
      assert.deepEqual(publicLayouts.inputLayout.pack(x), prepared.inputLayout.pack(x));
      assert.deepEqual(publicLayouts.outputLayout.unpack(prepared.outputLayout.pack(y)), y);
      // Drop one advertised step: apply must fail (the step is needed) and release its intermediates.
      if (prepared.rotationSteps.length > 0) {
        const missing = prepared.rotationSteps[Math.abs(seed) % prepared.rotationSteps.length]!;
        const keys = generateKeyPair(he, prepared.rotationSteps.filter((s) => s !== missing));
        const inputs = prepared.inputLayout.pack(x).map((v) => he.encryptPublic(v, keys.server));
        const live = he.liveHandles;
        assert.throws(() => prepared.apply(inputs, keys.server), /no Galois key/);
        assert.equal(he.liveHandles, live, 'intermediates of the failed call were disposed');
        inputs.forEach((ct) => ct.dispose());
        keys.client.dispose();
        keys.server.dispose();
      }
      prepared.dispose();
      assert.equal(he.liveHandles, 0);
    }),
    { numRuns: 60 },
  );
});

test('output layouts sum partial sums: FC 100→10 at n = 8192 (by hand), and the folded D conv2 over its two lanes', () => {
  const he = new PlainHeBackend({ preset: 'secure' });
  const p = he.params.plainModulus;
  // n_i' = 128, n_oc = 16: one product leaves row r's 128 partial sums in the slots ≡ r (mod 16) of the first 2048.
  const fc2 = kernels.layouts({ kind: 'dense', inputs: 100, outputs: 10 }, he).outputLayout;
  assert.equal(fc2.reduce, 'sum');
  const slots = new Uint32Array(8192);
  slots[3] = 1;
  slots[3 + 16] = 2;
  slots[3 + 16 * 127] = p - 4;
  slots[3 + 2048] = 1000; // beyond the products' span: never summed
  slots[4] = 7;
  slots[12] = 9; // row 12 of a 10-output layer: padding
  const y = fc2.unpack([slots]);
  assert.deepEqual([...y], [0, 0, 0, p - 1, 7, 0, 0, 0, 0, 0]);
  assert.deepEqual(fc2.pack(Uint32Array.from({ length: 10 }, (_, i) => i + 1)).map((v) => v.reduce((n, x) => n + (x > 0 ? 1 : 0), 0)), [10], 'pack fills the first slot of each output only');
  // D conv2 (valid 5x5, 16→16 on 12x12 → 8x8): channel o's partial sums lie in block o of lane 0 and of lane 1 (S = 256, N = 4096).
  const conv2 = kernels.layouts(NETWORK_LAYERS.D[1]!.spec, he).outputLayout;
  const blocks = new Uint32Array(8192);
  blocks[5 * 256 + 12 + 1] = 10; // channel 5, output pixel (1, 1): grid pixel 1·12 + 1
  blocks[4096 + 5 * 256 + 12 + 1] = 20;
  blocks[4096 + 5 * 256 + 8] = 40; // grid pixel (0, 8): outside the 8x8 valid output
  const out = conv2.unpack([blocks]);
  assert.equal(out[5 * 64 + 8 + 1], 30, 'output (5, 1, 1) sums both lanes');
  assert.equal(out.reduce((n, v) => n + v, 0), 30, 'and nothing else is read');
});

test('the parties\' sums are shares: every slot masked uniformly, unpack(decrypted − r) + unpack(r) = W·x + b mod p', () => {
  fc.assert(
    fc.property(fc.oneof(layerCase(denseSpec, denseSlotCounts), layerCase(convSpec, convSlotCounts)), ({ spec, n, p, seed }) => {
      fc.pre(spec.kind === 'dense' || convSlotCounts(spec).length > 0);
      const he = new PlainHeBackend({ polyModulusDegree: n, plainModulus: p });
      const { weights, x } = randomData(spec, p, seed);
      let state = (seed ^ 0x5bd1e995) >>> 0 || 1;
      const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) % p);
      const prepared = kernels.prepare(spec, weights, he);
      const keys = generateKeyPair(he, prepared.rotationSteps);
      const inputs = prepared.inputLayout.pack(x).map((v) => he.encryptPublic(v, keys.server));
      const outputs = prepared.apply(inputs, keys.server);
      const masks = outputs.map(() => Uint32Array.from({ length: n }, uniform));
      const clientSlots = outputs.map((ct, c) =>
        withScope((scope) => he.decrypt(scope.track(he.subPlain(ct, scope.track(he.encode(masks[c]!)))), keys.client)),
      );
      const client = prepared.outputLayout.unpack(clientSlots);
      const server = prepared.outputLayout.unpack(masks);
      assert.deepEqual(Uint32Array.from(client, (v, i) => (v + server[i]!) % p), linearReference(spec, weights, x, p));
      [...inputs, ...outputs, prepared, keys.client, keys.server].forEach((h) => h.dispose());
      assert.equal(he.liveHandles, 0);
    }),
    { numRuns: 60 },
  );
});

test('pieces: partial outputs of any cut add up to the layer, each piece counts what its formulas say, needs only its steps, and no product is repeated', () => {
  fc.assert(
    fc.property(
      fc.oneof(layerCase(denseSpec, denseSlotCounts), layerCase(convSpec, convSlotCounts)),
      fc.constantFrom<ConvVariant>('input-rotation', 'output-rotation'),
      fc.integer({ min: 1, max: 6 }),
      ({ spec, n, p, seed }, variant, wanted) => {
        fc.pre(spec.kind === 'dense' || convSlotCounts(spec).length > 0);
        const he = new PlainHeBackend({ polyModulusDegree: n, plainModulus: p });
        const { weights, x } = randomData(spec, p, seed);
        const options = spec.kind === 'conv2d' ? { variant } : {};
        const count = Math.min(wanted, kernels.maxPieces(spec, he, options));
        const sum = new Uint32Array(linearOutputLength(spec));
        let products = 0;
        let expected: Uint32Array | undefined;
        for (let index = 0; index < count; index++) {
          const piece = { ...options, piece: { index, count } };
          // Keys for exactly the piece's advertised steps: enough for it (a missing step throws "no Galois key").
          const run = runEncryptedLayer(kernels, he, spec, weights, x, piece);
          assert.deepEqual(run.counts, run.expectedCounts, `piece ${index} of ${count}: counted = formulas`);
          assert.deepEqual(kernels.expectedCounts(spec, he, piece), run.expectedCounts);
          assert.deepEqual(kernels.rotationSteps(spec, he, piece), run.rotationSteps);
          run.actual.forEach((v, i) => (sum[i] = (sum[i]! + v) % p));
          products += run.counts.plainMultiplications;
          expected = run.expected;
        }
        assert.deepEqual(sum, expected, `${count} pieces add up to the layer`);
        assert.equal(products, kernels.expectedCounts(spec, he, options).plainMultiplications, 'the pieces share the products out');
        // Added as ciphertexts under one key set, the partials decrypt to the layer too.
        const added = runEncryptedPieces(kernels, he, spec, weights, x, count, options);
        assert.deepEqual(added.actual, added.expected);
        assert.equal(he.liveHandles, 0);
      },
    ),
    { numRuns: 80 },
  );
});

test('folded outputs and pieces by hand (n = 8192): D conv2, CIFAR 3x3 64→64 on 16x16, 1x1 64→64 and 64→16 on 8x8', () => {
  const he = new PlainHeBackend({ preset: 'secure' });
  const counts = (spec: LinearSpec, piece?: { index: number; count: number }) => {
    const { rotations, plainMultiplications, additions } = kernels.expectedCounts(spec, he, piece ? { piece } : {});
    return { rotations, plainMultiplications, additions };
  };
  // D: valid 5x5, 16→16 on 12x12: S = 256, M = 16 blocks a lane, c_n = 32; input period 16, so 16 diagonals unfolded.
  // 16 outputs fill one lane: lane 1 computes shifts 8-15 (its input packed rotated by 8), so 8 shifts; the two lanes'
  // partial sums are added by the parties (the output layout sums them), not by a lane swap.
  // Whole: 24 tap + 7 Horner rotations; 25·8 products; 8·24 accumulations + 7 Horner + 1 bias additions.
  const dConv2 = NETWORK_LAYERS.D[1]!.spec;
  assert.deepEqual(counts(dConv2), { rotations: 31, plainMultiplications: 200, additions: 200 });
  assert.deepEqual(kernels.rotationSteps(dConv2, he), [1, 12, 256]);
  // Two pieces, cut by taps (rows 0-1 and dx 0-1 of row 2 | the rest, which also rotates the ancestors (1,0), (2,0), (2,1)):
  // 11 and 16 tap rotations, each + 7 Horner; 12·8 and 13·8 products; additions 8·11 + 7 + bias, 8·12 + 7.
  assert.deepEqual(counts(dConv2, { index: 0, count: 2 }), { rotations: 18, plainMultiplications: 96, additions: 96 });
  assert.deepEqual(counts(dConv2, { index: 1, count: 2 }), { rotations: 23, plainMultiplications: 104, additions: 103 });
  // CIFAR 3x3, 64→64 on 16x16: c_n = 32, 2 ciphertexts each way (not folded), 16 shifts × {plain, swapped}: one swap group per piece.
  // Each: 2·8 tap rotations, per output ciphertext 15 Horner rotations (+1 lane swap in piece 1); 2·9·2·16 = 576 products.
  const conv3 = NETWORK_LAYERS.CIFAR[2]!.spec;
  assert.deepEqual(counts(conv3, { index: 0, count: 2 }), { rotations: 16 + 2 * 15, plainMultiplications: 576, additions: 2 * 16 * (18 - 1) + 2 * 15 + 2 });
  assert.deepEqual(counts(conv3, { index: 1, count: 2 }), { rotations: 16 + 2 * 16, plainMultiplications: 576, additions: 2 * 16 * (18 - 1) + 2 * 15 });
  assert.deepEqual(kernels.rotationSteps(conv3, he, { piece: { index: 0, count: 2 } }), [-16, -1, 1, 16, 256]);
  assert.deepEqual(kernels.rotationSteps(conv3, he, { piece: { index: 1, count: 2 } }), [-16, -1, 0, 1, 16, 256]);
  // 1x1 64→64 on 8x8: S = 64, M = 64, input period 64; 64 outputs fill lane 0: 32 shifts (was 64), both lanes summed on shares.
  const conv6 = NETWORK_LAYERS.CIFAR[5]!.spec;
  assert.deepEqual(counts(conv6), { rotations: 31, plainMultiplications: 32, additions: 31 + 1 });
  // Pieces: shifts 0-15 | 16-31, the second starting with a rotation by 16·64 = 1024.
  assert.deepEqual(counts(conv6, { index: 0, count: 2 }), { rotations: 15, plainMultiplications: 16, additions: 15 + 1 });
  assert.deepEqual(counts(conv6, { index: 1, count: 2 }), { rotations: 1 + 15, plainMultiplications: 16, additions: 15 });
  assert.deepEqual(kernels.rotationSteps(conv6, he, { piece: { index: 1, count: 2 } }), [64, 1024]);
  // 1x1 64→16: 16 outputs, 4 groups of 16 blocks along lane 0 (input channels 16g + …) and lane 1 (packed rotated by 8):
  // 8 shifts; the 8 groups' partial sums are summed on shares (GAZELLE's fold: rotations by 16·64, 32·64 and the swap).
  const conv7 = NETWORK_LAYERS.CIFAR[6]!.spec;
  assert.deepEqual(counts(conv7), { rotations: 7, plainMultiplications: 8, additions: 7 + 1 });
  assert.deepEqual(kernels.rotationSteps(conv7, he), [64]);
  // Dense layers are cut over their input ciphertexts: FC 256→100 has one, so it cannot be shared.
  assert.equal(kernels.maxPieces(NETWORK_LAYERS.D[2]!.spec, he), 1);
});

test('piece errors: more pieces than the layer has work units, an index outside 0..count−1', () => {
  const he = new PlainHeBackend({ polyModulusDegree: 64 });
  const dense: DenseSpec = { kind: 'dense', inputs: 3, outputs: 2 };
  assert.throws(() => kernels.expectedCounts(dense, he, { piece: { index: 0, count: 2 } }), /count must be an integer from 1 to 1/);
  const conv: Conv2dSpec = { kind: 'conv2d', inChannels: 2, outChannels: 2, height: 3, width: 3, kernelSize: 3, stride: 1, padding: 'same' };
  const max = kernels.maxPieces(conv, he);
  assert.equal(max, 9, 'output rotation: one (input ciphertext, tap) pair each');
  // Two channels, replicated and folded: lane 1 (packed rotated by one channel) covers the second, so one diagonal.
  assert.equal(kernels.maxPieces(conv, he, { variant: 'input-rotation' }), 1);
  assert.throws(() => kernels.rotationSteps(conv, he, { piece: { index: 0, count: max + 1 } }), RangeError);
  assert.throws(() => kernels.prepare(conv, { weights: new Int32Array(36), bias: new Int32Array(2) }, he, { piece: { index: 2, count: 2 } }), /index must be an integer from 0 to 1, got 2/);
  assert.throws(() => kernels.expectedCounts(conv, he, { piece: { index: 0.5, count: 2 } }), RangeError);
});

test('few Galois keys: a conv layer rotates only by ±1, ±W, the block size S and the lane swap (valid padding: +1, +W)', () => {
  fc.assert(
    fc.property(layerCase(convSpec, convSlotCounts), ({ spec, n }) => {
      fc.pre(convSlotCounts(spec).length > 0);
      // Steps are rotations of rows of N = n/2 slots, written in (−N/2, N/2].
      const rowSize = n / 2;
      const wrap = (step: number) => {
        const r = ((step % rowSize) + rowSize) % rowSize;
        return r > rowSize / 2 ? r - rowSize : r;
      };
      const S = nextPow2(spec.height * spec.width);
      const allowed = new Set((spec.padding === 'valid' ? [1, spec.width, S, 0] : [1, -1, spec.width, -spec.width, S, 0]).map(wrap));
      const steps = kernels.rotationSteps(spec, new PlainHeBackend({ polyModulusDegree: n }));
      for (const step of steps) assert.ok(allowed.has(step), `step ${step} of ${JSON.stringify(spec)} at n = ${n}`);
      assert.ok(steps.length <= 6);
    }),
    { numRuns: 200 },
  );
});

test('Galois steps of whole networks at n = 8192: D needs 4, CIFAR-10 12', () => {
  // One key per tap offset and block shift took 61 and 84; with the rotate-and-sums in HE, 12 and 15.
  const he = new PlainHeBackend({ preset: 'secure' });
  const union = (layers: readonly { spec: LinearSpec }[]) => [...new Set(layers.flatMap((l) => kernels.rotationSteps(l.spec, he)))].sort((a, b) => a - b);
  // D: conv1 valid W = 28 (+1, +28; one input channel: no block shift); conv2 valid W = 12 (+1, +12) with S = 256, its
  // fold summed on shares (no swap); FC 256→100: 4 diagonals by 1; FC 100→10: one product, no rotation.
  assert.deepEqual(union(NETWORK_LAYERS.D), [1, 12, 28, 256]);
  // CIFAR: 3x3 same at W = 32 (S = 1024), 16 (S = 256), 8 (S = 64): ±1, ±W, S; the swap (64 input channels fill a
  // ciphertext at 32x32 and 16x16); 1x1 at 8x8: S = 64; FC 1024→10: 2 diagonals by 1.
  assert.deepEqual(union(NETWORK_LAYERS.CIFAR), [-32, -16, -8, -1, 0, 1, 8, 16, 32, 64, 256, 1024]);
});

test('the conv variant is chosen by cost: never the dearer one; both occur', () => {
  fc.assert(
    fc.property(layerCase(convSpec, convSlotCounts), ({ spec, n }) => {
      fc.pre(convSlotCounts(spec).length > 0);
      const plan = planConv(spec, n);
      const chosen = chooseConvVariant(plan);
      const other = chosen === 'input-rotation' ? 'output-rotation' : 'input-rotation';
      assert.ok(countsCost(convExpectedCounts(plan, chosen), DEFAULT_COST_MODEL) <= countsCost(convExpectedCounts(plan, other), DEFAULT_COST_MODEL));
    }),
  );
  const he = new PlainHeBackend({ preset: 'secure' });
  const oneByOne: Conv2dSpec = { kind: 'conv2d', inChannels: 8, outChannels: 64, height: 32, width: 32, kernelSize: 1, stride: 1, padding: 'same' };
  const threeByThree: Conv2dSpec = { ...oneByOne, inChannels: 64, kernelSize: 3 };
  // 1x1, 8→64, c_n = 8: input rotation 1·(8−1) = 7 rotations, output rotation 0 + 8·(8−1) = 56.
  assert.equal(kernels.convVariant(oneByOne, he), 'input-rotation');
  // 3x3, 64→64: input rotation 8·(8·9−1) = 568, output rotation 8·8 + 8·7 = 120.
  assert.equal(kernels.convVariant(threeByThree, he), 'output-rotation');
  assert.equal(new GazelleKernels({ variant: 'input-rotation' }).convVariant(threeByThree, he), 'input-rotation');
  assert.equal(kernels.convVariant(threeByThree, he, { variant: 'input-rotation' }), 'input-rotation');
  // Free rotations: input rotation still multiplies 8 rotated copies (8 forward NTTs) against 1.
  assert.equal(new GazelleKernels({ costModel: { rotation: 0, plainMultiplication: 1, multiplicand: 1, addition: 1 } }).convVariant(oneByOne, he), 'output-rotation');
  // Only products and additions priced: both variants cost the same, and a tie goes to output rotation.
  assert.equal(new GazelleKernels({ costModel: { rotation: 0, plainMultiplication: 1, multiplicand: 0, addition: 1 } }).convVariant(oneByOne, he), 'output-rotation');
});

test('argument errors: bad spec, wrong weights, wrong ciphertext count, image wider than a row, use after dispose', () => {
  const he = new PlainHeBackend({ polyModulusDegree: 64 });
  const spec: DenseSpec = { kind: 'dense', inputs: 3, outputs: 2 };
  const weights = { weights: new Int32Array(6), bias: new Int32Array(2) };
  assert.throws(() => kernels.prepare({ ...spec, inputs: 0 }, weights, he), RangeError);
  assert.throws(() => kernels.prepare(spec, { ...weights, bias: new Int32Array(3) }, he), /expected 6 weights and 2 biases/);
  const big: Conv2dSpec = { kind: 'conv2d', inChannels: 1, outChannels: 1, height: 6, width: 6, kernelSize: 3, stride: 1, padding: 'same' };
  assert.throws(() => kernels.prepare(big, { weights: new Int32Array(9), bias: new Int32Array(1) }, he), /more than a row of 32/);
  assert.throws(() => new GazelleKernels({ variant: 'sideways' as never }), RangeError);
  const prepared = kernels.prepare(spec, weights, he);
  const keys = generateKeyPair(he, prepared.rotationSteps);
  assert.throws(() => prepared.apply([], keys.server), /expected 1 input ciphertexts, got 0/);
  prepared.dispose();
  assert.throws(() => prepared.apply([], keys.server), /after dispose/);
  keys.client.dispose();
  keys.server.dispose();
  assert.equal(he.liveHandles, 0);
});

test('registered as the semi-honest "linear" plugin "gazelle"', async () => {
  const plugin = builtinRegistry().get('linear', 'gazelle');
  assert.equal(plugin.security, 'semi-honest');
  const created = await plugin.create({ variant: 'output-rotation' }, undefined as never);
  assert.equal(created.name, 'gazelle');
});
