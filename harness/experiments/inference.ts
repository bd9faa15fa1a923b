/**
 * Fixed-vs-random experiments on whole private inferences (design §7, issue 13): real sessions of
 * the engine (`runLocalInference`, both parties in this process over the configured transport),
 * one session per run, with one party's end recorded (`RecordingChannel`) and what the client
 * derives reported by the engine's test-profile observer. The configured plugins run as they are,
 * wrapped in recording decorators that change nothing (instruments.ts).
 *
 * - The client's view (`clientViewExperiment`): the server's secret is its model's weights. The
 *   fixed class is the all-ones model (every weight 1, every bias 0: encoded weight diagonals are
 *   constant, the noise extreme of TVLA's "fixed" input); the random class draws every weight
 *   uniformly in ±(the given model's largest |weight| of that layer), biases likewise. The client's
 *   image and randomness are fixed; the server's randomness is fresh each run.
 * - The server's view (`serverViewExperiment`): the client's secret is its image (fixed: one seeded
 *   random image; random: fresh uniform pixels). The server's model and randomness are fixed (every
 *   session draws the same Δ, masks and labels), the client's randomness is fresh each run.
 *
 * Randomness the engine does not draw from a session's random source is not held fixed: node-seal
 * draws the client's HE keys and encryption noise itself, so they are fresh in every run.
 */
import type { Channel, Party } from '../../core/channel.ts';
import { RecordingChannel } from '../../core/channel/recording.ts';
import type { GazelleConfig } from '../../core/config.ts';
import { wire, type Wiring } from '../../core/container.ts';
import { ConfigError } from '../../core/errors.ts';
import { withPlainModulus } from '../../core/inference/he-config.ts';
import { HeThread } from '../../core/inference/he-thread.ts';
import { runLocalInference } from '../../core/inference/local-run.ts';
import type { ClientObserver } from '../../core/inference/observer.ts';
import { planInference, type InferencePlan, type RevealPolicy } from '../../core/inference/plan.ts';
import { ServerHe } from '../../core/inference/server-he.ts';
import type { LinearWeights } from '../../core/linear.ts';
import { reduceMod } from '../../core/modp.ts';
import { quantiseInput } from '../../core/model/input.ts';
import type { Model } from '../../core/model/model.ts';
import { randomImages } from '../../core/model/networks.ts';
import { randomBytesFrom, uniformModP, type RandomSource } from '../../core/random.ts';
import type { PluginRegistry } from '../../core/registry.ts';
import { positiveInteger } from '../arguments.ts';
import type { Canary, MarginRecord } from '../checks/check.ts';
import type { Experiment, ExperimentSession, RunOutcome } from '../evidence.ts';
import { Instruments, type Recorded } from '../instruments.ts';
import { simulateClientInferenceView, simulateServerInferenceView, type InferenceSimulation } from '../simulators/inference.ts';
import { viewFromTranscript, type NamedValues } from '../view.ts';
import { derivedKey, PERMUTE_BITS_KEY, partyRandom, SHARE_KEYS } from './inference-views.ts';

export interface InferenceExperimentOptions {
  /** Must be the test profile: the runs seed the parties' randomness and observe the client. */
  readonly config: GazelleConfig;
  readonly registry: PluginRegistry;
  /** The network: its architecture, and its weights (the server's input, or the random weights' magnitudes). */
  readonly model: Model;
  readonly reveal?: RevealPolicy;
  /** Inferences per session (default 2: a reused OT pad shows only between two calls of one session). */
  readonly inferences?: number;
  /** Running HE workers of both parties to share (not closed with the experiment); default: started per attempt. */
  readonly pools?: InferencePools;
}

/** The HE worker threads of the two parties (one server worker: the plan's parallelism is 1). */
export interface InferencePools {
  readonly server: ServerHe;
  readonly client: HeThread;
}

/** Start both parties' HE workers for `config`, computing mod the model's prime `plainModulus` (he-config.ts). */
export async function startInferencePools(config: GazelleConfig, registry: PluginRegistry, plainModulus: number): Promise<InferencePools> {
  const he = withPlainModulus(config, registry, plainModulus);
  const [server, client] = await Promise.allSettled([ServerHe.start(he, registry.source, 1), HeThread.start('client-he', he, registry.source)]);
  if (server.status === 'fulfilled' && client.status === 'fulfilled') return { server: server.value, client: client.value };
  await Promise.all([server, client].flatMap((s) => (s.status === 'fulfilled' ? [s.value.close()] : [])));
  throw (server.status === 'rejected' ? server : (client as PromiseRejectedResult)).reason;
}

