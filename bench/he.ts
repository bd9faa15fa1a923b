/**
 * `he` bench: GAZELLE's packed kernels (`gazelle` plugin) on `seal-bfv`, per preset (`secure`
 * n = 8192, `fast` n = 4096), for FC 784→128, Conv 5x5 1→16 on 28x28 and Conv 3x3 64→64 on 32x32
 * (plus FC 1024→1024, GAZELLE's own FC yardstick).
 *
 * Per layer: the operations counted during `apply`, server seconds of `apply` (median of repeats),
 * and `limitSeconds` = Σ count × per-operation seconds measured by `bench/he-ops.ts` in the same run:
 * rotations × rotate, products × mulPlain, except that the first product of each distinct
 * multiplicand (a rotated input copy, still in coefficient form) costs mulPlainFromCoefficients (it
 * pays the forward NTT), additions × add. Target: seconds ≤ 1.15 × limitSeconds. Bytes each way: the client's upload as
 * seeded symmetric encryptions vs public-key encryptions (target ≤ 1/2), the finished (flooded,
 * mod-switched) ciphertexts returned. Outputs are decrypted and checked against the plaintext
 * reference after the clock stops.
 *
 * `seconds` is the CPU time of `apply` (median of 3): the machine is shared, and a multi-second call's
 * wall time includes other processes' turns (wall times are reported too). `kernelOverheadSeconds`
 * is the wall time `apply` spends outside backend calls. `HE_PRESETS=fast` runs one preset only.
 * The kernels and the backend are the configured `linear` and `he` plugins (defaults `gazelle` and
 * `seal-bfv`), from the wiring; each preset is set in the configuration over the backend's options.
 */
import { loadavg } from 'node:os';
import { withScope, withScopeAsync } from '../core/dispose.ts';
import { withPluginOptions } from '../core/config.ts';
import type { HeBackend, HeCiphertext } from '../core/he.ts';
import type { LinearKernels } from '../core/linear.ts';
import { linearReference } from '../core/linear-reference.ts';
import { NETWORK_LAYERS, TIMED_LAYERS, type NamedLayer } from '../plugins/gazelle-kernels/benchmark-layers.ts';
import { generateKeyPair } from '../plugins/gazelle-kernels/layer-check.ts';
import { measureHeOps } from './he-ops.ts';
import { benchNetworks, layerData } from './he-networks.ts';
import { median } from './measure.ts';
import type { BenchOptions, BenchSuite } from './suite.ts';
import { benchConfig, withBenchWiring } from './wiring.ts';

const TARGET_RATIO = 1.15;
const TARGET_UPLOAD_RATIO = 0.5;

/** Published figures (other machines), recorded beside ours. */
const YARDSTICKS = {
  gazelleCpp: { polyModulusDegree: 2048, conv3x3_64to64_32x32ServerSeconds: 0.438, fc1024x1024ServerSeconds: 0.08, source: 'GAZELLE, USENIX Security 2018, Tables 7 and 8' },
  rotationSecondsAt8192: { nativeSeal: 0.0033, nodeSeal: 0.0071 },
};

const CONTEXT_LAYERS: readonly NamedLayer[] = [{ name: 'FC 1024→1024 (GAZELLE yardstick)', spec: { kind: 'dense', inputs: 1024, outputs: 1024 } }];
const QUICK_LAYERS: readonly NamedLayer[] = [
  { name: 'FC 100→10', spec: { kind: 'dense', inputs: 100, outputs: 10 } },
  { name: 'Conv 3x3 2→3, 16x16, same', spec: { kind: 'conv2d', inChannels: 2, outChannels: 3, height: 16, width: 16, kernelSize: 3, stride: 1, padding: 'same' } },
];

/**
 * The same backend with the wall time spent inside its methods summed up: what `apply` spends
 * outside them is the kernel's own overhead (loops, bookkeeping, disposal).
 */
function timeBackendCalls(backend: HeBackend): { backend: HeBackend; take: () => number } {
  let inside = 0;
  const timed = new Proxy(backend, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const start = performance.now();
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          inside += performance.now() - start;
        }
      };
    },
  });
  return {
    backend: timed,
    take: () => {
      const seconds = inside / 1000;
      inside = 0;
      return seconds;
    },
  };
}

