/**
 * The model owner's long-running service (`gazelle serve`): an `InferenceServer` (the model
 * prepared once in a pool of HE workers, shared by every session) behind a listener of the
 * configured transport, each connection one isolated session. A session that fails (the client
 * disconnects, stalls, sends garbage) ends alone: its HE state is released by the server, its
 * channel by the listener, and the others go on. Every event goes to the structured log.
 * `drain` refuses new sessions, lets the running ones finish, then releases everything.
 */
import { randomUUID } from 'node:crypto';
import type { Channel } from '../channel.ts';
import type { GazelleConfig } from '../config.ts';
import { wire, type Wiring } from '../container.ts';
import type { Model } from '../model/model.ts';
import type { PluginRegistry } from '../registry.ts';
import type { Address, Listener, SessionCounts } from '../transport.ts';
import { loggedError, type ResourceRecord, type ServiceLog } from './service-log.ts';
import { InferenceServer } from './server.ts';
import type { ServerHe } from './server-he.ts';

export interface InferenceServiceOptions {
  readonly config: GazelleConfig;
  readonly registry: PluginRegistry;
  readonly model: Model;
  /** Where to listen (port 0: the system picks one; `address` then says which). */
  readonly address: Address;
  /** HE worker threads (default: one per core), or a running pool to share (tests). */
  readonly heWorkers?: number | ServerHe;
  readonly log: ServiceLog;
}

export class InferenceService {
  #listener!: Listener;
  #draining: Promise<void> | undefined;

  private constructor(
    private readonly server: InferenceServer,
    private readonly wiring: Wiring,
    private readonly log: ServiceLog,
  ) {}

  /** Prepare the model, listen, and log where. */
  static async start(options: InferenceServiceOptions): Promise<InferenceService> {
    const { config, registry, model, log } = options;
    const server = await InferenceServer.start({ config, registry, model, ...(options.heWorkers !== undefined ? { heWorkers: options.heWorkers } : {}) });
    let wiring: Wiring | undefined;
    try {
      wiring = await wire(config, registry, ['transport']);
      const service = new InferenceService(server, wiring, log);
      service.#listener = await wiring.get('transport').listen(options.address, (channel, info) => service.#session(channel, info.peer), {
        onRefused: (reason, info) => log.write({ event: 'session-refused', peer: info.peer, reason }),
      });
      const { announcement } = server;
      log.write({
        event: 'listening',
        pid: process.pid,
        host: service.address.host ?? '',
        port: service.address.port,
        model: announcement.architecture.name,
        architectureFingerprint: announcement.architectureFingerprint,
        modelFingerprint: announcement.modelFingerprint,
        protocol: announcement.protocol,
        workers: announcement.parallelism,
      });
      return service;
    } catch (error) {
      await server.close();
      await wiring?.dispose();
      throw error;
    }
  }

  get address(): Address {
    return this.#listener.address;
  }

  get sessions(): SessionCounts {
    return this.#listener.sessions;
  }

  /** Native objects alive in each HE worker (constant between sessions: the prepared model). */
  liveObjects(): Promise<number[]> {
    return this.server.liveObjects();
  }

  /** The process's memory and the HE workers' native objects now. */
  async resources(): Promise<ResourceRecord> {
    const [live, heap] = await Promise.all([this.server.liveObjects(), this.server.wasmHeapBytes()]);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    return { rssBytes: process.memoryUsage.rss(), wasmHeapBytes: sum(heap), liveObjects: sum(live) };
  }

  /** Refuse new sessions, let the running ones finish, then release the model and its workers. */
  drain(): Promise<void> {
    this.#draining ??= (async () => {
      this.log.write({ event: 'draining', activeSessions: this.#listener.sessions.active });
      await this.#listener.drain();
      await this.#release();
    })();
    return this.#draining;
  }

  /** Stop now: end the running sessions (their clients see the connection close), release everything. */
  async close(): Promise<void> {
    await this.#listener.close();
    await (this.#draining ?? this.#release());
  }

  async #release(): Promise<void> {
    const { completed, failed, refused } = this.#listener.sessions;
    await this.server.close();
    await this.wiring.dispose();
    this.log.write({ event: 'stopped', completed, failed, refused });
  }

  /** One client's session, logged from start to end; a failure is logged and rethrown (the listener counts it). */
  async #session(channel: Channel, peer: string): Promise<void> {
    const session = randomUUID();
    const start = performance.now();
    const seconds = () => (performance.now() - start) / 1000;
    this.log.write({ event: 'session-start', session, peer });
    try {
      const summary = await this.server.serve(channel, { phaseDone: (record) => this.log.write({ event: 'phase', session, ...record }) });
      this.log.write({
        event: 'session-end',
        session,
        inferences: summary.inferences,
        seconds: seconds(),
        minMarginBits: Number.isFinite(summary.minMarginBits) ? summary.minMarginBits : null,
        resources: await this.resources(),
      });
    } catch (error) {
      const resources = await this.resources().catch(() => undefined);
      this.log.write({ event: 'session-error', session, seconds: seconds(), error: loggedError(error), ...(resources ? { resources } : {}) });
      throw error;
    }
  }
}
