/**
 * The image owner's side of private inference (design §1-2): connects to a server, checks what it
 * announces, sends its HE keys (Galois keys for exactly the plan's rotation steps) and sets up OT;
 * then classifies images, each in an offline and an online phase. The client learns the logits, or
 * only the label; its HE runs in a worker thread (he-protocol.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Channel } from '../channel.ts';
import { CountingChannel } from '../channel/counting.ts';
import { selectPlugin, type GazelleConfig } from '../config.ts';
import { wire, type Wiring } from '../container.ts';
import { ConfigError, ModelError, ProtocolError } from '../errors.ts';
import { toSigned } from '../modp.ts';
import type { Architecture } from '../model/architecture.ts';
import { architectureFingerprint } from '../model/architecture-json.ts';
import { argmax } from '../model/reference.ts';
import { validateArchitecture } from '../model/validate.ts';
import { systemRandom, type RandomSource } from '../random.ts';
import type { PluginRegistry } from '../registry.ts';
import { addFigures, emptyFigures, trafficBetween, type Figures, type InferenceFigures, type LayerFigures } from './figures.ts';
import { EvaluatorSession } from '../gc/session.ts';
import { readAnnouncement, replyToAnnouncement, type ServerAnnouncement } from './handshake.ts';
import { withPlainModulus } from './he-config.ts';
import { HeThread } from './he-thread.ts';
import type { ClientContext } from './layers/context.ts';
import { label } from './layers/context.ts';
import { clientLayer } from './layers/index.ts';
import { layoutCache } from './layouts.ts';
import { CONTROL, decodeValues, sendFramed } from './messages.ts';
import type { ClientObserver } from './observer.ts';
import { planInference, type InferencePlan, type RevealPolicy } from './plan.ts';
import { NO_PROGRESS, type Progress } from '../progress.ts';
import { toZp } from './shares.ts';
import { expectedTraffic, type InferenceTraffic } from './traffic.ts';

export interface InferenceClientOptions {
  readonly config: GazelleConfig;
  readonly registry: PluginRegistry;
  /** Each session's random source (default: the OS CSPRNG; seeded sources only under the test profile). */
  readonly random?: () => RandomSource;
  /** A running HE worker to use (it is not closed with this client); default: start one. */
  readonly he?: HeThread;
}

export interface ConnectOptions {
  /** `logits` (default) or `label` (a garbled argmax: the client learns only the class). */
  readonly reveal?: RevealPolicy;
  /** Refuse a server whose architecture is not this one. */
  readonly expect?: Architecture;
  /** The privacy audit's observer of what the client derives (observer.ts); test profile only. */
  readonly observer?: ClientObserver;
}

export interface ClientInference {
  readonly label: number;
  /** Signed integer logits at the model's output scale; null under the `label` policy. */
  readonly logits: Int32Array | null;
  readonly figures: InferenceFigures;
}

export class InferenceClient {
  /** HE workers by plaintext prime: the configured one, and one per other prime a server's model needed. */
  readonly #workers = new Map<number, Promise<HeThread>>();

  private constructor(
    private readonly wiring: Wiring,
    private readonly he: HeThread,
    private readonly options: InferenceClientOptions,
  ) {
    this.#workers.set(he.params.plainModulus, Promise.resolve(he));
  }

  static async start(options: InferenceClientOptions): Promise<InferenceClient> {
    const wiring = await wire(options.config, options.registry, ['ot-extension', 'garbling', 'linear']);
    try {
      return new InferenceClient(wiring, options.he ?? (await HeThread.start('client-he', options.config, options.registry.source)), options);
    } catch (error) {
      await wiring.dispose();
      throw error;
    }
  }

