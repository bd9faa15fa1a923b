/**
 * The kernels on the real `seal-bfv` backend (preset `fast`, n = 4096): fewer and smaller cases than
 * on the plaintext double (key generation is slow), same property: decrypt = reference mod p.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { HeBackend } from '../../core/he.ts';
import { linearInputLength, linearWeightCounts, type ConvVariant, type LinearSpec } from '../../core/linear.ts';
import { nativeExceptions } from '../seal-bfv/native-fault.ts';
import { liveNativeObjects } from '../seal-bfv/native.ts';
import seal from '../seal-bfv/index.ts';
import { GazelleKernels } from './gazelle-kernels.ts';
import { runEncryptedLayer, runEncryptedPieces } from './layer-check.ts';
import { convShape } from './test-arbitraries.ts';

const kernels = new GazelleKernels();

/** Weights in [−15, 15] (zeros are frequent: a diagonal of few weights is often all zero), x mod p. */
function randomData(spec: LinearSpec, p: number, rand: () => number) {
  const sizes = linearWeightCounts(spec);
  const weight = () => Math.floor(rand() * 31) - 15;
  return {
    weights: { weights: Int32Array.from({ length: sizes.weights }, weight), bias: Int32Array.from({ length: sizes.bias }, weight) },
    x: Uint32Array.from({ length: linearInputLength(spec) }, () => Math.floor(rand() * p)),
  };
}

describe('gazelle kernels on seal-bfv (fast preset)', () => {
  let he: HeBackend;
  let baseline: number;

  before(async () => {
    baseline = liveNativeObjects();
    he = await seal.create({ preset: 'fast', acceptLowerMargin: true }, undefined as never);
  });

  after(() => {
    he.dispose();
    assert.equal(liveNativeObjects(), baseline, 'every node-seal object the kernels made was deleted');
    assert.equal(nativeExceptions(), 0, 'node-seal raised no exception');
  });

  function check(spec: LinearSpec, variant: ConvVariant | undefined, seed: number) {
    let state = seed >>> 0 || 1;
    const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const { weights, x } = randomData(spec, he.params.plainModulus, rand);
    const run = runEncryptedLayer(kernels, he, spec, weights, x, variant ? { variant } : {});
    assert.deepEqual(run.actual, run.expected, `${JSON.stringify(spec)} ${run.method}`);
    assert.deepEqual(run.counts, run.expectedCounts);
  }

  it('dense: replicated (G = 1 and G = 32), split input, two output chunks', () => {
    check({ kind: 'dense', inputs: 100, outputs: 10 }, undefined, 1);
    check({ kind: 'dense', inputs: 784, outputs: 128 }, undefined, 2);
    check({ kind: 'dense', inputs: 3000, outputs: 5 }, undefined, 3);
    check({ kind: 'dense', inputs: 7, outputs: 2100 }, undefined, 4);
  });

  it('conv: MNIST 5x5 1→16 on 28x28 and a strided valid conv over two input ciphertexts, both variants', () => {
    for (const variant of ['input-rotation', 'output-rotation'] as const) {
      check({ kind: 'conv2d', inChannels: 1, outChannels: 16, height: 28, width: 28, kernelSize: 5, stride: 1, padding: 'same' }, variant, 5);
      check({ kind: 'conv2d', inChannels: 8, outChannels: 5, height: 20, width: 19, kernelSize: 3, stride: 2, padding: 'valid' }, variant, 6);
    }
  });

  it('conv with folded outputs (few output channels): full and replicated inputs, both variants', () => {
    for (const variant of ['input-rotation', 'output-rotation'] as const) {
      check({ kind: 'conv2d', inChannels: 16, outChannels: 8, height: 12, width: 12, kernelSize: 5, stride: 1, padding: 'valid' }, variant, 7);
      check({ kind: 'conv2d', inChannels: 6, outChannels: 3, height: 8, width: 8, kernelSize: 3, stride: 2, padding: 'same' }, variant, 8);
    }
  });

  it('conv, random shapes (non-powers of two, strides 1-2, same/valid, several ciphertexts) decrypt to the reference', () => {
    const shape = convShape({ channels: 12, minSize: 17, maxSize: 32, kernelSizes: [1, 3], strides: [1, 2] });
    fc.assert(
      fc.property(shape, fc.constantFrom<ConvVariant>('input-rotation', 'output-rotation'), fc.integer(), (spec, variant, seed) => check(spec, variant, seed)),
      { numRuns: 8 },
    );
  });

  it('pieces: partial outputs of 2 and 3 pieces, added as ciphertexts, decrypt to the layer (cut by taps, by swap group, by diagonal ranges from a shift; dense by input ciphertexts)', () => {
    const cases: [LinearSpec, ConvVariant | undefined, number][] = [
      [{ kind: 'conv2d', inChannels: 16, outChannels: 16, height: 12, width: 12, kernelSize: 5, stride: 1, padding: 'valid' }, 'output-rotation', 2],
      [{ kind: 'conv2d', inChannels: 32, outChannels: 18, height: 16, width: 16, kernelSize: 3, stride: 1, padding: 'same' }, 'output-rotation', 3],
      [{ kind: 'conv2d', inChannels: 32, outChannels: 18, height: 16, width: 16, kernelSize: 3, stride: 1, padding: 'same' }, 'output-rotation', 2],
      [{ kind: 'conv2d', inChannels: 20, outChannels: 7, height: 8, width: 8, kernelSize: 1, stride: 1, padding: 'valid' }, 'output-rotation', 2],
      [{ kind: 'conv2d', inChannels: 20, outChannels: 7, height: 8, width: 8, kernelSize: 3, stride: 1, padding: 'same' }, 'input-rotation', 3],
      [{ kind: 'dense', inputs: 5000, outputs: 9 }, undefined, 2],
    ];
    cases.forEach(([spec, variant, count], i) => {
      let state = i + 11;
      const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      const { weights, x } = randomData(spec, he.params.plainModulus, rand);
      const run = runEncryptedPieces(kernels, he, spec, weights, x, count, variant ? { variant } : {});
      assert.deepEqual(run.actual, run.expected, `${JSON.stringify(spec)} in ${count} pieces`);
      run.counts.forEach((counts, index) => assert.deepEqual(counts, kernels.expectedCounts(spec, he, { ...(variant ? { variant } : {}), piece: { index, count } })));
    });
  });

  it('layers with weight plaintexts that are all zero by shape (conv 20→18 on 16x16: 4 of the second input ciphertext\'s 16 blocks hold channels) run again and again', () => {
    // Each run multiplies by hundreds of all-zero plaintexts; before, each product made node-seal throw, and the
    // third run found its heap corrupted (native-fault.ts).
    const spec: LinearSpec = { kind: 'conv2d', inChannels: 20, outChannels: 18, height: 16, width: 16, kernelSize: 3, stride: 1, padding: 'same' };
    for (let run = 0; run < 4; run++) check(spec, run % 2 === 0 ? 'input-rotation' : 'output-rotation', run + 21);
  });

  it('a layer whose weights are all zero decrypts to its bias (all-zero products are legal intermediates)', () => {
    const spec: LinearSpec = { kind: 'conv2d', inChannels: 2, outChannels: 2, height: 20, width: 20, kernelSize: 3, stride: 1, padding: 'same' };
    const sizes = linearWeightCounts(spec);
    const run = runEncryptedLayer(kernels, he, spec, { weights: new Int32Array(sizes.weights), bias: Int32Array.from([5, -5]) }, new Uint32Array(linearInputLength(spec)).fill(1));
    assert.deepEqual(run.actual, run.expected);
  });
});
