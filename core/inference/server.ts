/**
 * The model owner's side of private inference (design §1-2): holds the model, its HE worker pool
 * (weights prepared once), and serves sessions. A session is setup (handshake, the client's HE keys,
 * base OTs), then any number of inferences, each an offline phase (OT extension, masks, garbling)
 * and an online phase. Everything with a lifetime is owned by the session object (issue 11 item 1).
 */
import { randomUUID } from 'node:crypto';
import type { Channel } from '../channel.ts';
import { CountingChannel } from '../channel/counting.ts';
import { selectPlugin, type GazelleConfig } from '../config.ts';
import { wire, type Wiring } from '../container.ts';
import { ConfigError, ProtocolError } from '../errors.ts';
import type { LinearKernels } from '../linear.ts';
import { architectureFingerprint } from '../model/architecture-json.ts';
import { modelFingerprint } from '../model/model-files.ts';
import type { Model } from '../model/model.ts';
import { validateModel } from '../model/validate.ts';
import { systemRandom, type RandomSource } from '../random.ts';
import type { PluginRegistry } from '../registry.ts';
import { CONTROL, encodeValues, recvFramed } from './messages.ts';
import { announce, PROTOCOL_VERSION, type ServerAnnouncement } from './handshake.ts';
import { GarblerSession } from '../gc/session.ts';
import { withPlainModulus } from './he-config.ts';
import type { ServerContext, ServerLayer } from './layers/context.ts';
import { label } from './layers/context.ts';
import { serverLayer } from './layers/index.ts';
import { layoutCache } from './layouts.ts';
import { planInference, type InferencePlan } from './plan.ts';
import { ServerHe, type PreparedModel } from './server-he.ts';

/** Largest HE key upload accepted (Galois keys: about 0.85 MB per rotation step at the secure preset). */
const MAX_KEY_BYTES = 512 << 20;

export interface InferenceServerOptions {
  readonly config: GazelleConfig;
  readonly registry: PluginRegistry;
  readonly model: Model;
  /** HE worker threads (default: one per core), or a running pool to share (it is not closed with this server). */
  readonly heWorkers?: number | ServerHe;
  /**
   * Each session's random source (default: the operating system's CSPRNG). A seeded source is a
   * test-profile feature (the audit holds one party's randomness fixed) and is refused otherwise.
   */
  readonly random?: () => RandomSource;
}

/** A step of a server session: setup (handshake, the client's HE keys, base OTs), then per inference its offline and online phases. */
export type SessionPhase = 'handshake' | 'he-keys' | 'base-ot' | 'offline' | 'online';

/** What a finished phase cost the server: public figures only (no value of the protocol). */
export interface PhaseRecord {
  readonly phase: SessionPhase;
  /** 1-based index of the inference (offline and online phases). */
  readonly inference?: number;
  readonly seconds: number;
  readonly bytesReceived: number;
  readonly bytesSent: number;
}

/** Watches a session's progress (structured logs, metrics); called synchronously, must not throw. */
export interface SessionObserver {
  phaseDone(record: PhaseRecord): void;
}

export interface ServerSessionSummary {
  readonly inferences: number;
  /** The smallest flooding margin of any returned ciphertext, in bits (Infinity: none returned). */
  readonly minMarginBits: number;
  /** The margin each returned ciphertext must have: 40 + log2 of the ciphertexts returned per inference (docs/architecture.md §6). */
  readonly requiredMarginBits: number;
}

export class InferenceServer {
  readonly #wiring: Wiring;
  readonly #he: ServerHe;
  readonly #ownsHe: boolean;
  readonly #prepared: PreparedModel;
  readonly #model: Model;
  readonly #random: () => RandomSource;
  readonly #announcement: ServerAnnouncement;
  readonly #config: GazelleConfig;

  private constructor(wiring: Wiring, he: ServerHe, prepared: PreparedModel, options: InferenceServerOptions, announcement: ServerAnnouncement) {
    this.#wiring = wiring;
    this.#he = he;
    this.#ownsHe = !(options.heWorkers instanceof ServerHe);
    this.#prepared = prepared;
    this.#model = options.model;
    this.#random = options.random ?? systemRandom;
    this.#announcement = announcement;
    this.#config = options.config;
  }

  /** Wire the plugins, start the HE workers and prepare the model's weights in them. */
  static async start(options: InferenceServerOptions): Promise<InferenceServer> {
    validateModel(options.model);
    const wiring = await wire(options.config, options.registry, ['ot-extension', 'garbling', 'linear', 'masks']);
    const shared = options.heWorkers instanceof ServerHe ? options.heWorkers : undefined;
    let he: ServerHe | undefined = shared;
    try {
      he ??= await ServerHe.start(withPlainModulus(options.config, options.registry, options.model.architecture.plainModulus), options.registry.source, options.heWorkers as number | undefined);
      const kernels = wiring.get('linear');
      const plan = planInference(options.model.architecture, he, kernels, { parallelism: he.workers });
      const prepared = await he.prepareModel(plan, options.model);
      const architecture = options.model.architecture;
      const announcement: ServerAnnouncement = {
        protocol: PROTOCOL_VERSION,
        architecture,
        architectureFingerprint: architectureFingerprint(architecture),
        modelFingerprint: modelFingerprint(options.model),
        he: { plugin: selectPlugin(options.config, options.registry, 'he').name, params: he.params, wireSizes: he.wireSizes },
        garbling: { plugin: wiring.get('garbling').name, tableBytesPerAnd: wiring.get('garbling').tableBytesPerAnd },
        otExtension: wiring.get('ot-extension').name,
        parallelism: he.workers,
      };
      return new InferenceServer(wiring, he, prepared, options, announcement);
    } catch (error) {
      if (!shared) await he?.close();
      await wiring.dispose();
      throw error;
    }
  }

