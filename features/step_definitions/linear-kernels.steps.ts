import { After, Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { linearInputLength, linearWeightCounts, type ConvVariant, type LinearSpec, type OpCounts, type PrepareOptions } from '../../core/linear.ts';
import { parseConfig } from '../../core/config.ts';
import { wire, type Wiring } from '../../core/container.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import type { HeBackend } from '../../core/he.ts';
import { GazelleKernels } from '../../plugins/gazelle-kernels/gazelle-kernels.ts';
import { runEncryptedLayer, runEncryptedPieces, type LayerRun } from '../../plugins/gazelle-kernels/layer-check.ts';
import type { GazelleWorld } from '../support/world.ts';

const WIRING = 'linear-kernels.wiring';
const RUN = 'linear-kernels.run';
const CHOICE = 'linear-kernels.choice';
const PIECES = 'linear-kernels.pieces';

interface PiecesState {
  readonly run: ReturnType<typeof runEncryptedPieces>;
  readonly whole: OpCounts;
}

/** "dense 784→128" or "conv 5x5 1→16 28x28 stride 1 same" (height x width). */
function parseLayer(text: string): LinearSpec {
  const dense = /^dense (\d+)→(\d+)$/.exec(text);
  if (dense) return { kind: 'dense', inputs: Number(dense[1]), outputs: Number(dense[2]) };
  const conv = /^conv (\d+)x\1 (\d+)→(\d+) (\d+)x(\d+) stride (\d+) (same|valid)$/.exec(text);
  assert.ok(conv, `cannot read layer "${text}"`);
  const [, k, ci, co, h, w, stride, padding] = conv;
  return {
    kind: 'conv2d', inChannels: Number(ci), outChannels: Number(co), height: Number(h), width: Number(w),
    kernelSize: Number(k), stride: Number(stride), padding: padding as 'same' | 'valid',
  };
}

function strategy(text: string): PrepareOptions {
  assert.ok(['auto', 'input-rotation', 'output-rotation'].includes(text), `unknown strategy "${text}"`);
  return { variant: text as ConvVariant | 'auto' };
}

/** Random 8-bit signed weights and an input mod p. */
function randomLayerData(spec: LinearSpec, p: number) {
  const sizes = linearWeightCounts(spec);
  const weight = () => Math.floor(Math.random() * 255) - 127;
  const weights = { weights: Int32Array.from({ length: sizes.weights }, weight), bias: Int32Array.from({ length: sizes.bias }, weight) };
  return { weights, x: Uint32Array.from({ length: linearInputLength(spec) }, () => Math.floor(Math.random() * p)) };
}

function backend(world: GazelleWorld): HeBackend {
  return (world.state.get(WIRING) as Wiring).get('he');
}

/** The `gazelle` plugin as its own class: the scenarios also ask it which convolution variant it picks. */
function gazelleKernels(world: GazelleWorld): GazelleKernels {
  const kernels = (world.state.get(WIRING) as Wiring).get('linear');
  assert.ok(kernels instanceof GazelleKernels, `the gazelle plugin is a ${kernels.constructor.name}`);
  return kernels;
}

Given('the gazelle kernels over the {string} backend with {int} slots', async function (this: GazelleWorld, name: string, slots: number) {
  const config = parseConfig({ profile: 'test', plugins: { he: { name, options: { polyModulusDegree: slots } }, linear: 'gazelle' } });
  this.state.set(WIRING, await wire(config, builtinRegistry(), ['he', 'linear']));
});

After(async function (this: GazelleWorld) {
  await (this.state.get(WIRING) as Wiring | undefined)?.dispose();
});

When('the server applies {string} with the {string} strategy to an encrypted random input', function (this: GazelleWorld, layer: string, how: string) {
  const spec = parseLayer(layer);
  const he = backend(this);
  const { weights, x } = randomLayerData(spec, he.params.plainModulus);
  this.state.set(RUN, runEncryptedLayer(gazelleKernels(this), he, spec, weights, x, strategy(how)));
});

Then('the client decrypts exactly the plaintext reference mod p', function (this: GazelleWorld) {
  const run = this.state.get(RUN) as LayerRun;
  assert.deepEqual(run.actual, run.expected);
});

Then(
  'the kernel counted {int} rotations, {int} plaintext multiplications and {int} additions',
  function (this: GazelleWorld, rotations: number, plainMultiplications: number, additions: number) {
    const { counts } = this.state.get(RUN) as LayerRun;
    assert.deepEqual({ rotations: counts.rotations, plainMultiplications: counts.plainMultiplications, additions: counts.additions }, { rotations, plainMultiplications, additions });
  },
);

Then('the client made Galois keys for the rotation steps {}only', function (this: GazelleWorld, list: string) {
  const { rotationSteps } = this.state.get(RUN) as LayerRun;
  // "swap" is the lane swap, Galois step 0 (core/he.ts).
  const steps = list.trim().split(/,\s*/).map((s) => (s === 'swap' ? 0 : Number(s)));
  assert.deepEqual([...rotationSteps].sort((a, b) => a - b), steps.sort((a, b) => a - b));
});

When('the server applies {string} in {int} pieces to an encrypted random input', function (this: GazelleWorld, layer: string, count: number) {
  const spec = parseLayer(layer);
  const he = backend(this);
  const { weights, x } = randomLayerData(spec, he.params.plainModulus);
  const kernels = gazelleKernels(this);
  this.state.set(PIECES, { run: runEncryptedPieces(kernels, he, spec, weights, x, count), whole: kernels.expectedCounts(spec, he) });
});

Then("the pieces' partial outputs add up to exactly the plaintext reference mod p", function (this: GazelleWorld) {
  const { run } = this.state.get(PIECES) as PiecesState;
  assert.deepEqual(run.actual, run.expected);
});

Then(
  'each piece takes at most {int} rotations and {int} plaintext multiplications, where the whole layer takes {int} and {int}',
  function (this: GazelleWorld, rotations: number, products: number, allRotations: number, allProducts: number) {
    const { run, whole } = this.state.get(PIECES) as PiecesState;
    assert.equal(Math.max(...run.counts.map((c) => c.rotations)), rotations);
    assert.equal(Math.max(...run.counts.map((c) => c.plainMultiplications)), products);
    assert.deepEqual([whole.rotations, whole.plainMultiplications], [allRotations, allProducts]);
  },
);

Then('the counts are the ones its formulas predict', function (this: GazelleWorld) {
  const run = this.state.get(RUN) as LayerRun;
  assert.deepEqual(run.counts, run.expectedCounts);
});

When('the kernels prepare {string} with the {string} strategy', function (this: GazelleWorld, layer: string, how: string) {
  const spec = parseLayer(layer);
  const he = backend(this);
  const kernels = gazelleKernels(this);
  const rotationsOf = (variant: ConvVariant) => kernels.expectedCounts(spec, he, { variant }).rotations;
  this.state.set(CHOICE, {
    chosen: kernels.convVariant(spec, he, strategy(how)),
    rotations: { 'input-rotation': rotationsOf('input-rotation'), 'output-rotation': rotationsOf('output-rotation') },
  });
});

Then(
  'they choose {string}, needing {int} rotations where the other strategy needs {int}',
  function (this: GazelleWorld, chosen: ConvVariant, fewer: number, more: number) {
    const choice = this.state.get(CHOICE) as { chosen: ConvVariant; rotations: Record<ConvVariant, number> };
    const other: ConvVariant = chosen === 'input-rotation' ? 'output-rotation' : 'input-rotation';
    assert.equal(choice.chosen, chosen);
    assert.equal(choice.rotations[chosen], fewer);
    assert.equal(choice.rotations[other], more);
  },
);
