/**
 * The `networks` part of the `he` bench: every linear layer of networks D and CIFAR-10 on one
 * backend (the secure preset), single-threaded, as the engine would run it, and the ways of sharing
 * a layer between two HE workers:
 *
 * - `whole`: the layer in one call;
 * - `outputSlices`: the layer cut into two halves of its output channels/outputs (what the engine's
 *   plan does today), each its own prepared layer; the slower half bounds a two-worker layer.
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
  /** Σ over layers of the whole layer's seconds, and of the slower output slice's (or the whole layer's). */
  readonly totals: { readonly whole: number; readonly outputSlices: number };
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
  return withScope((scope) => {
    const prepared = scope.track(kernels.prepare(spec, weights, backend));
    const { call: whole, outputs } = timeApply(prepared, upload(backend, prepared, x, keys, scope), keys.server, scope);
    const finished = outputs.map((ct) => backend.finish(ct, keys.server));
    const marginBits = Math.min(...finished.map((f) => f.marginBits));
    checkEqual(prepared.outputLayout.unpack(finished.map((f) => withScope((s) => backend.decrypt(s.track(backend.deserialize(f.bytes)), keys.client)))), expected, layer.name);

    const units = spec.kind === 'dense' ? spec.outputs : spec.outChannels;
    let outputSlices: LayerFigures['outputSlices'];
    if (units > 1) {
      const half = Math.ceil(units / 2);
      const parts = [outputSlice(spec, weights, 0, half), outputSlice(spec, weights, half, units - half)].map((slice) =>
        withScope((s) => {
          const part = s.track(kernels.prepare(slice.spec, slice.weights, backend));
          const timed = timeApply(part, upload(backend, part, x, keys, s), keys.server, s);
          checkEqual(decryptUnpack(backend, part, timed.outputs, keys), expected.subarray(slice.start, slice.start + slice.length), `${layer.name} (output slice)`);
          return timed.call;
        }),
      );
      outputSlices = { parts, speedup: whole.seconds / Math.max(...parts.map((c) => c.seconds)) };
    }
    log(
      `  ${layer.name} (${prepared.method}): ${whole.seconds.toFixed(3)} s, ${whole.counts.rotations} rotations, ${whole.counts.plainMultiplications} products, ` +
        `margin ${marginBits.toFixed(1)} bits` +
        (outputSlices ? `; output halves ${outputSlices.parts.map((c) => c.seconds.toFixed(3)).join(' + ')} s (×${outputSlices.speedup.toFixed(2)})` : ''),
    );
    return { layer: layer.name, spec, method: prepared.method, rotationSteps: prepared.rotationSteps, whole, marginBits, returnedCiphertexts: outputs.length, outputSlices };
  });
}

/** Galois steps of every layer and of every output half the bench prepares. */
function networkSteps(kernels: LinearKernels, backend: HeBackend, layers: readonly NamedLayer[]): number[] {
  const steps = new Set<number>();
  for (const { spec } of layers) {
    const units = spec.kind === 'dense' ? spec.outputs : spec.outChannels;
    const specs = units > 1 ? [spec, outputSliceSpec(spec, Math.ceil(units / 2)), outputSliceSpec(spec, units - Math.ceil(units / 2))] : [spec];
    for (const s of specs) for (const step of kernels.rotationSteps(s, backend)) steps.add(step);
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
        const totals = {
          whole: layers.reduce((sum, l) => sum + l.whole.seconds, 0),
          outputSlices: layers.reduce((sum, l) => sum + Math.min(l.whole.seconds, ...(l.outputSlices?.parts.length ? [Math.max(...l.outputSlices.parts.map((c) => c.seconds))] : [])), 0),
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
