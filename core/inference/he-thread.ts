/**
 * The main thread's handle on one HE worker (he-worker.ts): typed requests, answered in any order,
 * errors re-raised with their type (a ProtocolError in the worker is a ProtocolError here). A worker
 * that dies fails every pending and later request instead of leaving it hanging.
 */
import { Worker } from 'node:worker_threads';
import type { GazelleConfig } from '../config.ts';
import { ConfigError, GazelleError, ProtocolError, SecurityError, TransportError } from '../errors.ts';
import type { HeParameters } from '../he.ts';
import type { RegistrySource } from '../registry.ts';
import type { HeOp, HeRequestMessage, HeRequests, HeResponseMessage, HeWireSizes } from './he-protocol.ts';

const ERROR_TYPES: Readonly<Record<string, new (message: string) => Error>> = {
  ConfigError,
  ProtocolError,
  SecurityError,
  TransportError,
  GazelleError,
  RangeError,
  TypeError,
};

/** The worker module next to this one, in the same form (TypeScript under tsx, or compiled JavaScript). */
const RUNNING_TYPESCRIPT = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./he-worker${RUNNING_TYPESCRIPT ? '.ts' : '.js'}`, import.meta.url);

/**
 * A worker thread does not inherit the parent's module hooks (`--import tsx`), so under TypeScript
 * the worker first registers tsx itself, then imports the module.
 */
function startWorker(name: string): Worker {
  if (!RUNNING_TYPESCRIPT) return new Worker(WORKER_URL, { name });
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true, name });
}

export class HeThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 0;
  #failure: Error | undefined;
  /** The backend's parameters and ciphertext sizes, known once `start` resolved. */
  params!: HeParameters;
  wireSizes!: HeWireSizes;
  /** Whether the backend can report decryption noise (`decryption-noise` requests; the privacy audit). */
  measuresNoise!: boolean;

  private constructor(readonly name: string) {
    this.#worker = startWorker(name);
    this.#worker.on('message', (message: HeResponseMessage) => this.#settle(message));
    this.#worker.on('error', (error) => this.#fail(new Error(`${name}: HE worker failed: ${error.message}`, { cause: error })));
    this.#worker.on('exit', (code) => this.#fail(new Error(`${name}: HE worker exited (code ${code})`)));
  }

  /** Start a worker and wire the configured `he` and `linear` plugins in it. */
  static async start(name: string, config: GazelleConfig, registry: RegistrySource): Promise<HeThread> {
    const thread = new HeThread(name);
    try {
      ({ params: thread.params, wireSizes: thread.wireSizes, measuresNoise: thread.measuresNoise } = await thread.request('init', { config, registry }));
      return thread;
    } catch (error) {
      await thread.close();
      throw error;
    }
  }

  request<K extends HeOp>(op: K, args: HeRequests[K]['args']): Promise<HeRequests[K]['result']> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // No transfer list: transferring would detach the buffers in this (garbling) isolate.
      this.#worker.postMessage({ id, op, args } satisfies HeRequestMessage<K>);
    });
  }

  async close(): Promise<void> {
    this.#fail(new Error(`${this.name}: HE worker closed`));
    await this.#worker.terminate();
  }

  #settle(message: HeResponseMessage): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.ok) {
      pending.resolve(message.result);
      return;
    }
    const Type = ERROR_TYPES[message.error.name] ?? Error;
    const error = new Type(message.error.message);
    if (message.error.stack) error.stack = `${error.name}: ${error.message}\n    (in ${this.name})\n${message.error.stack.split('\n').slice(1).join('\n')}`;
    pending.reject(error);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const { reject } of this.#pending.values()) reject(this.#failure);
    this.#pending.clear();
  }
}
