/**
 * TCP transport (node:net): a listening server runs one independent session per connection, at
 * most `maxSessions` at once; a connection beyond them, or one that arrives while the listener
 * drains, gets a refusal frame saying why (frame.ts) and is closed.
 */
import net from 'node:net';
import { TransportError } from '../../core/errors.ts';
import type { PluginOptions } from '../../core/plugin.ts';
import type { Address, ChannelPair, ListenHooks, Listener, SessionCounts, SessionHandler, SessionInfo, Transport } from '../../core/transport.ts';
import { refusalFrame } from './frame.ts';
import { ReceiveBudget } from './receive-budget.ts';
import { TcpChannel } from './tcp-channel.ts';
import { parseTcpOptions, type ResolvedTcpOptions, type TcpTransportOptions } from './tcp-options.ts';

const DEFAULT_HOST = '127.0.0.1';
/** How long a refused connection may take to read its refusal before it is dropped. */
const REFUSAL_LINGER_MS = 2000;
const DRAINING = 'the server is shutting down; try again later, or another replica';

export class TcpListener implements Listener {
  readonly #server: net.Server;
  readonly #sessions = new Set<TcpChannel>();
  readonly #budget: ReceiveBudget;
  readonly #maxSessions: number;
  #accepted = 0;
  #completed = 0;
  #failed = 0;
  #refused = 0;
  /** Set while draining: the reason new connections are refused with. */
  #drainReason: string | undefined;
  /** Who waits for the last running session to end (`drain`). */
  readonly #idleWaiters: (() => void)[] = [];

  private constructor(
    server: net.Server,
    readonly address: Address,
    options: ResolvedTcpOptions,
  ) {
    this.#server = server;
    this.#maxSessions = options.maxSessions;
    this.#budget = new ReceiveBudget(options.maxTotalBufferedBytes);
  }

  /** Bind `address` and run `onSession` on every accepted connection. */
  static async start(address: Address, onSession: SessionHandler, hooks: ListenHooks, options: ResolvedTcpOptions): Promise<TcpListener> {
    const server = net.createServer();
    const host = address.host ?? DEFAULT_HOST;
    const listener = new TcpListener(server, { host, port: await listenOn(server, { host, port: address.port }) }, options);
    server.on('connection', (socket) => {
      const info: SessionInfo = { peer: `${socket.remoteAddress}:${socket.remotePort}` };
      const refusal = listener.#refusalReason();
      if (refusal !== undefined) {
        listener.#refuse(socket, refusal, info, hooks);
        return;
      }
      const name = `server session ${++listener.#accepted} from ${info.peer}`;
      void listener.#run(new TcpChannel(socket, name, options, listener.#budget), info, onSession, hooks);
    });
    return listener;
  }

  get sessions(): SessionCounts {
    return { active: this.#sessions.size, completed: this.#completed, failed: this.#failed, refused: this.#refused };
  }

  /** Bytes the sessions have reserved of the total receive budget now. */
  get reservedBytes(): number {
    return this.#budget.reserved;
  }

  async drain(reason = DRAINING): Promise<void> {
    this.#drainReason = reason;
    if (this.#sessions.size > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Stop accepting, close every open session (their pending `recv` calls fail), wait until all are closed. */
  async close(): Promise<void> {
    this.#drainReason ??= DRAINING;
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await Promise.all([...this.#sessions].map((session) => session.close()));
    await stopped;
  }

  #refusalReason(): string | undefined {
    if (this.#drainReason !== undefined) return this.#drainReason;
    if (this.#sessions.size >= this.#maxSessions) {
      return `busy: ${this.#sessions.size} sessions running, the most this server runs at once (maxSessions); try again later`;
    }
    return undefined;
  }

  /** Say why, half-close, discard what the peer sends meanwhile (so the kernel closes with FIN, not RST). */
  #refuse(socket: net.Socket, reason: string, info: SessionInfo, hooks: ListenHooks): void {
    this.#refused++;
    socket.on('error', () => {});
    socket.resume();
    socket.end(refusalFrame(reason));
    const linger = setTimeout(() => socket.destroy(), REFUSAL_LINGER_MS);
    socket.once('close', () => clearTimeout(linger));
    observe(() => hooks.onRefused?.(reason, info));
  }

  /** One session: its failure is contained here and never reaches the server or other sessions. */
  async #run(channel: TcpChannel, info: SessionInfo, onSession: SessionHandler, hooks: ListenHooks): Promise<void> {
    this.#sessions.add(channel);
    try {
      await onSession(channel, info);
      this.#completed++;
    } catch (error) {
      this.#failed++;
      observe(() => hooks.onSessionError?.(error, info));
    } finally {
      await channel.close();
      this.#sessions.delete(channel);
      if (this.#sessions.size === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }
}

/** An observer's own failure must not take the server down. */
function observe(call: () => void): void {
  try {
    call();
  } catch {
    // ignored: see above
  }
}

export class TcpTransport implements Transport {
  readonly name = 'tcp';
  readonly options: ResolvedTcpOptions;

  /** `options` as in a configuration file; bad values are `ConfigError`s. */
  constructor(options: PluginOptions | TcpTransportOptions = {}) {
    this.options = parseTcpOptions(options);
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