export async function closeInferencePools(pools: InferencePools): Promise<void> {
  await Promise.all([pools.server.close(), pools.client.close()]);
}

/** Statistical security: a returned ciphertext needs 40 + log2(returned ciphertexts) bits of margin (design §5). */
const STATISTICAL_SECURITY_BITS = 40;

function bytesOf(values: Int32Array | Uint32Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

/** Bits of entropy a canary window should have, so that a chance match stays negligible. */
const CANARY_BITS = 128;

/**
 * Canary of 32-bit integers of `bitsPerValue` bits of entropy each (small weights, pixels, values
 * mod p): windows of as many values as make 128 bits (at least 4, 16 bytes), one per value. Too short: none.
 */
function integerCanary(name: string, values: Int32Array | Uint32Array, bitsPerValue: number): Canary[] {
  const perWindow = Math.max(4, Math.ceil(CANARY_BITS / bitsPerValue));
  if (values.length < perWindow) return [];
  return [{ name, bytes: bytesOf(values), window: 4 * perWindow, bits: perWindow * bitsPerValue, stride: 4 }];
}

/**
 * Which of a session's mask samplings the protocol reveals by design: with the `logits` policy the
 * server sends its share of the last linear layer, which is that layer's mask (design §2 step 5).
 */
function revealedMaskCalls(plan: InferencePlan): (call: number) => boolean {
  const calls = plan.stages.map((s) => (s.kind === 'linear' ? s.parts.length : s.kind === 'nonlinear' ? 1 : 0));
  const perInference = calls.reduce((a, b) => a + b, 0);
  const last = plan.stages[plan.stages.length - 1]!;
  const revealed = plan.reveal === 'logits' && last.kind === 'linear' ? last.parts.length : 0;
  return (call) => call % perInference >= perInference - revealed;
}

/** One experiment's machinery, per attempt: the instrumented plugins, the HE workers of both parties and the plan. */
class InferenceRig {
  private constructor(
    readonly options: InferenceExperimentOptions,
    readonly instruments: Instruments,
    readonly registry: PluginRegistry,
    readonly pools: InferencePools,
    readonly plan: InferencePlan,
    readonly inferences: number,
  ) {}

  static async open(options: InferenceExperimentOptions): Promise<InferenceRig> {
    if (options.config.profile !== 'test') throw new ConfigError('a privacy audit of whole inferences needs the test profile (it seeds the parties\' randomness and observes the client)');
    const inferences = positiveInteger(options.inferences ?? 2, 'inference experiment: inferences per session');
    const instruments = new Instruments();
    const registry = await instruments.registry(options.registry, options.config);
    const pools = options.pools ?? (await startInferencePools(options.config, registry, options.model.architecture.plainModulus));
    try {
      const plan = await inferencePlan(options, pools);
      return new InferenceRig(options, instruments, registry, pools, plan, inferences);
    } catch (error) {
      if (!options.pools) await closeInferencePools(pools);
      throw error;
    }
  }

  get serverHe(): ServerHe {
    return this.pools.server;
  }

  get clientHe(): HeThread {
    return this.pools.client;
  }

  /** The client's input from 8-bit pixels. */
  input(pixels: Uint8Array): Int32Array {
    return quantiseInput(this.options.model.architecture, pixels);
  }

  /**
   * One session: `inferences` classifications of `pixels` with `model`, each party's randomness from
   * its seed; the `observer` party's end is recorded. Returns its view's parts and what the instruments saw.
   */
  async session(model: Model, pixels: Uint8Array, seeds: Record<Party, string>, observer: Party) {
    let recording: RecordingChannel | undefined;
    const record = (party: Party) => (channel: Channel): Channel => (party === observer ? (recording = new RecordingChannel(channel, party)) : channel);
    const derived = new DerivedValues(this.clientHe.measuresNoise);
    const input = this.input(pixels);
    this.instruments.take();
    const run = await runLocalInference({
      config: this.options.config,
      registry: this.registry,
      model,
      inputs: Array.from({ length: this.inferences }, () => input),
      reveal: this.plan.reveal,
      heWorkers: this.serverHe,
      clientHe: this.clientHe,
      serverRandom: () => partyRandom(seeds.server, 'server'),
      clientRandom: () => partyRandom(seeds.client, 'client'),
      channels: { server: record('server'), client: record('client') },
      observer: derived,
      onInference: (i, result) => derived.result(i, result.logits ? Uint32Array.from(result.logits, (v) => reduceMod(v, this.plan.p)) : Uint32Array.of(result.label)),
    });
    const recorded = this.instruments.take();
    const returned = this.plan.returnedCiphertexts;
    const margin: MarginRecord = { minBits: run.server.minMarginBits, requiredBits: STATISTICAL_SECURITY_BITS + Math.log2(Math.max(1, returned)), ciphertexts: returned * this.inferences };
    return { transcript: recording!.transcript(), derived: derived.values(recorded), recorded, margin };
  }

  async close(): Promise<void> {
    if (!this.options.pools) await closeInferencePools(this.pools);
  }
}

/** The plan both parties follow (public: the architecture, the HE parameters, the kernels, one server HE worker). */
export async function inferencePlan(options: Pick<InferenceExperimentOptions, 'config' | 'registry' | 'model' | 'reveal'>, pools: InferencePools): Promise<InferencePlan> {
  const kernels = await wire(options.config, options.registry, ['linear']);
  try {
    return planInference(options.model.architecture, pools.server, kernels.get('linear'), { reveal: options.reveal ?? 'logits', parallelism: pools.server.workers });
  } finally {
    await kernels.dispose();
  }
}

/** The client's derived values, named as `inference-views.ts` says, in the order it derived them. */
class DerivedValues implements ClientObserver {
  readonly #values: Record<string, Uint32Array | Float64Array | Uint8Array> = {};
  #inference = 0;

  decrypted(layer: string, part: number, slots: readonly Uint32Array[]): void {
    slots.forEach((s, c) => (this.#values[derivedKey.slots(this.#inference, layer, part, c)] = s));
  }

  /** Decryption noise, asked for only where the HE backend measures it (a second decryption of every returned ciphertext). */
  readonly noise?: (layer: string, part: number, noise: readonly Float64Array[]) => void;

  constructor(measuresNoise: boolean) {
    if (measuresNoise) this.noise = (layer, part, noise) => noise.forEach((v, c) => (this.#values[derivedKey.noise(this.#inference, layer, part, c)] = v));
  }

  decoded(layer: string, values: Uint32Array, role: 'share' | 'output'): void {
    this.#values[role === 'share' ? derivedKey.share(this.#inference, layer) : derivedKey.output(this.#inference, layer)] = values;
  }

  /** The client's result of inference `i` (logits mod p, or the label): its output. */
  result(i: number, values: Uint32Array): void {
    this.#values[derivedKey.result(i)] = values;
    this.#inference = i + 1;
  }

  values(recorded: Recorded): NamedValues {
    return { ...this.#values, [PERMUTE_BITS_KEY]: recorded.permuteBits };
  }
}

/** The all-ones model of `model`'s architecture (TVLA's fixed secret for the client's view). */
export function allOnesModel(model: Model): Model {
  const weights = new Map<string, LinearWeights>();
  for (const [name, w] of model.weights) weights.set(name, { weights: new Int32Array(w.weights.length).fill(1), bias: new Int32Array(w.bias.length) });
  return { architecture: model.architecture, weights, salt: new Uint8Array(32) };
}

function magnitude(values: Int32Array): number {
  let max = 1;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max;
}

function uniformIntegers(source: RandomSource, count: number, bound: number): Int32Array {
  return Int32Array.from(uniformModP(source, count, 2 * bound + 1), (v) => v - bound);
}

/** Weights uniform in ±(`model`'s largest |weight| per layer), biases likewise, for the same architecture. */
export function randomWeightsModel(model: Model, source: RandomSource): Model {
  const weights = new Map<string, LinearWeights>();
  for (const [name, w] of model.weights) {
    weights.set(name, { weights: uniformIntegers(source, w.weights.length, magnitude(w.weights)), bias: uniformIntegers(source, w.bias.length, magnitude(w.bias)) });
  }
  return { architecture: model.architecture, weights, salt: randomBytesFrom(source, 32) };
}

/** Lazily wired simulators (they load node-seal in this thread, which slows garbling: only once every real run is done). */
class LazySimulation {
  #wiring: Promise<Wiring> | undefined;

  constructor(private readonly rig: InferenceRig) {}

  async get(): Promise<InferenceSimulation> {
    const { config, registry } = this.rig.options;
    this.#wiring ??= wire(withPlainModulus(config, registry, this.rig.plan.p), registry, ['transport', 'ot-extension', 'garbling', 'he', 'linear']);
    const w = await this.#wiring;
    return { plan: this.rig.plan, he: w.get('he'), kernels: w.get('linear'), garbling: w.get('garbling'), ot: w.get('ot-extension'), transport: w.get('transport'), wireSizes: this.rig.serverHe.wireSizes };
  }

  async dispose(): Promise<void> {
    if (this.#wiring) await (await this.#wiring).dispose();
  }
}

/** The client's view of whole inferences; the server's weights are the secret. */
export function clientViewExperiment(options: InferenceExperimentOptions): Experiment<Model> {
  return {
    name: `client-view/${options.model.architecture.name}`,
    observer: 'client',
    fixedSecret: allOnesModel(options.model),
    randomSecret: (source) => randomWeightsModel(options.model, source),
    async open(observerSeed): Promise<ExperimentSession<Model>> {
      const rig = await InferenceRig.open(options);
      const simulation = new LazySimulation(rig);
      const [pixels] = randomImages(options.model.architecture.input.shape, 1, observerSeed);
      const p = rig.plan.p;
      const revealed = revealedMaskCalls(rig.plan);
      return {
        async run(model, otherSeed): Promise<RunOutcome> {
          const s = await rig.session(model, pixels!, { client: observerSeed, server: otherSeed }, 'client');
          const view = viewFromTranscript(s.transcript, { input: { image: pixels!, input: rig.input(pixels!) }, seed: observerSeed, derived: s.derived });
          const canaries: Canary[] = [];
          for (const [name, w] of model.weights) canaries.push(...integerCanary(`weights of ${name}`, w.weights, Math.log2(2 * magnitude(w.weights) + 1)));
          s.recorded.masks.forEach((m, i) => {
            if (!revealed(i)) canaries.push(...integerCanary(`mask ${i}`, m, Math.log2(p)));
          });
          s.recorded.deltas.forEach((d) => canaries.push({ name: 'Δ', bytes: d, bits: 127 }));
          return { view, canaries, margin: s.margin };
        },
        simulate: async (view, seed) => simulateClientInferenceView(await simulation.get(), view, seed),
        async close() {
          await simulation.dispose();
          await rig.close();
        },
      };
    },
  };
}

/** The server's view of whole inferences; the client's image is the secret. */
export function serverViewExperiment(options: InferenceExperimentOptions): Experiment<Uint8Array> {
  const shape = options.model.architecture.input.shape;
  const size = shape.channels * shape.height * shape.width;
  return {
    name: `server-view/${options.model.architecture.name}`,
    observer: 'server',
    fixedSecret: randomImages(shape, 1, 'inference-experiment/fixed-image')[0]!,
    randomSecret: (source) => randomBytesFrom(source, size),
    async open(observerSeed): Promise<ExperimentSession<Uint8Array>> {
      const rig = await InferenceRig.open(options);
      const simulation = new LazySimulation(rig);
      const p = rig.plan.p;
      const weights: Record<string, Int32Array> = {};
      for (const [name, w] of options.model.weights) weights[`weights ${name}`] = w.weights;
      return {
        async run(pixels, otherSeed): Promise<RunOutcome> {
          const s = await rig.session(options.model, pixels, { client: otherSeed, server: observerSeed }, 'server');
          const view = viewFromTranscript(s.transcript, { input: weights, seed: observerSeed, derived: {} });
          const canaries: Canary[] = [{ name: 'image', bytes: pixels }, ...integerCanary('quantised image', rig.input(pixels), 8)];
          for (const [key, values] of Object.entries(s.derived)) {
            if (SHARE_KEYS.test(key) && values instanceof Uint32Array) canaries.push(...integerCanary(`client's share ${key}`, values, Math.log2(p)));
          }
          return { view, canaries, margin: s.margin };
        },
        simulate: async (view, seed) => simulateServerInferenceView(await simulation.get(), view, seed),
        async close() {
          await simulation.dispose();
          await rig.close();
        },
      };
    },
  };
}
