/** One end of a TCP connection, speaking the frame format of `frame.ts`. */
import type { Socket } from 'node:net';
import type { MessageKind } from '../../core/channel.ts';
import { QueuedChannel } from '../../core/channel/queued-channel.ts';
import { SessionRefusedError, TransportError } from '../../core/errors.ts';
import { FrameDecoder, frameHeader, framePayloads } from './frame.ts';
import type { ReceiveBudget } from './receive-budget.ts';
import type { ResolvedTcpOptions } from './tcp-options.ts';

/**
 * Read-ahead: how much received data may wait for `recv` before this end stops reading the
 * socket (TCP flow control then pushes back on the sender instead of our memory growing). A
 * pending `recv` of more may buffer up to its length. Under a listener's shared budget the
 * read-ahead is small, and a longer message is read only once the budget grants its length.
 */
const READ_AHEAD = 16 * 1024 * 1024;
const READ_AHEAD_UNDER_BUDGET = 256 * 1024;
/** After `close`, how long to wait for the peer to close its side before dropping the connection. */
const LINGER_MS = 2000;
const EMPTY = Buffer.alloc(0);

export class TcpChannel extends QueuedChannel {
  readonly #socket: Socket;
  readonly #decoder: FrameDecoder;
  readonly #maxFrameBytes: number;
  readonly #maxBufferedBytes: number;
  readonly #idleTimeoutMs: number;
  readonly #readAhead: number;
  readonly #budget: ReceiveBudget | undefined;
  /** Aborted with the failure (or the local close) that ends this channel: cancels a wait for the budget. */
  readonly #ended = new AbortController();
  readonly #socketClosed: Promise<void>;
  #paused = false;
  /** Bytes the pending `recv` may buffer (its length, once granted); 0 without one. */
  #granted = 0;
  /** Why the connection can no longer carry data (peer closed, reset, malformed input, refusal). */
  #failure: TransportError | undefined;

  constructor(
    socket: Socket,
    /** Who this end is, for error messages (`client of host:port`, `server session 3 from ...`). */
    readonly name: string,
    options: ResolvedTcpOptions,
    /** The listener's budget shared by its connections (accepted channels only). */
    budget?: ReceiveBudget,
  ) {
    super(`tcp ${name}`, options.idleTimeoutMs);
    this.#socket = socket;
    this.#maxFrameBytes = options.maxFrameBytes;
    this.#maxBufferedBytes = options.maxBufferedBytes;
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#budget = budget;
    this.#readAhead = Math.min(budget ? READ_AHEAD_UNDER_BUDGET : READ_AHEAD, options.maxBufferedBytes);
    this.#decoder = new FrameDecoder(
      this.describe,
      options.maxFrameBytes,
      (piece) => this.incoming.push(piece),
      (reason) => this.#fail(new SessionRefusedError(`${this.describe}: the server refused the session: ${reason}`, reason)),
    );
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

  /** Bytes received and not yet read by `recv`. */
  get receivedBytes(): number {
    return this.incoming.available;
  }

  async send(data: Uint8Array, _kind?: MessageKind): Promise<void> {
    this.#checkWritable();
    if (data.length === 0) return;
    const socket = this.#socket;
    let belowHighWater = true;
    for (const payload of framePayloads(data, this.#maxFrameBytes)) {
      // cork/uncork turns a header + payload pair into one writev: no copy, no extra packet. One
      // writev per frame, so that the stall check below sees frames leave one by one.
      socket.cork();
      socket.write(frameHeader(payload.length));
      belowHighWater = socket.write(payload);
      socket.uncork();
    }
    if (!belowHighWater) await this.#unlessStalled('send', new Promise((resolve) => socket.once('drain', resolve)));
  }

  /**
   * Exactly `length` bytes. A message longer than `maxBufferedBytes` is refused at once (it could
   * only be held by exceeding the limit); under a listener's budget, a message longer than the
   * read-ahead waits for the budget to grant its length before its bytes are read.
   */
  override async recv(length: number, kind?: MessageKind): Promise<Uint8Array> {
    if (length > this.#maxBufferedBytes) {
      throw new TransportError(
        `${this.describe}: a message of ${length} bytes is more than maxBufferedBytes = ${this.#maxBufferedBytes} ` +
          'that this end holds for one connection; raise maxBufferedBytes if the peer is right to send it',
      );
    }
    let reserved = 0;
    if (this.#budget && length > this.#readAhead && this.incoming.available < length && !this.#failure && !this.closed) {
      await this.#budget.reserve(length, this.#ended.signal);
      reserved = length;
    }
    this.#granted = length;
    const read = super.recv(length, kind);
    this.#updateFlow();
    try {
      return await read;
    } finally {
      this.#granted = 0;
      if (reserved > 0) this.#budget!.release(reserved);
      this.#updateFlow();
    }
  }

  async flush(): Promise<void> {
    if (this.closed) return; // close() already flushed
    this.#checkWritable();
    // An empty write completes after every earlier write reached the kernel.
    await this.#unlessStalled(
      'flush',
      new Promise<void>((resolve, reject) =>
        this.#socket.write(EMPTY, (error) =>
          error ? reject(this.#failure ?? new TransportError(`${this.describe}: flush failed: ${error.message}`)) : resolve(),
        ),
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
    this.#ended.abort(new TransportError(`${this.describe}: recv on a channel closed locally`));
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
    this.#updateFlow();
  }

  /** Read the socket while what is buffered is below the read-ahead or the pending `recv`'s grant. */
  #updateFlow(): void {
    if (this.closed || this.#failure) return;
    const wanted = this.incoming.available < Math.max(this.#readAhead, this.#granted);
    if (wanted && this.#paused) this.#resume();
    else if (!wanted && !this.#paused) {
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
    this.#ended.abort(this.#failure);
  }

  #checkWritable(): void {
    this.checkOpen();
    if (this.#failure) throw new TransportError(`cannot send: ${this.#failure.message}`, { cause: this.#failure });
    if (!this.#socket.writable) throw new TransportError(`${this.describe}: cannot send: the connection is closed`);
  }

  /**
   * `waiting` (for the kernel to take queued bytes), failing when the connection closes, or when
   * the peer reads nothing for the idle timeout: a peer that stops reading must not hold a
   * session (and its memory) for ever. Progress (a frame taken by the kernel) restarts the clock.
   */
  #unlessStalled(what: string, waiting: Promise<void>): Promise<void> {
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        socket.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onClose = (): void => finish(this.#failure ?? new TransportError(`${this.describe}: the connection closed during ${what}`));
      socket.once('close', onClose);
      waiting.then(() => finish(), finish);
      if (this.#idleTimeoutMs > 0) {
        // bytesWritten counts what is still queued here too: the kernel took the difference.
        const taken = (): number => socket.bytesWritten - socket.writableLength;
        let before = taken();
        const check = (): void => {
          if (taken() > before) {
            before = taken();
            timer = setTimeout(check, this.#idleTimeoutMs);
            return;
          }
          const error = new TransportError(
            `${this.describe}: the peer read nothing for ${this.#idleTimeoutMs} ms (${socket.writableLength} bytes waiting to go out); it is stalled or gone`,
          );
          this.#fail(error);
          socket.destroy();
          finish(error);
        };
        timer = setTimeout(check, this.#idleTimeoutMs);
      }
    });
  }
}
