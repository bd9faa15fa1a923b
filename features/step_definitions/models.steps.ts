import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { ARCHITECTURE_FORMAT, isLinear, type Architecture } from '../../core/model/architecture.ts';
import type { FloatModel } from '../../core/model/float-model.ts';
import { quantiseInput } from '../../core/model/input.ts';
import type { Model } from '../../core/model/model.ts';
import { ARCHITECTURE_FILE, loadModelDir, modelFingerprint, saveModel, WEIGHTS_FILE } from '../../core/model/model-files.ts';
import { randomImages, randomModel } from '../../core/model/networks.ts';
import { quantise, type QuantiseReport } from '../../core/model/quantise.ts';
import { referenceInference } from '../../core/model/reference.ts';
import type { GazelleWorld } from '../support/world.ts';
import { PLACEHOLDER } from './cli.steps.ts';

const SAVED = 'models.saved';
const LOADED = 'models.loaded';
const QUANTISED = 'models.quantised';
const FLOAT = 'models.float';
const FAILURE = 'models.failure';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gazelle-feature-model-'));
}

/** A grey PNG of the given size (mid-grey), written by pngjs. */
function greyPng(width: number, height: number): string {
  const png = new PNG({ width, height });
  png.data.fill(128);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  const path = join(tempDir(), `grey-${width}x${height}.png`);
  writeFileSync(path, PNG.sync.write(png, { colorType: 0 }));
  return path;
}

const failure = (world: GazelleWorld, action: () => unknown) => {
  try {
    action();
  } catch (error) {
    world.state.set(FAILURE, error);
    return;
  }
  assert.fail('expected a failure, the action succeeded');
};

Given('a {int}x{int} grey PNG image', function (this: GazelleWorld, width: number, height: number) {
  this.state.set(`${PLACEHOLDER}image`, greyPng(width, height));
});

Given('the network {string} with random weights, quantised and saved to a directory', function (this: GazelleWorld, name: string) {
  const dir = join(tempDir(), name);
  const saved = saveModel(dir, randomModel(name).model);
  this.state.set(SAVED, { dir, model: saved });
  this.state.set(`${PLACEHOLDER}model-dir`, dir);
  const { width, height } = saved.architecture.input.shape;
  this.state.set(`${PLACEHOLDER}image`, greyPng(width, height)); // grey into a colour model: R = G = B
});

const saved = (world: GazelleWorld) => world.state.get(SAVED) as { dir: string; model: Model };

When('I load the model from that directory', function (this: GazelleWorld) {
  this.state.set(LOADED, loadModelDir(saved(this).dir));
});

Then('it has the same architecture, weights and fingerprint as the model saved', function (this: GazelleWorld) {
  const loaded = this.state.get(LOADED) as Model;
  const { model } = saved(this);
  assert.deepEqual(loaded.architecture, model.architecture);
  assert.deepEqual(loaded.weights, model.weights);
  assert.equal(modelFingerprint(loaded), modelFingerprint(model));
});

Then('the JSON output has {int} integer logits and the label is the index of the first largest one', function (this: GazelleWorld, count: number) {
  const out = JSON.parse(this.lastCommand!.stdout) as { logits: number[]; label: number };
  assert.equal(out.logits.length, count);
  assert.ok(out.logits.every(Number.isInteger));
  assert.equal(out.label, out.logits.indexOf(Math.max(...out.logits)));
});

/** Byte offset of the start of `layer`'s record in the weights file, from the documented layout. */
function recordStart(model: Model, layer: string): { start: number; firstWeight: number } {
  let at = 8 + 4 + 32 + 32 + 4;
  for (const l of model.architecture.layers.filter(isLinear)) {
    const nameLength = Buffer.byteLength(l.name);
    const firstWeight = at + 2 + nameLength + 4 + 1 + 4 + 4;
    if (l.name === layer) return { start: at, firstWeight };
    const { weights, bias } = model.weights.get(l.name)!;
    at = firstWeight + 4 * (weights.length + bias.length) + 32;
  }
  throw new Error(`no linear layer ${layer}`);
}

When('its weights file is cut short in the middle of layer {string}', function (this: GazelleWorld, layer: string) {
  const { dir, model } = saved(this);
  const path = join(dir, WEIGHTS_FILE);
  writeFileSync(path, readFileSync(path).subarray(0, recordStart(model, layer).firstWeight + 10));
});

When('one bit of a weight of layer {string} is flipped in the weights file', function (this: GazelleWorld, layer: string) {
  const { dir, model } = saved(this);
  const path = join(dir, WEIGHTS_FILE);
  const bytes = readFileSync(path);
  bytes[recordStart(model, layer).firstWeight + 4]! ^= 0x10;
  writeFileSync(path, bytes);
});

When('the weight scale of layer {string} is changed in architecture.json', function (this: GazelleWorld, layer: string) {
  const path = join(saved(this).dir, ARCHITECTURE_FILE);
  const arch = JSON.parse(readFileSync(path, 'utf8')) as { layers: { name: string; weightScaleBits?: number }[] };
  arch.layers.find((l) => l.name === layer)!.weightScaleBits! += 1;
  writeFileSync(path, JSON.stringify(arch, null, 2));
});

