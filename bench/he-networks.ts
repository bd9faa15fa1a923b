/**
 * The `networks` part of the `he` bench: every linear layer of networks D and CIFAR-10 on one
 * backend (the secure preset), single-threaded, as the engine would run it, and the ways of sharing
 * a layer between two HE workers:
 *
 * - `whole`: the layer in one call;
 * - `outputSlices`: the layer cut into two halves of its output channels/outputs (what the engine's
 *   plan does today), each its own prepared layer; the slower half bounds a two-worker layer;
 * - `pieces`: the layer's work cut into two pieces on its input side (`WorkPiece`, core/linear.ts:
 *   taps or channel diagonals), each returning partial outputs that add up to the layer's; absent
 *   for a layer that cannot be cut (a dense layer with one input ciphertext).
 *
 * Per network: the Galois steps the union of the layers needs, the key generation seconds and the
 * server-key bytes (the setup upload), and per layer the counted operations, CPU seconds of `apply`
 * (one call: the slowest layer takes seconds, and ratios within one run are what matter on a shared
 * machine) and the flooding margin of the returned ciphertexts. Every output is decrypted and checked
 * against the plaintext reference after the clock stops.
 */
import { withScope, withScopeAsync, type DisposalScope } from '../core/dispose.ts';
import type { HeBackend, HeCiphertext, HeServerKeys } from '../core/he.ts';
import { linearInputLength, linearOutputLength, linearWeightCounts, type LinearKernels, type LinearSpec, type LinearWeights, type OpCounts, type PreparedLinear } from '../core/linear.ts';
import { linearReference } from '../core/linear-reference.ts';
import type { NamedLayer } from '../plugins/gazelle-kernels/benchmark-layers.ts';
import { generateKeyPair, type KeyPair } from '../plugins/gazelle-kernels/layer-check.ts';
import { cpuSeconds } from './measure.ts';

export interface NetworkToBench {
  readonly name: string;
  readonly layers: readonly NamedLayer[];
}

/** One `apply` call of a prepared layer: counted operations and CPU seconds. */
export interface TimedCall {
  readonly counts: OpCounts;
  readonly seconds: number;
}

export interface LayerFigures {
  readonly layer: string;
  readonly spec: LinearSpec;
  readonly method: string;
  readonly rotationSteps: readonly number[];
  readonly whole: TimedCall;
  /** Smallest flooding margin (bits) over the layer's returned ciphertexts. */
  readonly marginBits: number;
  readonly returnedCiphertexts: number;
  /** Two halves of the outputs (absent for a layer with one output unit). */
  readonly outputSlices?: { readonly parts: readonly TimedCall[]; readonly speedup: number };
  /** Two pieces of the work (absent for a layer that cannot be cut). */
  readonly pieces?: { readonly parts: readonly TimedCall[]; readonly speedup: number };
}

export interface NetworkFigures {
  readonly network: string;
  /** Distinct Galois steps over every layer and every part measured. */
  readonly galoisSteps: readonly number[];
  readonly keygenSeconds: number;
  readonly serverKeyBytes: number;
  readonly layers: readonly LayerFigures[];
  /** The engine's requirement per returned ciphertext, 40 + log2(ciphertexts the whole layers return), and the smallest margin measured. */
  readonly margin: { readonly requiredBits: number; readonly minimumBits: number; readonly meets: boolean };
  /**
   * Σ over layers of the whole layer's seconds; of the slower output slice's (or the whole layer's);
   * of the slower piece's (or the whole layer's); and of the best of the three per layer.
   */
  readonly totals: { readonly whole: number; readonly outputSlices: number; readonly pieces: number; readonly best: number };
}

/** Deterministic pseudo-random layer data: 8-bit signed weights, x mod p. */
export function layerData(spec: LinearSpec, p: number): { weights: LinearWeights; x: Uint32Array } {
  let state = 0x2545f491;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  const weight = () => (next() % 255) - 127;
  const sizes = linearWeightCounts(spec);
  return {
    weights: { weights: Int32Array.from({ length: sizes.weights }, weight), bias: Int32Array.from({ length: sizes.bias }, weight) },
    x: Uint32Array.from({ length: linearInputLength(spec) }, () => next() % p),
  };
}

interface OutputSlice {
  readonly spec: LinearSpec;
  readonly weights: LinearWeights;
  /** Logical outputs [start, start + length) of the whole layer. */
  readonly start: number;
  readonly length: number;
}

