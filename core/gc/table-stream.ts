/**
 * Garbled tables in flight. The garbler's backend writes tables into a `TableSink` synchronously;
 * the runner drains it to the channel between circuit levels, in frames of bounded size. The
 * evaluator's `TableSource` is filled (asynchronously) before each level, and the backend takes
 * exactly that level's tables from it. So neither side holds more than about a frame plus a level.
 * A circuit garbled offline is evaluated from a `TableReader` over tables received earlier (the
 * evaluator then holds a whole layer's tables, by design).
 */
import type { Channel } from '../channel.ts';
import { ProtocolError } from '../errors.ts';

/** Default frame size for tables: well under every transport's default frame limit (4 MiB). */
export const DEFAULT_TABLE_FRAME_BYTES = 1 << 20;

export class TableSink {
  #parts: Uint8Array[] = [];
  #pending = 0;
  #total = 0;

  /**
   * A fresh zeroed region of `bytes` for the scheme to write tables into (4-byte aligned). Zeroed,
   * not `allocUnsafe`: a scheme plugin that left a byte unwritten must not send stale process memory.
   */
  reserve(bytes: number): Uint8Array {
    const region = new Uint8Array(bytes);
    if (bytes > 0) this.#parts.push(region);
    this.#pending += bytes;
    this.#total += bytes;
    return region;
  }

  /** Bytes reserved and not yet sent. */
  get pending(): number {
    return this.#pending;
  }

  /** Bytes reserved since creation. */
  get total(): number {
    return this.#total;
  }

  /**
   * Send everything pending as 'gc-table' frames of at most `frameBytes`: regions of at least
   * `frameBytes / 8` go out as they are (cut to frame size, no copy), smaller ones are coalesced.
   */
  async drainTo(channel: Channel, frameBytes = DEFAULT_TABLE_FRAME_BYTES): Promise<void> {
    const parts = this.#parts;
    this.#parts = [];
    this.#pending = 0;
    let frame: Uint8Array | undefined;
    let filled = 0;
    const flush = async () => {
      if (frame && filled > 0) await channel.send(frame.subarray(0, filled), 'gc-table');
      frame = undefined;
      filled = 0;
    };
    for (const part of parts) {
      if (part.length >= frameBytes / 8) {
        await flush();
        for (let off = 0; off < part.length; off += frameBytes) await channel.send(part.subarray(off, off + frameBytes), 'gc-table');
        continue;
      }
      if (filled + part.length > frameBytes) await flush();
      frame ??= new Uint8Array(frameBytes);
      frame.set(part, filled);
      filled += part.length;
    }
    await flush();
  }
}

/** Table bytes handed to the evaluator's backend in order: here, all of them already in memory. */
export class TableReader {
  protected buffer: Uint8Array;
  protected offset = 0;

  constructor(tables: Uint8Array = new Uint8Array(0)) {
    this.buffer = tables;
  }

  get available(): number {
    return this.buffer.length - this.offset;
  }

  /** Make at least `bytes` available: here they must be already (the circuit was received whole). */
  async ensure(bytes: number): Promise<void> {
    if (bytes > this.available) {
      throw new ProtocolError(`garbled tables: the circuit needs ${bytes - this.available} more table bytes than were received`);
    }
  }

  /** The next `bytes` table bytes, which `ensure` must have made available. */
  take(bytes: number): Uint8Array {
    if (bytes > this.available) {
      throw new ProtocolError(`garbled tables: ${bytes} bytes needed but only ${this.available} received (evaluator out of step with the garbler)`);
    }
    const out = this.buffer.subarray(this.offset, this.offset + bytes);
    this.offset += bytes;
    return out;
  }

  /** Every table byte has been consumed. */
  get finished(): boolean {
    return this.available === 0;
  }
}

/** Tables received from the channel as the evaluation needs them. */
export class TableSource extends TableReader {
  #remaining: number;

  /**
   * @param totalBytes every table byte this source will deliver (the whole run is known in advance:
   *   AND count × instances × table size), so it never reads past the tables into the next message.
   */
  constructor(
    private readonly channel: Channel,
    totalBytes: number,
    private readonly frameBytes = DEFAULT_TABLE_FRAME_BYTES,
  ) {
    super();
    this.#remaining = totalBytes;
  }

  /**
   * Receive until at least `bytes` are available: exactly what is missing when that is big (the
   * garbler sent it as frames of its own, so it arrives without copying), else up to a frame ahead.
   */
  override async ensure(bytes: number): Promise<void> {
    const missing = bytes - this.available;
    if (missing <= 0) return;
    if (missing > this.#remaining) {
      throw new ProtocolError(`garbled tables: the circuit needs ${missing} more table bytes than the run announced`);
    }
    const want = missing >= this.frameBytes / 8 ? missing : Math.min(this.#remaining, this.frameBytes);
    const fresh = await this.channel.recv(want, 'gc-table');
    this.#remaining -= want;
    const rest = this.buffer.subarray(this.offset);
    if (rest.length === 0) {
      this.buffer = fresh;
    } else {
      const joined = new Uint8Array(rest.length + fresh.length);
      joined.set(rest);
      joined.set(fresh, rest.length);
      this.buffer = joined;
    }
    this.offset = 0;
  }

  /** Every announced table byte has been received and consumed. */
  override get finished(): boolean {
    return this.#remaining === 0 && this.available === 0;
  }
}
