/**
 * Communication accounting (design §3: per party, per direction, per phase/layer, with rounds):
 * bytes and messages in each direction and rounds, broken down by the channel's label.
 */
import type { Channel, MessageKind } from '../channel.ts';
import { ChannelDecorator } from './channel-decorator.ts';

export type Direction = 'sent' | 'received';

export interface DirectionStats {
  bytes: number;
  /** `send` calls, or completed `recv` calls (the receiver's message boundaries, not the sender's). */
  messages: number;
}

export interface TrafficStats {
  sent: DirectionStats;
  received: DirectionStats;
  /**
   * Changes of direction seen from this endpoint (send→recv or recv→send), each counted under the
   * label of the message that changed the direction. A one-message exchange has 0; a request and
   * its reply has 1 at both ends.
   */
  rounds: number;
}

export interface ChannelStats {
  total: TrafficStats;
  /** Per label, in the order the labels were first used. */
  byLabel: Record<string, TrafficStats>;
}

export function emptyTrafficStats(): TrafficStats {
  return { sent: { bytes: 0, messages: 0 }, received: { bytes: 0, messages: 0 }, rounds: 0 };
}

/**
 * Counts what passes through. A message is counted when it completes, under the label that was set
 * when it was issued. Empty sends and receives carry nothing and are not counted.
 */
export class CountingChannel extends ChannelDecorator {
  readonly #total = emptyTrafficStats();
  readonly #byLabel = new Map<string, TrafficStats>();
  #lastDirection: Direction | undefined;

  constructor(inner: Channel) {
    super(inner);
  }

  override async send(data: Uint8Array, kind?: MessageKind): Promise<void> {
    const label = this.label;
    const bytes = data.length;
    await this.inner.send(data, kind);
    this.#count(label, 'sent', bytes);
  }

  override async recv(length: number, kind?: MessageKind): Promise<Uint8Array> {
    const label = this.label;
    const data = await this.inner.recv(length, kind);
    this.#count(label, 'received', data.length);
    return data;
  }

  /** A snapshot (later traffic does not change it). */
  stats(): ChannelStats {
    const byLabel: Record<string, TrafficStats> = {};
    for (const [label, stats] of this.#byLabel) byLabel[label] = structuredClone(stats);
    return { total: structuredClone(this.#total), byLabel };
  }

  #count(label: string, direction: Direction, bytes: number): void {
    if (bytes === 0) return;
    let stats = this.#byLabel.get(label);
    if (!stats) this.#byLabel.set(label, (stats = emptyTrafficStats()));
    const turned = this.#lastDirection !== undefined && this.#lastDirection !== direction;
    this.#lastDirection = direction;
    for (const s of [stats, this.#total]) {
      s[direction].bytes += bytes;
      s[direction].messages += 1;
      if (turned) s.rounds += 1;
    }
  }
}