/** The layer restricted to output units [first, first + count) (conv: output channels; dense: outputs). */
function outputSlice(spec: LinearSpec, weights: LinearWeights, first: number, count: number): OutputSlice {
  const units = spec.kind === 'dense' ? spec.outputs : spec.outChannels;
  const perUnitWeights = weights.weights.length / units;
  const perUnitOutputs = linearOutputLength(spec) / units;
  return {
    spec: spec.kind === 'dense' ? { ...spec, outputs: count } : { ...spec, outChannels: count },
    weights: {
      weights: weights.weights.slice(first * perUnitWeights, (first + count) * perUnitWeights),
      bias: weights.bias.slice(first, first + count),
    },
    start: first * perUnitOutputs,
    length: count * perUnitOutputs,
  };
}

/** Encrypt x for `prepared` (seeded symmetric uploads, as the client sends them), deserialised fresh. */
function upload(backend: HeBackend, prepared: PreparedLinear, x: Uint32Array, keys: KeyPair, scope: DisposalScope): HeCiphertext[] {
  return prepared.inputLayout.pack(x).map((slots) => scope.track(backend.deserialize(backend.encryptSymmetric(slots, keys.client))));
}

/** CPU seconds of one `apply` (fresh inputs: each first product pays its forward NTT, as in a real call). */
function timeApply(prepared: PreparedLinear, inputs: readonly HeCiphertext[], keys: HeServerKeys, scope: DisposalScope): { call: TimedCall; outputs: HeCiphertext[] } {
  const start = cpuSeconds();
  const outputs = prepared.apply(inputs, keys).map((ct) => scope.track(ct));
  const seconds = cpuSeconds() - start;
  return { call: { counts: prepared.lastCounts, seconds }, outputs };
}

function decryptUnpack(backend: HeBackend, prepared: PreparedLinear, outputs: readonly HeCiphertext[], keys: KeyPair): Uint32Array {
  return prepared.outputLayout.unpack(outputs.map((ct) => backend.decrypt(ct, keys.client)));
}

function checkEqual(actual: Uint32Array, expected: Uint32Array, what: string): void {
  if (actual.length !== expected.length || !actual.every((v, i) => v === expected[i])) throw new Error(`he bench: ${what} does not match the plaintext reference`);
}

function benchLayer(kernels: LinearKernels, backend: HeBackend, layer: NamedLayer, keys: KeyPair, log: (line: string) => void): LayerFigures {
  const { spec } = layer;
  const p = backend.params.plainModulus;
  const { weights, x } = layerData(spec, p);
  const expected = linearReference(spec, weights, x, p);
  // One variant at a time: a big layer's weight plaintexts take most of a gigabyte of wasm memory.
  const { method, rotationSteps, whole, marginBits, returnedCiphertexts } = withScope((scope) => {
    const prepared = scope.track(kernels.prepare(spec, weights, backend));
    const timed = timeApply(prepared, upload(backend, prepared, x, keys, scope), keys.server, scope);
    const finished = timed.outputs.map((ct) => backend.finish(ct, keys.server));
    checkEqual(prepared.outputLayout.unpack(finished.map((f) => withScope((s) => backend.decrypt(s.track(backend.deserialize(f.bytes)), keys.client)))), expected, layer.name);
    return {
      method: prepared.method,
      rotationSteps: prepared.rotationSteps,
      whole: timed.call,
      marginBits: Math.min(...finished.map((f) => f.marginBits)),
      returnedCiphertexts: finished.length,
    };
  });

  const units = spec.kind === 'dense' ? spec.outputs : spec.outChannels;
  let outputSlices: LayerFigures['outputSlices'];
  if (units > 1) {
    const half = Math.ceil(units / 2);
    const parts = [outputSlice(spec, weights, 0, half), outputSlice(spec, weights, half, units - half)].map((slice) =>
      withScope((scope) => {
        const part = scope.track(kernels.prepare(slice.spec, slice.weights, backend));
        const timed = timeApply(part, upload(backend, part, x, keys, scope), keys.server, scope);
        checkEqual(decryptUnpack(backend, part, timed.outputs, keys), expected.subarray(slice.start, slice.start + slice.length), `${layer.name} (output slice)`);
        return timed.call;
      }),
    );
    outputSlices = { parts, speedup: whole.seconds / Math.max(...parts.map((c) => c.seconds)) };
  }

  let pieces: LayerFigures['pieces'];
  if (kernels.maxPieces(spec, backend) >= 2) {
    // Each piece on its own upload (as each worker deserialises its own copy and pays its own transforms).
    const parts = withScope((scope) => {
      const timed = [0, 1].map((index) => {
        const piece = scope.track(kernels.prepare(spec, weights, backend, { piece: { index, count: 2 } }));
        return { piece, ...timeApply(piece, upload(backend, piece, x, keys, scope), keys.server, scope) };
      });
      const sums = timed[0]!.outputs;
      timed[1]!.outputs.forEach((ct, c) => backend.addInPlace(sums[c]!, ct));
      checkEqual(decryptUnpack(backend, timed[0]!.piece, sums, keys), expected, `${layer.name} (pieces)`);
      return timed.map((t) => t.call);
    });
    pieces = { parts, speedup: whole.seconds / Math.max(...parts.map((c) => c.seconds)) };
  }
  const split = (name: string, figures: { parts: readonly TimedCall[]; speedup: number } | undefined) =>
    figures ? `; ${name} ${figures.parts.map((c) => c.seconds.toFixed(3)).join(' + ')} s (×${figures.speedup.toFixed(2)})` : '';
  log(
    `  ${layer.name} (${method}): ${whole.seconds.toFixed(3)} s, ${whole.counts.rotations} rotations, ${whole.counts.plainMultiplications} products, ` +
      `margin ${marginBits.toFixed(1)} bits` +
      split('output halves', outputSlices) +
      split('pieces', pieces),
  );
  return { layer: layer.name, spec, method, rotationSteps, whole, marginBits, returnedCiphertexts, outputSlices, pieces };
}