async function benchLayer(kernels: LinearKernels, backend: HeBackend, layer: NamedLayer, quick: boolean, log: (line: string) => void) {
  const { spec } = layer;
  const p = backend.params.plainModulus;
  const { weights, x } = layerData(spec, p);
  const repeats = quick ? 1 : 3;
  return withScopeAsync(async (scope) => {
    const calls = timeBackendCalls(backend);
    let start = performance.now();
    const prepared = scope.track(kernels.prepare(spec, weights, calls.backend));
    const prepareSeconds = (performance.now() - start) / 1000;
    const keys = generateKeyPair(backend, prepared.rotationSteps);
    scope.track(keys.client);
    scope.track(keys.server);
    const slotVectors = prepared.inputLayout.pack(x);
    const uploads = slotVectors.map((slots) => backend.encryptSymmetric(slots, keys.client));
    const publicKeyBytes = slotVectors.reduce((sum, slots) => sum + withScope((s) => backend.serialize(s.track(backend.encryptPublic(slots, keys.server))).length), 0);
    const inputs = uploads.map((bytes) => scope.track(backend.deserialize(bytes)));
    // Per-operation times measured now, with this layer's weights in memory: the machine is shared
    // and its load drifts, so the limit and the kernel are timed minutes apart at most.
    const ops = await measureHeOps(backend, { quick });

    const samples: number[] = [];
    const cpuSamples: number[] = [];
    const overheadSamples: number[] = [];
    let outputs: HeCiphertext[] = [];
    for (let r = 0; r < repeats; r++) {
      outputs.forEach((ct) => ct.dispose());
      // Fresh copies: a ciphertext caches its NTT form, and the first product of each must pay it as in a real call.
      const fresh = inputs.map((ct) => scope.track(backend.deserialize(backend.serialize(ct))));
      calls.take();
      start = performance.now();
      const cpu = process.cpuUsage();
      outputs = prepared.apply(fresh, keys.server).map((ct) => scope.track(ct));
      const used = process.cpuUsage(cpu);
      samples.push((performance.now() - start) / 1000);
      overheadSamples.push(samples.at(-1)! - calls.take());
      cpuSamples.push((used.user + used.system) / 1e6);
      fresh.forEach((ct) => ct.dispose());
    }
    // CPU seconds of this (single-threaded) process: on a shared machine, wall time of a multi-second
    // call includes other processes' turns, while the per-operation medians mostly do not.
    const seconds = median(cpuSamples);
    const counts = prepared.lastCounts;
    // Each multiplicand's first product pays its forward NTT; the others multiply the cached form.
    const limitSeconds =
      counts.rotations * ops.seconds.rotate +
      counts.multiplicands * ops.seconds.mulPlainFromCoefficients +
      (counts.plainMultiplications - counts.multiplicands) * ops.seconds.mulPlain +
      counts.additions * ops.seconds.add;

    const finished = outputs.map((ct) => backend.finish(ct, keys.server));
    const downloadBytes = finished.reduce((sum, f) => sum + f.bytes.length, 0);
    const decrypted = finished.map((f) => withScope((s) => backend.decrypt(s.track(backend.deserialize(f.bytes)), keys.client)));
    const actual = prepared.outputLayout.unpack(decrypted);
    const expected = linearReference(spec, weights, x, p);
    if (!actual.every((v, i) => v === expected[i])) throw new Error(`he bench: ${layer.name} on ${backend.params.preset} does not match the plaintext reference`);
    const uploadBytes = uploads.reduce((sum, u) => sum + u.length, 0);
    const ratio = seconds / limitSeconds;
    log(
      `${backend.params.preset} ${layer.name} (${prepared.method}): ${seconds.toFixed(3)} s, limit ${limitSeconds.toFixed(3)} s, ` +
        `ratio ${ratio.toFixed(2)}, kernel overhead ${(median(overheadSamples) * 1000).toFixed(1)} ms`,
    );
    return {
      layer: layer.name,
      spec,
      method: prepared.method,
      counts,
      expectedCounts: prepared.expectedCounts,
      rotationKeys: prepared.rotationSteps.length,
      prepareSeconds,
      operationSeconds: ops.seconds,
      seconds,
      cpuSecondsSamples: cpuSamples,
      wallSecondsSamples: samples,
      /** Wall seconds of `apply` outside backend calls (the kernel's own work), median. */
      kernelOverheadSeconds: median(overheadSamples),
      loadAverage: loadavg()[0],
      limitSeconds,
      ratio,
      meetsTimeTarget: ratio <= TARGET_RATIO,
      bytes: {
        upload: uploadBytes,
        uploadPublicKey: publicKeyBytes,
        uploadRatio: uploadBytes / publicKeyBytes,
        meetsUploadTarget: uploadBytes / publicKeyBytes <= TARGET_UPLOAD_RATIO,
        download: downloadBytes,
        inputCiphertexts: inputs.length,
        outputCiphertexts: outputs.length,
      },
      marginBits: Math.min(...finished.map((f) => f.marginBits)),
      correct: true,
    };
  });
}