  get announcement(): ServerAnnouncement {
    return this.#announcement;
  }

  /** Native objects alive in each HE worker (tests prove sessions release everything). */
  liveObjects(): Promise<number[]> {
    return this.#he.liveObjects();
  }

  /** Bytes of wasm memory (node-seal's heap) in each HE worker. */
  wasmHeapBytes(): Promise<number[]> {
    return this.#he.wasmHeapBytes();
  }

  /**
   * Run one client session on `channel` to its end (the client's END); `observer` hears of each
   * phase done. The caller closes the channel. Whatever happens, the session's HE state is released.
   */
  async serve(channel: Channel, observer?: SessionObserver): Promise<ServerSessionSummary> {
    const random = this.#random();
    if (random.kind !== 'system' && this.#config.profile !== 'test') {
      throw new ConfigError('a seeded random source is for audits under the test profile only; production sessions draw from the operating system');
    }
    const session = new ServerSession(new CountingChannel(channel), this.#wiring, this.#he, this.#prepared, this.#model, random, this.#announcement, observer);
    try {
      return await session.run();
    } finally {
      await session.dispose();
    }
  }

  /** Release the model from the HE workers (closing them, unless the pool was given to share). */
  async close(): Promise<void> {
    if (this.#ownsHe) await this.#he.close();
    else await this.#prepared.release();
    await this.#wiring.dispose();
  }
}

/** One client's session: owns its id in the HE workers, its garbling session (Δ, gate ids, salt) and OT sender. */
class ServerSession {
  readonly #id = randomUUID();
  #inferences = 0;
  #minMargin = Infinity;
  #requiredMargin = 40;

  constructor(
    private readonly channel: CountingChannel,
    private readonly wiring: Wiring,
    private readonly he: ServerHe,
    private readonly prepared: PreparedModel,
    private readonly model: Model,
    private readonly random: RandomSource,
    private readonly announcement: ServerAnnouncement,
    private readonly observer: SessionObserver | undefined,
  ) {}

  /** Run `work` as `phase`, then tell the observer what it cost. */
  async #phase<T>(phase: SessionPhase, inference: number | undefined, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    const before = this.channel.stats().total;
    const result = await work();
    const after = this.channel.stats().total;
    this.observer?.phaseDone({
      phase,
      ...(inference !== undefined ? { inference } : {}),
      seconds: (performance.now() - start) / 1000,
      bytesReceived: after.received.bytes - before.received.bytes,
      bytesSent: after.sent.bytes - before.sent.bytes,
    });
    return result;
  }

  async run(): Promise<ServerSessionSummary> {
    const { channel } = this;
    const reply = await this.#phase('handshake', undefined, () => {
      channel.setLabel(label('setup', 'handshake'));
      return announce(channel, this.announcement);
    });
    const kernels: LinearKernels = this.wiring.get('linear');
    const plan = planInference(this.model.architecture, this.he, kernels, { reveal: reply.reveal, parallelism: this.he.workers });
    await this.#phase('he-keys', undefined, async () => {
      channel.setLabel(label('setup', 'he-keys'));
      await this.he.importKeys(this.#id, await recvFramed(channel, 'he-keys', MAX_KEY_BYTES, 'HE keys'));
    });
    const gc = await this.#phase('base-ot', undefined, () => {
      channel.setLabel(label('setup', 'ot'));
      return GarblerSession.open(channel, { ot: this.wiring.get('ot-extension'), scheme: this.wiring.get('garbling'), random: this.random });
    });
    const margins: number[] = [];
    this.#requiredMargin = 40 + Math.log2(Math.max(1, plan.returnedCiphertexts));
    const context: ServerContext = {
      channel,
      plan,
      layouts: layoutCache(kernels, this.he),
      wireSizes: this.he.wireSizes,
      session: this.#id,
      model: this.model,
      he: this.prepared,
      random: this.random,
      masks: this.wiring.get('masks'),
      gc,
      minMarginBits: this.#requiredMargin,
      margins,
    };
    for (;;) {
      channel.setLabel(label('setup', 'control'));
      const [control] = await channel.recv(1, 'control');
      if (control === CONTROL.END) break;
      if (control !== CONTROL.INFER) throw new ProtocolError(`session control byte ${control} is neither END (0) nor INFER (1)`);
      margins.length = 0;
      await this.#infer(context, plan, this.#inferences + 1);
      this.#inferences++;
      for (const m of margins) this.#minMargin = Math.min(this.#minMargin, m);
    }
    return { inferences: this.#inferences, minMarginBits: this.#minMargin, requiredMarginBits: this.#requiredMargin };
  }

  async #infer(context: ServerContext, plan: InferencePlan, inference: number): Promise<void> {
    const layers: ServerLayer[] = plan.stages.map((stage) => serverLayer(stage, context));
    const share = await this.#phase('offline', inference, async () => {
      context.channel.setLabel(label('offline', 'ot'));
      if (plan.evaluatorInputBits > 0) await context.gc.precompute(plan.evaluatorInputBits);
      let share: Uint32Array | null = null;
      for (const layer of layers) share = await layer.offline(share);
      return share;
    });
    await this.#phase('online', inference, async () => {
      for (const layer of layers) await layer.online();
      if (plan.reveal === 'logits') {
        context.channel.setLabel(label('online', 'reveal'));
        await context.channel.send(encodeValues(share ?? new Uint32Array(plan.inputLength)), 'share');
      }
      await context.channel.flush();
    });
  }

  async dispose(): Promise<void> {
    await this.he.endSession(this.#id);
  }
}
