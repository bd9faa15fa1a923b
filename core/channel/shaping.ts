/**
 * Network shaping: a one-way latency and a bandwidth limit on what this endpoint sends, to run
 * protocols as if over a LAN or WAN on any transport. Wrap both ends to shape both directions.
 *
 * Model (store-and-forward link, one per direction): a message of n bytes occupies the link for
 * n / bandwidth once the previous message has left it, and reaches the peer `latencyMs` after its
 * last byte left. `send` resolves when the message has left (the link pushes back on a sender that
 * is faster than the bandwidth); delivery to the wrapped channel happens later, in order.
 */
import { TransportError } from '../errors.ts';
import type { Channel, MessageKind } from '../channel.ts';
import { ChannelDecorator } from './channel-decorator.ts';

export interface ShapingOptions {
  /** One-way delay in milliseconds (a round trip costs twice this). */
  latencyMs: number;
  /** Bytes per second; `Infinity` for no limit. */
  bandwidthBytesPerSecond: number;
}

/**
 * The field's usual settings, as in OpenCheetah's scripts/throttle.sh (tc on the loopback device:
 * `tbf rate 3000mbit` + `netem delay 0.15msec` for LAN, `tbf rate 400mbit` + `netem delay 20msec`
 * for WAN): LAN 3 Gbit/s with 0.15 ms one-way delay, WAN 400 Mbit/s with 20 ms (40 ms round trips).
 */
export const NETWORK_PRESETS: Readonly<Record<'lan' | 'wan', ShapingOptions>> = {
  lan: { latencyMs: 0.15, bandwidthBytesPerSecond: 3e9 / 8 },
  wan: { latencyMs: 20, bandwidthBytesPerSecond: 400e6 / 8 },
};

/** A `RangeError` unless the latency is finite and >= 0 and the bandwidth > 0 (Infinity: no limit). */
export function checkShapingOptions({ latencyMs, bandwidthBytesPerSecond }: ShapingOptions): void {
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`shaping: latencyMs must be a finite number >= 0, got ${latencyMs}`);
  if (!(bandwidthBytesPerSecond > 0)) {
    throw new RangeError(`shaping: bandwidthBytesPerSecond must be > 0 (Infinity for no limit), got ${bandwidthBytesPerSecond}`);
  }
}

/** Never early: timers run on the event loop's cached clock, which may lag performance.now() by up to 1 ms. */
async function sleepUntil(time: number): Promise<void> {
  for (let wait = time - performance.now(); wait > 0; wait = time - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
  }
}

export class ShapingChannel extends ChannelDecorator {
  readonly #latencyMs: number;
  readonly #msPerByte: number;
  /** When (performance.now() clock) the link has finished sending the last queued message. */
  #linkFreeAt = 0;
  /** Deliveries to the wrapped channel, chained so they happen in order. */
  #deliveries: Promise<void> = Promise.resolve();
  #failure: unknown;
  #closing = false;

  constructor(inner: Channel, options: ShapingOptions) {
    super(inner);
    checkShapingOptions(options);
    this.#latencyMs = options.latencyMs;
    this.#msPerByte = 1000 / options.bandwidthBytesPerSecond;
  }

  override get closed(): boolean {
    return this.#closing || this.inner.closed;
  }

  override async send(data: Uint8Array, kind?: MessageKind): Promise<void> {
    this.#check();
    if (data.length === 0) return;
    const leftAt = Math.max(performance.now(), this.#linkFreeAt) + data.length * this.#msPerByte;
    this.#linkFreeAt = leftAt;
    const arrivesAt = leftAt + this.#latencyMs;
    this.#deliveries = this.#deliveries.then(async () => {
      if (this.#failure !== undefined) return;
      await sleepUntil(arrivesAt);
      try {
        await this.inner.send(data, kind);
      } catch (error) {
        this.#failure = error;
      }
    });
    await sleepUntil(leftAt);
    this.#throwFailure();
  }

  /** Waits until everything sent so far has been delivered to the wrapped channel, then flushes it. */
  override async flush(): Promise<void> {
    await this.#deliveries;
    this.#throwFailure();
    await this.inner.flush();
  }

  /** Delivers what is still in flight, then closes the wrapped channel. */
  override async close(): Promise<void> {
    this.#closing = true;
    await this.#deliveries;
    await this.inner.close();
  }

  #check(): void {
    if (this.closed) throw new TransportError('shaped channel: send after close');
    this.#throwFailure();
  }

  #throwFailure(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}