/** Which parts run: `HE_PARTS=kernels,networks` (default both; quick mode: both, small). */
function parts(): Set<string> {
  const names = (process.env.HE_PARTS ?? 'kernels,networks').split(',');
  for (const name of names) if (name !== 'kernels' && name !== 'networks') throw new RangeError(`HE_PARTS: unknown part "${name}"; valid: kernels, networks`);
  return new Set(names);
}

/** The configured HE backend at `preset` (over its configured options), for the length of `body`. */
function withBackend<T>(options: BenchOptions, preset: string, acceptLowerMargin: boolean, body: (backend: HeBackend) => Promise<T>): Promise<T> {
  const config = withPluginOptions(benchConfig(options), 'he', { preset, acceptLowerMargin });
  return withBenchWiring(options, ['he'], config, (wiring) => body(wiring.get('he')));
}

async function runKernels(options: BenchOptions, kernels: LinearKernels): Promise<Record<string, unknown>> {
  const { quick, log } = options;
  const presets = quick ? ['fast'] : (process.env.HE_PRESETS ?? 'secure,fast').split(',');
  const layers = quick ? QUICK_LAYERS : [...TIMED_LAYERS, ...CONTEXT_LAYERS];
  const results: Record<string, unknown> = {};
  for (const preset of presets) {
    results[preset] = await withBackend(options, preset, preset === 'fast', async (backend) => {
      const measured = [];
      for (const layer of layers) measured.push(await benchLayer(kernels, backend, layer, quick, log));
      return { polyModulusDegree: backend.params.polyModulusDegree, backend: backend.name, layers: measured };
    });
  }
  return results;
}

/**
 * Networks D and CIFAR-10 (`HE_NETWORKS=D` for one) layer by layer at the secure preset (quick: two
 * small layers at the fast preset). The backend accepts any margin so that the bench reports it
 * rather than stopping; `meetsMargin` compares it with the engine's 40 + log2(returned ciphertexts).
 */
async function runNetworks(options: BenchOptions, kernels: LinearKernels): Promise<Record<string, unknown>> {
  const { quick, log } = options;
  const names = quick ? [] : (process.env.HE_NETWORKS ?? 'D,CIFAR').split(',');
  const networks = quick
    ? [{ name: 'quick', layers: QUICK_LAYERS }]
    : names.map((name) => {
        if (name !== 'D' && name !== 'CIFAR') throw new RangeError(`HE_NETWORKS: unknown network "${name}"; valid: D, CIFAR`);
        return { name, layers: NETWORK_LAYERS[name] };
      });
  return withBackend(options, quick ? 'fast' : 'secure', true, async (backend) => {
    const figures = await benchNetworks(kernels, backend, networks, log);
    return { preset: backend.params.preset, polyModulusDegree: backend.params.polyModulusDegree, backend: backend.name, networks: figures };
  });
}

async function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const selected = parts();
  return withBenchWiring(options, ['linear'], benchConfig(options), async (wiring) => {
    const kernels = wiring.get('linear');
    return {
      targets: { ratio: TARGET_RATIO, uploadRatio: TARGET_UPLOAD_RATIO },
      yardsticks: YARDSTICKS,
      kernels: kernels.name,
      ...(selected.has('kernels') ? { presets: await runKernels(options, kernels) } : {}),
      ...(selected.has('networks') ? { networks: await runNetworks(options, kernels) } : {}),
    };
  });
}

export const suite: BenchSuite = {
  name: 'he',
  summary:
    'GAZELLE kernels on seal-bfv: FC 784→128, Conv 5x5 1→16 28x28, Conv 3x3 64→64 32x32 per preset (seconds vs Σ count × op time, bytes); ' +
    'networks D and CIFAR-10 layer by layer at the secure preset (Galois keys, seconds, margin, two-worker splits)',
  run,
};
