/** A linked pair of channels in one process: tests, benchmarks and single-process runs. */
import type { Channel, MessageKind } from '../../core/channel.ts';
import { QueuedChannel } from '../../core/channel/queued-channel.ts';
import { ConfigError, SessionRefusedError, TransportError } from '../../core/errors.ts';
import type { PluginOptions } from '../../core/plugin.ts';
import { parseTransportOptions, type ResolvedTransportOptions } from '../../core/transport-options.ts';
import type { Address, ChannelPair, ListenHooks, Listener, SessionCounts, SessionHandler, Transport, TransportOptions } from '../../core/transport.ts';

export class MemoryChannel extends QueuedChannel {
  #peer: MemoryChannel | undefined;

  constructor(
    readonly name: string,
    idleTimeoutMs = 0,
  ) {
    super(`in-memory channel ${name}`, idleTimeoutMs);
  }

  /** Link two channels into a pair. */
  static link(a: MemoryChannel, b: MemoryChannel): void {
    a.#peer = b;
    b.#peer = a;
  }

  async send(data: Uint8Array, _kind?: MessageKind): Promise<void> {
    this.checkOpen();
    const peer = this.#peer;
    if (!peer || peer.closed) throw new TransportError(`${this.describe}: the peer has closed the connection`);
    peer.incoming.push(data);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    if (!this.markClosed()) return;
    const peer = this.#peer;
    if (peer) peer.incoming.end(new TransportError(`${peer.describe}: the peer closed the connection`));
  }
}

/** Process-local "ports" so that listen/connect work in memory too. */
const listeners = new Map<number, MemoryListener>();
let nextPort = 1;

/** A listener on a process-local port: one session per `connect`, as over TCP. */
class MemoryListener implements Listener {
  #active = 0;
  #completed = 0;
  #failed = 0;
  #refused = 0;
  #drainReason: string | undefined;
  readonly #idleWaiters: (() => void)[] = [];

  constructor(
    readonly address: Address,
    private readonly onSession: SessionHandler,
    private readonly hooks: ListenHooks,
  ) {}

  get sessions(): SessionCounts {
    return { active: this.#active, completed: this.#completed, failed: this.#failed, refused: this.#refused };
  }

  /** Run a session on `server`; throws `SessionRefusedError` (to the connecting side) while draining. */
  accept(server: MemoryChannel): void {
    const info = { peer: `memory:${server.name}` };
    if (this.#drainReason !== undefined) {
      this.#refused++;
      observe(() => this.hooks.onRefused?.(this.#drainReason!, info));
      throw new SessionRefusedError(`in-memory connect: the server refused the session: ${this.#drainReason}`, this.#drainReason);
    }
    this.#active++;
    void Promise.resolve()
      .then(() => this.onSession(server, info))
      .then(
        () => void this.#completed++,
        (error: unknown) => {
          // a failed session ends here, as over TCP; the client sees the close
          this.#failed++;
          observe(() => this.hooks.onSessionError?.(error, info));
        },
      )
      .finally(async () => {
        await server.close();
        if (--this.#active === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
      });
  }

  async drain(reason = 'the server is shutting down'): Promise<void> {
    this.#drainReason = reason;
    if (this.#active > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    listeners.delete(this.address.port);
  }

  async close(): Promise<void> {
    listeners.delete(this.address.port);
  }
}

/** An observer's own failure must not end the session's bookkeeping. */
function observe(call: () => void): void {
  try {
    call();
  } catch {
    // ignored: see above
  }
}

export class MemoryTransport implements Transport {
  readonly name = 'in-memory';

  readonly options: ResolvedTransportOptions;

  /** `options` as in a configuration file; bad values are `ConfigError`s. */
  constructor(options: PluginOptions | TransportOptions = {}) {
    this.options = parseTransportOptions(options, 'in-memory transport options');
  }

  async pair(): Promise<ChannelPair> {
    const client = new MemoryChannel('client', this.options.idleTimeoutMs);
    const server = new MemoryChannel('server', this.options.idleTimeoutMs);
    MemoryChannel.link(client, server);
    return { client, server, close: async () => void (await Promise.all([client.close(), server.close()])) };
  }

  async listen(address: Address, onSession: SessionHandler, hooks: ListenHooks = {}): Promise<Listener> {
    let port = address.port;
    if (port === 0) while (listeners.has((port = nextPort++)));
    if (listeners.has(port)) throw new ConfigError(`in-memory port ${port} is already listening; pick another or use 0`);
    const listener = new MemoryListener({ host: 'memory', port }, onSession, hooks);
    listeners.set(port, listener);
    return listener;
  }

  async connect(address: Address): Promise<Channel> {
    const listener = listeners.get(address.port);
    if (!listener) throw new TransportError(`in-memory connect: nothing listens on port ${address.port}`);
    const { client, server } = await this.pair();
    try {
      listener.accept(server as MemoryChannel);
    } catch (error) {
      await Promise.all([client.close(), server.close()]);
      throw error;
    }
    return client;
  }
}