/** Galois steps of every layer, output half and piece the bench prepares. */
function networkSteps(kernels: LinearKernels, backend: HeBackend, layers: readonly NamedLayer[]): number[] {
  const steps = new Set<number>();
  for (const { spec } of layers) {
    const units = spec.kind === 'dense' ? spec.outputs : spec.outChannels;
    const specs = units > 1 ? [spec, outputSliceSpec(spec, Math.ceil(units / 2)), outputSliceSpec(spec, units - Math.ceil(units / 2))] : [spec];
    for (const s of specs) for (const step of kernels.rotationSteps(s, backend)) steps.add(step);
    if (kernels.maxPieces(spec, backend) >= 2) {
      for (const index of [0, 1]) for (const step of kernels.rotationSteps(spec, backend, { piece: { index, count: 2 } })) steps.add(step);
    }
  }
  return [...steps].sort((a, b) => a - b);
}

function outputSliceSpec(spec: LinearSpec, count: number): LinearSpec {
  return spec.kind === 'dense' ? { ...spec, outputs: count } : { ...spec, outChannels: count };
}

export async function benchNetworks(kernels: LinearKernels, backend: HeBackend, networks: readonly NetworkToBench[], log: (line: string) => void): Promise<NetworkFigures[]> {
  const results: NetworkFigures[] = [];
  for (const network of networks) {
    results.push(
      await withScopeAsync(async (scope) => {
        const galoisSteps = networkSteps(kernels, backend, network.layers);
        const start = cpuSeconds();
        const keys = generateKeyPair(backend, galoisSteps);
        const keygenSeconds = cpuSeconds() - start;
        scope.track(keys.client);
        scope.track(keys.server);
        const serverKeyBytes = backend.exportServerKeys(keys.client).length;
        log(`${backend.params.preset} network ${network.name}: ${galoisSteps.length} Galois steps, ${(serverKeyBytes / 1e6).toFixed(1)} MB of server keys`);
        const layers = network.layers.map((layer) => benchLayer(kernels, backend, layer, keys, log));
        const slowest = (figures: { parts: readonly TimedCall[] } | undefined) => (figures ? [Math.max(...figures.parts.map((c) => c.seconds))] : []);
        const totals = {
          whole: layers.reduce((sum, l) => sum + l.whole.seconds, 0),
          outputSlices: layers.reduce((sum, l) => sum + Math.min(l.whole.seconds, ...slowest(l.outputSlices)), 0),
          pieces: layers.reduce((sum, l) => sum + Math.min(l.whole.seconds, ...slowest(l.pieces)), 0),
          best: layers.reduce((sum, l) => sum + Math.min(l.whole.seconds, ...slowest(l.outputSlices), ...slowest(l.pieces)), 0),
        };
        const returned = layers.reduce((sum, l) => sum + l.returnedCiphertexts, 0);
        const requiredBits = 40 + Math.log2(returned);
        const minimumBits = Math.min(...layers.map((l) => l.marginBits));
        return { network: network.name, galoisSteps, keygenSeconds, serverKeyBytes, layers, margin: { requiredBits, minimumBits, meets: minimumBits >= requiredBits }, totals };
      }),
    );
  }
  return results;
}
