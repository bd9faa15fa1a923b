/**
 * The receiving half of a stream channel: chunks arrive in any sizes, `read(n)` returns exactly n
 * bytes once they are there. One reader at a time (protocols are sequential per channel).
 */
import { TransportError } from './errors.ts';

interface PendingRead {
  length: number;
  resolve: (bytes: Uint8Array) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export class ByteQueue {
  #chunks: Uint8Array[] = [];
  #head = 0; // offset into #chunks[0]
  #available = 0;
  #pending: PendingRead | undefined;
  #ended: Error | undefined;

  constructor(
    private readonly describe: string,
    private readonly idleTimeoutMs = 0,
  ) {}

  get available(): number {
    return this.#available;
  }

  /** A `read` is waiting for more bytes than are available (the producer must keep them coming). */
  get waiting(): boolean {
    return this.#pending !== undefined;
  }

  push(chunk: Uint8Array): void {
    if (this.#ended || chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#available += chunk.length;
    const pending = this.#pending;
    if (pending) {
      if (this.#available >= pending.length) {
        this.#pending = undefined;
        clearTimeout(pending.timer);
        pending.resolve(this.#take(pending.length));
      } else {
        this.#armTimer(pending);
      }
    }
  }

  /** No more data: pending and later reads that cannot be satisfied fail with `error`. */
  end(error: Error): void {
    if (this.#ended) return;
    this.#ended = error;
    const pending = this.#pending;
    if (pending) {
      this.#pending = undefined;
      clearTimeout(pending.timer);
      pending.reject(this.#shortRead(pending.length, error));
    }
  }

  read(length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(length) || length < 0) {
      return Promise.reject(new RangeError(`recv: length must be a non-negative integer, got ${length}`));
    }
    if (this.#pending) return Promise.reject(new TransportError(`${this.describe}: concurrent recv calls on one channel`));
    if (this.#available >= length) return Promise.resolve(this.#take(length));
    if (this.#ended) return Promise.reject(this.#shortRead(length, this.#ended));
    return new Promise((resolve, reject) => {
      const pending: PendingRead = { length, resolve, reject, timer: undefined };
      this.#pending = pending;
      this.#armTimer(pending);
    });
  }

  /** Why a read of `length` bytes cannot complete: the end's own error (its type kept), or a truncated message. */
  #shortRead(length: number, cause: Error): Error {
    const got = this.#available;
    if (got === 0 && cause instanceof TransportError) return cause;
    const detail = got > 0 ? ` (had ${got} of ${length} bytes: truncated message)` : '';
    return new TransportError(`${cause.message}${detail}`, { cause });
  }

  #armTimer(pending: PendingRead): void {
    if (this.idleTimeoutMs <= 0) return;
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => {
      if (this.#pending !== pending) return;
      this.#pending = undefined;
      pending.reject(
        new TransportError(
          `${this.describe}: no data for ${this.idleTimeoutMs} ms while waiting for ${pending.length} bytes ` +
            `(have ${this.#available}); the peer is stalled or gone`,
        ),
      );
    }, this.idleTimeoutMs);
  }

  #take(length: number): Uint8Array {
    this.#available -= length;
    const first = this.#chunks[0];
    if (first && first.length - this.#head >= length) {
      // Fast path: served from one chunk without copying.
      const out = first.subarray(this.#head, this.#head + length);
      this.#head += length;
      if (this.#head === first.length) {
        this.#chunks.shift();
        this.#head = 0;
      }
      return out;
    }
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.#chunks[0]!;
      const n = Math.min(chunk.length - this.#head, length - filled);
      out.set(chunk.subarray(this.#head, this.#head + n), filled);
      filled += n;
      this.#head += n;
      if (this.#head === chunk.length) {
        this.#chunks.shift();
        this.#head = 0;
      }
    }
    return out;
  }
}
