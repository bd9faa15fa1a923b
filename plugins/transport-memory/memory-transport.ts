/** A linked pair of channels in one process: tests, benchmarks and single-process runs. */
import type { Channel, MessageKind } from '../../core/channel.ts';
import { QueuedChannel } from '../../core/channel/queued-channel.ts';
import { ConfigError, TransportError } from '../../core/errors.ts';
import type { PluginOptions } from '../../core/plugin.ts';
import { parseTransportOptions, type ResolvedTransportOptions } from '../../core/transport-options.ts';
import type { Address, ChannelPair, Listener, SessionHandler, Transport, TransportOptions } from '../../core/transport.ts';

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
const listeners = new Map<number, SessionHandler>();
let nextPort = 1;

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

  async listen(address: Address, onSession: SessionHandler): Promise<Listener> {
    let port = address.port;
    if (port === 0) while (listeners.has((port = nextPort++)));
    if (listeners.has(port)) throw new ConfigError(`in-memory port ${port} is already listening; pick another or use 0`);
    listeners.set(port, onSession);
    return {
      address: { host: 'memory', port },
      close: async () => void listeners.delete(port),
    };
  }

  async connect(address: Address): Promise<Channel> {
    const onSession = listeners.get(address.port);
    if (!onSession) throw new TransportError(`in-memory connect: nothing listens on port ${address.port}`);
    const { client, server } = await this.pair();
    void Promise.resolve()
      .then(() => onSession(server))
      .catch(() => {}) // a failed session ends here, as over TCP; the client sees the close
      .finally(() => server.close());
    return client;
  }
}