Then('loading the model fails with {string}', function (this: GazelleWorld, text: string) {
  failure(this, () => loadModelDir(saved(this).dir));
  const error = this.state.get(FAILURE) as Error;
  assert.ok(error.message.includes(text), error.message);
});

Then('the error says {string}', function (this: GazelleWorld, text: string) {
  const error = this.state.get(FAILURE) as Error;
  assert.ok(error.message.includes(text), error.message);
});

When('I quantise the network {string} with random weights for p = {int}', function (this: GazelleWorld, name: string, p: number) {
  const result = randomModel(name);
  assert.equal(result.model.architecture.plainModulus, p);
  this.state.set(QUANTISED, result);
});

const quantised = (world: GazelleWorld) => world.state.get(QUANTISED) as { model: Model; report: QuantiseReport };

Then("every layer's proven bound is below \\(p-1)\\/2", function (this: GazelleWorld) {
  const { model, report } = quantised(this);
  const limit = (model.architecture.plainModulus - 1) / 2;
  assert.equal(report.layers.length, model.architecture.layers.length);
  for (const layer of report.layers) assert.ok(layer.bound <= limit && layer.headroomBits >= 0, `${layer.name}: ${layer.bound} > ${limit}`);
});

Then("no value on {int} random images exceeds its layer's proven bound", function (this: GazelleWorld, count: number) {
  const { model, report } = quantised(this);
  for (const pixels of randomImages(model.architecture.input.shape, count, 'feature-images')) {
    referenceInference(model, quantiseInput(model.architecture, pixels)).activations.forEach((values, i) => {
      const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      assert.ok(largest <= report.layers[i]!.bound, `${report.layers[i]!.name}: ${largest} > ${report.layers[i]!.bound}`);
    });
  }
});

Then('the quantised model has a rescale right before each square', function (this: GazelleWorld) {
  const { layers } = quantised(this).model.architecture;
  const squares = layers.flatMap((l, i) => (l.kind === 'square' ? [i] : []));
  assert.ok(squares.length > 0);
  for (const i of squares) assert.equal(layers[i - 1]!.kind, 'rescale', `before ${layers[i]!.name}`);
});

Then('the report notes {string}', function (this: GazelleWorld, text: string) {
  const { notes } = quantised(this).report;
  assert.ok(notes.some((n) => n.includes(text)), notes.join('\n'));
});

Given('a float model that sums {int} pixels taken as {int} to {int}', function (this: GazelleWorld, pixels: number, lo: number, hi: number) {
  const side = Math.sqrt(pixels);
  const model: FloatModel = {
    name: 'overflow',
    input: { shape: { channels: 1, height: side, width: side }, floatRange: [lo, hi] },
    layers: [{ kind: 'dense', name: 'sum', inputs: pixels, outputs: 1, weights: new Float64Array(pixels).fill(1), bias: new Float64Array(1) }],
  };
  this.state.set(FLOAT, model);
});

When('I quantise it for p = {int}', function (this: GazelleWorld, p: number) {
  const model = this.state.get(FLOAT) as FloatModel;
  failure(this, () => quantise(model, randomImages(model.input.shape, 2, 'overflow'), { plainModulus: p }));
});

Then('quantising fails with {string}', function (this: GazelleWorld, text: string) {
  const error = this.state.get(FAILURE) as Error;
  assert.equal(error.name, 'ModelRangeError');
  assert.ok(error.message.includes(text), error.message);
});

Then('the error names the layer {string}', function (this: GazelleWorld, layer: string) {
  assert.ok((this.state.get(FAILURE) as Error).message.includes(`layer "${layer}"`));
});

Given('a quantised model for p = {int} whose first output has a bias of {int}', function (this: GazelleWorld, p: number, bias: number) {
  const architecture: Architecture = {
    format: ARCHITECTURE_FORMAT,
    name: 'tiny',
    input: { shape: { channels: 1, height: 1, width: 2 }, floatRange: [0, 1], scaleBits: 0, min: 0, max: 1 },
    plainModulus: p,
    layers: [{ kind: 'dense', name: 'fc', inputs: 2, outputs: 2, weightScaleBits: 0 }],
    output: { classes: 2, scaleBits: 0 },
  };
  this.state.set(QUANTISED, { model: { architecture, weights: new Map([['fc', { weights: new Int32Array(4), bias: Int32Array.of(bias, 0) }]]) } });
});

When('I run the plaintext reference on it', function (this: GazelleWorld) {
  failure(this, () => referenceInference(quantised(this).model, Int32Array.of(0, 1)));
});

Then('the reference fails with {string}', function (this: GazelleWorld, text: string) {
  const error = this.state.get(FAILURE) as Error;
  assert.equal(error.name, 'ModelRangeError');
  assert.ok(error.message.includes(text), error.message);
});
