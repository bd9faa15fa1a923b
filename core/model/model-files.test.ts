import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, ModelFormatError, ModelRangeError } from '../errors.ts';
import { seededRandom } from '../random.ts';
import type { Architecture } from './architecture.ts';
import { architectureFingerprint } from './architecture-json.ts';
import type { FloatModel } from './float-model.ts';
import type { Model } from './model.ts';
import { ARCHITECTURE_FILE, loadModelDir, modelFingerprint, saveModel, WEIGHTS_FILE } from './model-files.ts';
import { loadModel, resolveModel } from './model-store.ts';
import { randomImages } from './networks.ts';
import { quantise } from './quantise.ts';
import { encodeWeightsFile } from './weights-file.ts';

const root = mkdtempSync(join(tmpdir(), 'gazelle-model-files-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `m${dirs++}`);

const f64 = (n: number, seed: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(seed * 7 + i) / 2);
const floatModel: FloatModel = {
  name: 'small',
  input: { shape: { channels: 1, height: 6, width: 6 }, floatRange: [0, 1] },
  layers: [
    { kind: 'conv2d', name: 'conv1', inChannels: 1, outChannels: 2, kernelSize: 3, stride: 1, padding: 'valid', weights: f64(18, 1), bias: f64(2, 2) },
    { kind: 'relu', name: 'relu1' },
    { kind: 'maxpool', name: 'pool1', window: 2, stride: 2 },
    { kind: 'dense', name: 'fc', inputs: 8, outputs: 3, weights: f64(24, 3), bias: f64(3, 4) },
  ],
};
const { model } = quantise(floatModel, randomImages(floatModel.input.shape, 4, 'files'), { random: seededRandom('model-files') });

function savedCopy(): string {
  const dir = freshDir();
  saveModel(dir, model);
  return dir;
}

test('a saved model loads back identical, architecture.json is pretty JSON, the fingerprint survives', () => {
  const dir = savedCopy();
  const loaded = loadModelDir(dir);
  assert.deepEqual(loaded.architecture, model.architecture);
  assert.deepEqual(loaded.weights, model.weights);
  assert.deepEqual(loaded.salt, model.salt);
  assert.equal(modelFingerprint(loaded), modelFingerprint(model));
  const text = readFileSync(join(dir, ARCHITECTURE_FILE), 'utf8');
  assert.match(text, /^\{\n {2}"format": "gazelle-architecture\/1",\n/);
  // Reformatting the JSON changes neither the fingerprint nor the loading.
  writeFileSync(join(dir, ARCHITECTURE_FILE), JSON.stringify(JSON.parse(text)));
  assert.equal(architectureFingerprint(loadModelDir(dir).architecture), architectureFingerprint(model.architecture));
});

test('the model fingerprint commits to every weight and to the salt', () => {
  const changed = new Map(model.weights);
  const fc = model.weights.get('fc')!;
  changed.set('fc', { weights: fc.weights.map((w, i) => (i === 5 ? w + 1 : w)), bias: fc.bias });
  const base = modelFingerprint(model);
  assert.match(base, /^[0-9a-f]{64}$/);
  assert.notEqual(modelFingerprint({ ...model, weights: changed }), base);
  assert.notEqual(modelFingerprint({ ...model, salt: new Uint8Array(32) }), base);
  assert.throws(() => modelFingerprint({ architecture: model.architecture, weights: model.weights }), ConfigError);
});

/** Where each layer's record starts and ends in the weights file (from the format, independently of the reader). */
function recordSpans(arch: Architecture, weights: Model['weights']): { name: string; start: number; end: number }[] {
  let at = 8 + 4 + 32 + 32 + 4;
  return arch.layers
    .filter((l) => l.kind === 'conv2d' || l.kind === 'dense')
    .map((l) => {
      const { weights: w, bias: b } = weights.get(l.name)!;
      const start = at;
      at += 2 + Buffer.byteLength(l.name) + 4 + 1 + 4 + 4 + 4 * (w.length + b.length) + 32;
      return { name: l.name, start, end: at };
    });
}

test('a weights file truncated at any offset is refused, naming the file, and the layer inside a record', () => {
  const dir = savedCopy();
  const path = join(dir, WEIGHTS_FILE);
  const bytes = readFileSync(path);
  const spans = recordSpans(model.architecture, model.weights);
  for (let length = 0; length < bytes.length; length++) {
    writeFileSync(path, bytes.subarray(0, length));
    const inside = spans.find((s) => length >= s.start && length < s.end);
    assert.throws(
      () => loadModelDir(dir),
      (e: unknown) =>
        e instanceof ModelFormatError && e.message.startsWith(`${path}: `) && /truncated/.test(e.message) && (inside === undefined || e.message.includes(`layer "${inside.name}"`)),
      `length ${length}`,
    );
  }
});

test('a flipped bit anywhere in the weights file is refused; in a record it names the layer', () => {
  const dir = savedCopy();
  const path = join(dir, WEIGHTS_FILE);
  const bytes = readFileSync(path);
  const spans = recordSpans(model.architecture, model.weights);
  for (let offset = 0; offset < bytes.length; offset++) {
    const damaged = Uint8Array.from(bytes);
    damaged[offset]! ^= 1 << offset % 8;
    writeFileSync(path, damaged);
    const inside = spans.find((s) => offset >= s.start && offset < s.end);
    assert.throws(
      () => loadModelDir(dir),
      (e: unknown) => e instanceof ModelFormatError && e.message.startsWith(`${path}: `) && (inside === undefined || e.message.includes(`layer "${inside.name}"`)),
      `offset ${offset}`,
    );
  }
  // Specific places: a weight value (the layer's checksum), the salt (the file's checksum).
  const fcWeight = spans[1]!.start + 2 + 2 + 4 + 1 + 8 + 4 * 3;
  for (const [offset, message] of [
    [fcWeight, /weights.bin: layer "fc": checksum: the layer's SHA-256 does not match/],
    [20, /weights.bin: file checksum: the file's SHA-256 does not match its last 32 bytes/],
    [0, /weights.bin: magic: not a gazelle weights file/],
    [8, /weights.bin: format version: version 0 is not supported/],
  ] as const) {
    const damaged = Uint8Array.from(bytes);
    damaged[offset]! ^= 1;
    writeFileSync(path, damaged);
    assert.throws(() => loadModelDir(dir), message);
  }
});

test('weights of the wrong size for a layer are refused naming the layer and field', () => {
  const dir = savedCopy();
  const fc = model.weights.get('fc')!;
  const wrong = new Map(model.weights);
  wrong.set('fc', { weights: fc.weights.subarray(1), bias: fc.bias });
  writeFileSync(join(dir, WEIGHTS_FILE), encodeWeightsFile(model.architecture, wrong, model.salt!));
  assert.throws(() => loadModelDir(dir), /weights.bin: layer "fc": weights: expected 24 values, the file has 23/);
});

test('an architecture edited after saving is refused; so are weights of another model', () => {
  const dir = savedCopy();
  const archPath = join(dir, ARCHITECTURE_FILE);
  const arch = JSON.parse(readFileSync(archPath, 'utf8'));
  arch.layers[0].weightScaleBits += 1;
  writeFileSync(archPath, JSON.stringify(arch, null, 2));
  assert.throws(() => loadModelDir(dir), /weights.bin: architecture SHA-256: the weights were saved for a different architecture .* edited after saving/);
  arch.layers[0].weightScaleBits -= 1;
  arch.layers.at(-1).outputs = 4; // sizes change too: still the architecture check that speaks first
  arch.output.classes = 4;
  writeFileSync(archPath, JSON.stringify(arch, null, 2));
  assert.throws(() => loadModelDir(dir), /architecture SHA-256: the weights were saved for a different architecture/);
});

test('a malformed or missing architecture.json is an error naming the file, layer and field', () => {
  const dir = savedCopy();
  const archPath = join(dir, ARCHITECTURE_FILE);
  const arch = JSON.parse(readFileSync(archPath, 'utf8'));
  writeFileSync(archPath, '{"format": ');
  assert.throws(() => loadModelDir(dir), (e: unknown) => e instanceof ModelFormatError && e.message.startsWith(`${archPath}: not valid JSON`));
  arch.layers[0].kernelSize = 0;
  writeFileSync(archPath, JSON.stringify(arch));
  assert.throws(() => loadModelDir(dir), (e: unknown) => e instanceof ModelFormatError && e.message.startsWith(`${archPath}: layer "conv1": kernelSize: must be an integer ≥ 1, got 0`));
  rmSync(archPath);
  assert.throws(() => loadModelDir(dir), (e: unknown) => e instanceof ModelFormatError && e.message.startsWith(`${archPath}: cannot read the architecture`));
  rmSync(join(dir, WEIGHTS_FILE));
  writeFileSync(archPath, JSON.stringify(model.architecture));
  assert.throws(() => loadModelDir(dir), new RegExp(`${join(dir, WEIGHTS_FILE)}: cannot read the weights`));
});

test('a model that could wrap around is neither saved nor loaded', () => {
  // p = 257 allows magnitudes up to 128; the bias alone is 200.
  const overflowing: Model = {
    architecture: { ...model.architecture, plainModulus: 257, input: { ...model.architecture.input, scaleBits: 0, min: 0, max: 1 }, layers: [{ kind: 'dense', name: 'fc', inputs: 36, outputs: 3, weightScaleBits: 0 }], output: { classes: 3, scaleBits: 0 } },
    weights: new Map([['fc', { weights: new Int32Array(108), bias: Int32Array.of(200, 0, 0) }]]),
  };
  assert.throws(() => saveModel(freshDir(), overflowing), ModelRangeError);
  // Written by hand (bypassing saveModel), it is refused on loading.
  const dir = freshDir();
  mkdirSync(dir);
  writeFileSync(join(dir, ARCHITECTURE_FILE), JSON.stringify(overflowing.architecture));
  writeFileSync(join(dir, WEIGHTS_FILE), encodeWeightsFile(overflowing.architecture, overflowing.weights, new Uint8Array(32)));
  assert.throws(() => loadModelDir(dir), (e: unknown) => e instanceof ModelRangeError && e.message.startsWith(`${dir}: layer "`));
});

test('loading by name: a directory, then a committed model of that name, then the built-in random network', () => {
  const modelsDir = join(root, 'models');
  const dir = savedCopy();
  assert.deepEqual(resolveModel(dir, modelsDir), { kind: 'directory', dir });
  assert.deepEqual(resolveModel('CIFAR-small', modelsDir), { kind: 'random', name: 'CIFAR-small' });
  cpSync(dir, join(modelsDir, 'CIFAR-small'), { recursive: true });
  assert.deepEqual(resolveModel('CIFAR-small', modelsDir), { kind: 'directory', dir: join(modelsDir, 'CIFAR-small') });
  assert.equal(loadModel('CIFAR-small', modelsDir).architecture.name, 'small');
  assert.throws(() => resolveModel('E', modelsDir), (e: unknown) => e instanceof ConfigError && /no model "E".*available: CIFAR-small, A, B, C, D, CIFAR$/.test(e.message));
});
