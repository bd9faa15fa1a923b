/** One end of a TCP connection, speaking the frame format of `frame.ts`. */
import type { Socket } from 'node:net';
import type { MessageKind } from '../../core/channel.ts';
import { QueuedChannel } from '../../core/channel/queued-channel.ts';
import { TransportError } from '../../core/errors.ts';
import type { ResolvedTransportOptions } from '../../core/transport-options.ts';
import { FrameDecoder, frameHeader, framePayloads } from './frame.ts';

/**
 * Stop reading the socket while this much received data waits for `recv` and no `recv` is
 * pending: TCP flow control then pushes back on the sender instead of our memory growing.
 */
const RECEIVE_HIGH_WATER = 16 * 1024 * 1024;
/** After `close`, how long to wait for the peer to close its side before dropping the connection. */
const LINGER_MS = 2000;
const EMPTY = Buffer.alloc(0);

export class TcpChannel extends QueuedChannel {
  readonly #socket: Socket;
  readonly #decoder: FrameDecoder;
  readonly #maxFrameBytes: number;
  readonly #socketClosed: Promise<void>;
  #paused = false;
  /** Why the connection can no longer carry data (peer closed, reset, malformed input). */
  #failure: TransportError | undefined;

  constructor(
    socket: Socket,
    /** Who this end is, for error messages (`client of host:port`, `server session 3 from ...`). */
    readonly name: string,
    options: ResolvedTransportOptions,
  ) {
    super(`tcp ${name}`, options.idleTimeoutMs);
    this.#socket = socket;
    this.#maxFrameBytes = options.maxFrameBytes;
    this.#decoder = new FrameDecoder(this.describe, options.maxFrameBytes, (piece) => this.incoming.push(piece));
    // Protocol messages are small and latency-bound (one flight per round): no Nagle delay.
    socket.setNoDelay(true);
    this.#socketClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#fail(this.#endError()));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.#fail(new TransportError(`${this.describe}: connection lost (${error.code ?? error.message})`, { cause: error })),
    );
    socket.on('close', () => this.#fail(new TransportError(`${this.describe}: the connection is closed`)));
  }

  /** Bytes sent but still queued in this process (not yet taken by the kernel). */
  get bufferedBytes(): number {
    return this.#socket.writableLength;
  }

  async send(data: Uint8Array, _kind?: MessageKind): Promise<void> {
    this.#checkWritable();
    if (data.length === 0) return;
    const socket = this.#socket;
    let belowHighWater = true;
    // cork/uncork turns every header + payload pair into one writev: no copy, no extra packet.
    socket.cork();
    for (const payload of framePayloads(data, this.#maxFrameBytes)) {
      socket.write(frameHeader(payload.length));
      belowHighWater = socket.write(payload);
    }
    socket.uncork();
    if (!belowHighWater) await this.#drained();
  }

  override recv(length: number, kind?: MessageKind): Promise<Uint8Array> {
    const read = super.recv(length, kind);
    if (this.#paused && (this.incoming.waiting || this.incoming.available < RECEIVE_HIGH_WATER)) this.#resume();
    return read;
  }

  async flush(): Promise<void> {
    if (this.closed) return; // close() already flushed
    this.#checkWritable();
    // An empty write completes after every earlier write reached the kernel.
    await new Promise<void>((resolve, reject) =>
      this.#socket.write(EMPTY, (error) =>
        error ? reject(this.#failure ?? new TransportError(`${this.describe}: flush failed: ${error.message}`)) : resolve(),
      ),
    );
  }

  /**
   * Flush and half-close (FIN after the queued data), keep draining what the peer still sends so
   * the kernel answers with FIN and not RST (an RST could destroy data the peer has not read yet),
   * and resolve once the peer closed too or `LINGER_MS` passed.
   */
  async close(): Promise<void> {
    if (!this.markClosed()) return;
    const socket = this.#socket;
    if (this.#paused) this.#resume();
    if (!socket.destroyed) socket.end();
    const linger = setTimeout(() => socket.destroy(), LINGER_MS);
    await this.#socketClosed;
    clearTimeout(linger);
  }

  #onData(chunk: Buffer): void {
    if (this.closed || this.#failure) return; // draining after close: discard
    try {
      // A plain Uint8Array view: receivers get Uint8Array semantics (slice copies), not Buffer's.
      this.#decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    } catch (error) {
      this.#fail(error as TransportError);
      this.#socket.destroy();
      return;
    }
    if (!this.incoming.waiting && this.incoming.available >= RECEIVE_HIGH_WATER) {
      this.#paused = true;
      this.#socket.pause();
    }
  }

  #resume(): void {
    this.#paused = false;
    this.#socket.resume();
  }

  #endError(): TransportError {
    const partial = this.#decoder.partialFrame;
    if (partial) {
      return new TransportError(
        `${this.describe}: the peer closed the connection in the middle of a frame (received ${partial}): truncated frame`,
      );
    }
    return new TransportError(`${this.describe}: the peer closed the connection`);
  }

  /** The first failure wins: it is what pending and later `recv`/`send` calls report. */
  #fail(error: TransportError): void {
    this.#failure ??= error;
    this.incoming.end(this.#failure);
  }

  #checkWritable(): void {
    this.checkOpen();
    if (this.#failure) throw new TransportError(`cannot send: ${this.#failure.message}`, { cause: this.#failure });
    if (!this.#socket.writable) throw new TransportError(`${this.describe}: cannot send: the connection is closed`);
  }

  #drained(): Promise<void> {
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      const onDrain = (): void => {
        socket.off('close', onClose);
        resolve();
      };
      const onClose = (): void => {
        socket.off('drain', onDrain);
        reject(this.#failure ?? new TransportError(`${this.describe}: the connection closed while sending`));
      };
      socket.once('drain', onDrain);
      socket.once('close', onClose);
    });
  }
}
