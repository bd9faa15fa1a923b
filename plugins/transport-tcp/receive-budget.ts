/**
 * The bytes a listener's sessions may hold received but not yet read, together
 * (`maxTotalBufferedBytes`). A channel that must buffer a large message reserves the message's
 * length here before it reads it from its socket, and returns it once the message is read.
 * Reservations are all or nothing and granted in arrival order, so no two half-filled messages
 * can wait on each other for ever, and a large one is not starved by smaller ones behind it.
 */
export class ReceiveBudget {
  #free: number;
  readonly #queue: { bytes: number; grant: () => void }[] = [];

  constructor(readonly capacity: number) {
    this.#free = capacity;
  }

  /** Bytes reserved now. */
  get reserved(): number {
    return this.capacity - this.#free;
  }

  /**
   * Resolves once `bytes` (at most `capacity`) are reserved for the caller; rejects with
   * `signal.reason` if the signal aborts first (the channel failed or closed while waiting).
   */
  reserve(bytes: number, signal: AbortSignal): Promise<void> {
    if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > this.capacity) {
      return Promise.reject(new RangeError(`receive budget: cannot reserve ${bytes} of ${this.capacity} bytes`));
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#queue.length === 0 && bytes <= this.#free) {
      this.#free -= bytes;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        bytes,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#queue.splice(this.#queue.indexOf(entry), 1);
        reject(signal.reason);
        this.#grant(); // the head may have been this entry: the next ones may fit now
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(entry);
    });
  }

  release(bytes: number): void {
    this.#free = Math.min(this.capacity, this.#free + bytes);
    this.#grant();
  }

  #grant(): void {
    while (this.#queue.length > 0 && this.#queue[0]!.bytes <= this.#free) {
      const head = this.#queue.shift()!;
      this.#free -= head.bytes;
      head.grant();
    }
  }
}
