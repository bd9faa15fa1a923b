/** TCP transport (node:net): a listening server runs one independent session per connection. */
import net from 'node:net';
import { TransportError } from '../../core/errors.ts';
import type { PluginOptions } from '../../core/plugin.ts';
import { parseTransportOptions, type ResolvedTransportOptions } from '../../core/transport-options.ts';
import type { Address, ChannelPair, Listener, SessionHandler, Transport, TransportOptions } from '../../core/transport.ts';
import { TcpChannel } from './tcp-channel.ts';

const DEFAULT_HOST = '127.0.0.1';

/** Optional observers of a listener's sessions (a failed session never stops the server). */
export interface ListenHooks {
  /** A session's handler threw or rejected; `session` is the channel's name (includes the remote address). */
  onSessionError?(error: unknown, session: string): void;
}

export class TcpListener implements Listener {
  readonly #server: net.Server;
  readonly #sessions = new Set<TcpChannel>();
  #accepted = 0;
  #completed = 0;
  #failed = 0;

  private constructor(
    server: net.Server,
    readonly address: Address,
  ) {
    this.#server = server;
  }

  /** Bind `address` and run `onSession` on every accepted connection. */
  static async start(address: Address, onSession: SessionHandler, hooks: ListenHooks, options: ResolvedTransportOptions): Promise<TcpListener> {
    const server = net.createServer();
    const host = address.host ?? DEFAULT_HOST;
    const listener = new TcpListener(server, { host, port: await listenOn(server, { host, port: address.port }) });
    server.on('connection', (socket) => {
      const name = `server session ${++listener.#accepted} from ${socket.remoteAddress}:${socket.remotePort}`;
      void listener.#run(new TcpChannel(socket, name, options), onSession, hooks);
    });
    return listener;
  }

  /** Sessions running now, finished normally, and ended by an error. */
  get sessions(): { active: number; completed: number; failed: number } {
    return { active: this.#sessions.size, completed: this.#completed, failed: this.#failed };
  }

  /** Stop accepting, close every open session (their pending `recv` calls fail), wait until all are closed. */
  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await Promise.all([...this.#sessions].map((session) => session.close()));
    await stopped;
  }

  /** One session: its failure is contained here and never reaches the server or other sessions. */
  async #run(channel: TcpChannel, onSession: SessionHandler, hooks: ListenHooks): Promise<void> {
    this.#sessions.add(channel);
    try {
      await onSession(channel);
      this.#completed++;
    } catch (error) {
      this.#failed++;
      try {
        hooks.onSessionError?.(error, channel.name);
      } catch {
        // An observer's own failure must not take the server down either.
      }
    } finally {
      await channel.close();
      this.#sessions.delete(channel);
    }
  }
}

export class TcpTransport implements Transport {
  readonly name = 'tcp';
  readonly options: ResolvedTransportOptions;

  /** `options` as in a configuration file; bad values are `ConfigError`s. */
  constructor(options: PluginOptions | TransportOptions = {}) {
    this.options = parseTransportOptions(options, 'tcp transport options');
  }

  /** A loopback connection: a one-shot server on 127.0.0.1 and a client connected to it. */
  async pair(): Promise<ChannelPair & { client: TcpChannel; server: TcpChannel }> {
    const server = net.createServer();
    // Wrapped at once, so that the accepted socket has its error handler from the start.
    const accepted = new Promise<TcpChannel>((resolve) =>
      server.once('connection', (socket) => resolve(new TcpChannel(socket, 'server', this.options))),
    );
    const port = await listenOn(server, { host: DEFAULT_HOST, port: 0 });
    try {
      const client = await this.connect({ host: DEFAULT_HOST, port });
      const serverChannel = await accepted;
      return { client, server: serverChannel, close: async () => void (await Promise.all([client.close(), serverChannel.close()])) };
    } finally {
      server.close();
    }
  }

  listen(address: Address, onSession: SessionHandler, hooks: ListenHooks = {}): Promise<TcpListener> {
    return TcpListener.start(address, onSession, hooks, this.options);
  }

  async connect(address: Address): Promise<TcpChannel> {
    const host = address.host ?? DEFAULT_HOST;
    const { port } = address;
    checkPort(port, 1);
    const timeoutMs = this.options.connectTimeoutMs;
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new TransportError(
            `connect to ${host}:${port} timed out after ${timeoutMs} ms; check that the server runs and is reachable, or raise connectTimeoutMs`,
          ),
        );
      }, timeoutMs);
      const onError = (error: NodeJS.ErrnoException): void => {
        clearTimeout(timer);
        const why =
          error.code === 'ECONNREFUSED' ? 'connection refused: nothing listens there (start the server first or check the port)' : error.message;
        reject(new TransportError(`cannot connect to ${host}:${port}: ${why}`, { cause: error }));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(socket);
      });
    });
    return new TcpChannel(socket, `client of ${host}:${port}`, this.options);
  }
}

function checkPort(port: number, min: number): void {
  if (!Number.isInteger(port) || port < min || port > 65535) {
    throw new RangeError(`tcp: port must be an integer from ${min} to 65535, got ${port}`);
  }
}

/** Bind `server`; resolves with the bound port (the OS's choice for port 0). */
async function listenOn(server: net.Server, { host, port }: { host: string; port: number }): Promise<number> {
  checkPort(port, 0);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const why = error.code === 'EADDRINUSE' ? 'the address is in use (pick another port, or 0 for any)' : error.message;
      reject(new TransportError(`tcp: cannot listen on ${host}:${port}: ${why}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // Accept errors after start-up (e.g. EMFILE) must not crash the process; the server keeps listening.
  server.on('error', () => {});
  return (server.address() as net.AddressInfo).port;
}
