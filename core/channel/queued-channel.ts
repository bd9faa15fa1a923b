/**
 * Base of the transports' channels: the receive side is a `ByteQueue` that the transport fills,
 * plus the label and the closed flag. Subclasses add how bytes reach the peer.
 */
import { ByteQueue } from '../byte-queue.ts';
import { DEFAULT_LABEL, type Channel, type MessageKind } from '../channel.ts';
import { TransportError } from '../errors.ts';

export abstract class QueuedChannel implements Channel {
  protected readonly incoming: ByteQueue;
  #label = DEFAULT_LABEL;
  #closed = false;

  /** `describe` starts every error message (e.g. `tcp client of 127.0.0.1:4000`). */
  constructor(
    protected readonly describe: string,
    idleTimeoutMs: number,
  ) {
    this.incoming = new ByteQueue(describe, idleTimeoutMs);
  }

  get label(): string {
    return this.#label;
  }

  get closed(): boolean {
    return this.#closed;
  }

  setLabel(label: string): void {
    this.#label = label;
  }

  recv(length: number, _kind?: MessageKind): Promise<Uint8Array> {
    return this.incoming.read(length);
  }

  abstract send(data: Uint8Array, kind?: MessageKind): Promise<void>;
  abstract flush(): Promise<void>;
  abstract close(): Promise<void>;

  /** Mark this end closed and fail pending and later `recv` calls; false if it already was closed. */
  protected markClosed(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    this.incoming.end(new TransportError(`${this.describe}: recv on a channel closed locally`));
    return true;
  }

  protected checkOpen(): void {
    if (this.#closed) throw new TransportError(`${this.describe}: send after close`);
  }
}