  /** Native objects alive in the client's HE workers. */
  async liveObjects(): Promise<number> {
    const counts = await Promise.all([...this.#workers.values()].map(async (w) => (await w).request('live-objects', {})));
    return counts.reduce((a, b) => a + b, 0);
  }

  /**
   * The HE worker for a model computing mod `p`: the configured one if it has that prime, else one
   * started with the configuration's HE plugin set to `p` (the prime is public, part of the model;
   * the client's keys stay as secure whatever it is).
   */
  #heFor(p: number): Promise<HeThread> {
    let worker = this.#workers.get(p);
    if (!worker) {
      if (this.options.he) return Promise.reject(new ConfigError(`the server's model computes mod ${p}; this client's HE worker was given with p = ${this.he.params.plainModulus}`));
      worker = HeThread.start(`client-he-${p}`, withPlainModulus(this.options.config, this.options.registry, p), this.options.registry.source);
      this.#workers.set(p, worker);
      worker.catch(() => this.#workers.delete(p));
    }
    return worker;
  }

  /** Set up a session with the server at the other end of `channel`. */
  async connect(channel: Channel, options: ConnectOptions = {}): Promise<ClientSession> {
    const random = (this.options.random ?? systemRandom)();
    if (random.kind !== 'system' && this.options.config.profile !== 'test') {
      throw new ConfigError('a seeded random source is for audits under the test profile only; production sessions draw from the operating system');
    }
    if (options.observer && this.options.config.profile !== 'test') {
      throw new ConfigError('an observer of what the client derives is for audits under the test profile only; production sessions keep nothing but their result');
    }
    const counting = new CountingChannel(channel);
    const session = randomUUID();
    const start = performance.now();
    const before = counting.stats().total;
    let he: HeThread | undefined;
    try {
      counting.setLabel(label('setup', 'handshake'));
      const garbling = this.wiring.get('garbling');
      const announcement = await readAnnouncement(counting, (architecture) => {
        validateArchitecture(architecture);
        return architectureFingerprint(architecture);
      });
      he = await this.#heFor(announcement.architecture.plainModulus);
      await replyToAnnouncement(counting, announcement, {
        reveal: options.reveal ?? 'logits',
        he: { plugin: selectPlugin(this.options.config, this.options.registry, 'he').name, params: he.params },
        garbling: { plugin: garbling.name, tableBytesPerAnd: garbling.tableBytesPerAnd },
        otExtension: this.wiring.get('ot-extension').name,
        ...(options.expect ? { architectureFingerprint: architectureFingerprint(options.expect) } : {}),
      });
      const kernels = this.wiring.get('linear');
      const plan = planInference(announcement.architecture, he, kernels, { reveal: options.reveal ?? 'logits', parallelism: announcement.parallelism });
      counting.setLabel(label('setup', 'he-keys'));
      await sendFramed(counting, await he.request('generate-keys', { session, steps: plan.galoisSteps }), 'he-keys');
      counting.setLabel(label('setup', 'ot'));
      const gc = await EvaluatorSession.open(counting, { ot: this.wiring.get('ot-extension'), scheme: garbling, random });
      const context: ClientContext = { channel: counting, plan, layouts: layoutCache(kernels, he), wireSizes: he.wireSizes, session, he, gc, ...(options.observer ? { observer: options.observer } : {}) };
      const setup: Figures = { seconds: (performance.now() - start) / 1000, ...trafficBetween(before, counting.stats().total) };
      const traffic = expectedTraffic(plan, { wireSizes: he.wireSizes, scheme: garbling, ot: this.wiring.get('ot-extension') });
      return new ClientSession(context, announcement, setup, traffic);
    } catch (error) {
      await he?.request('end-session', { session }).catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    const started = await Promise.allSettled([...this.#workers.values()]);
    for (const s of started) if (s.status === 'fulfilled' && s.value !== this.options.he) await s.value.close();
    await this.wiring.dispose();
  }
}

export class ClientSession {
  #closed = false;
  /** The failure that broke the session: the parties are out of step, so it refuses further use. */
  #broken: Error | undefined;

  constructor(
    private readonly context: ClientContext,
    readonly announcement: ServerAnnouncement,
    /** Setup figures: handshake, HE keys, base OTs. */
    readonly setup: Figures,
    /** What each inference of this session sends, by phase and layer, predicted from the plan. */
    readonly expectedTraffic: InferenceTraffic,
  ) {}

  get plan(): InferencePlan {
    return this.context.plan;
  }

  get architecture(): Architecture {
    return this.announcement.architecture;
  }

  /**
   * Classify one quantised input (`quantiseInput`): offline phase, then online phase. `progress`
   * hears of each layer of each phase (a bar when someone watches a terminal; core/progress.ts).
   */
  async classify(input: Int32Array, progress: Progress = NO_PROGRESS): Promise<ClientInference> {
    if (this.#closed) throw new Error('ClientSession: classify() after close()');
    if (this.#broken) throw new ProtocolError(`session broken by an earlier failure (${this.#broken.message}); open a new session`, { cause: this.#broken });
    checkInput(this.architecture, input);
    try {
      return await this.#classify(input, progress);
    } catch (error) {
      this.#broken = error as Error;
      throw error;
    }
  }

  async #classify(input: Int32Array, progress: Progress): Promise<ClientInference> {
    const { plan, channel } = this.context;
    const counting = channel as CountingChannel;
    const layers = plan.stages.map((stage) => clientLayer(stage, this.context));
    const figures: LayerFigures[] = plan.stages.map((s) => ({ name: s.name, kind: s.kind, offline: emptyFigures(), online: emptyFigures() }));
    const measure = async <T>(into: Figures, work: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const before = counting.stats().total;
      const result = await work();
      addFigures(into, { seconds: (performance.now() - t0) / 1000, ...trafficBetween(before, counting.stats().total) });
      return result;
    };
    const offline = emptyFigures();
    const online = emptyFigures();
    const bar = progress.start('offline phase', layers.length + 1);
    await measure(offline, async () => {
      channel.setLabel(label('setup', 'control'));
      await channel.send(Uint8Array.of(CONTROL.INFER), 'control');
      channel.setLabel(label('offline', 'ot'));
      if (plan.evaluatorInputBits > 0) await this.context.gc.precompute(plan.evaluatorInputBits);
      bar.tick(1, 'oblivious transfers');
      for (const [i, layer] of layers.entries()) {
        await measure(figures[i]!.offline, () => layer.offline());
        bar.tick(1, plan.stages[i]!.name);
      }
    }).finally(() => bar.done());
    const onlineBar = progress.start('online phase', layers.length);
    const share = await measure(online, async () => {
      let c = toZp(input, plan.p);
      for (const [i, layer] of layers.entries()) {
        c = await measure(figures[i]!.online, () => layer.online(c));
        onlineBar.tick(1, plan.stages[i]!.name);
      }
      if (plan.reveal === 'label') return c;
      channel.setLabel(label('online', 'reveal'));
      const server = decodeValues(await channel.recv(4 * c.length, 'share'), plan.p, 'revealed share');
      return Uint32Array.from(c, (v, i) => (v + server[i]!) % plan.p);
    }).finally(() => onlineBar.done());
    const logits = plan.reveal === 'logits' ? Int32Array.from(share, (v) => toSigned(v, plan.p)) : null;
    return { label: logits ? argmax(logits) : share[0]!, logits, figures: { offline, online, layers: figures } };
  }

  /**
   * End the session (the server releases its state) and release the client's HE keys. After a
   * failure only the local release happens: the channel is no longer in step.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (!this.#broken) {
        this.context.channel.setLabel(label('setup', 'control'));
        await this.context.channel.send(Uint8Array.of(CONTROL.END), 'control');
        await this.context.channel.flush();
      }
    } finally {
      await this.context.he.request('end-session', { session: this.context.session });
    }
  }
}

function checkInput(architecture: Architecture, input: Int32Array): void {
  const { shape, min, max } = architecture.input;
  const length = shape.channels * shape.height * shape.width;
  if (!(input instanceof Int32Array) || input.length !== length) {
    throw new ModelError(`expected ${length} quantised values (${shape.channels}×${shape.height}×${shape.width}), got ${input?.length ?? String(input)}`, { field: 'input' });
  }
  const bad = input.findIndex((v) => v < min || v > max);
  if (bad >= 0) throw new ModelError(`value ${bad} is ${input[bad]}, outside the model's input range [${min}, ${max}]`, { field: 'input' });
}
