/**
 * Each party's CPU time in a two-party protocol run in one process over the in-memory transport.
 *
 * Both parties share one thread, so a plain stopwatch measures their sum. Here each party's
 * outgoing messages are held back (`GatedChannel`) and the parties take turns: in a turn only one
 * party has anything to work on, runs until it waits for the peer, and the process CPU time
 * (`process.cpuUsage`, user + system, all threads) of that turn is charged to it; then its held
 * messages are delivered and the other party gets the turn. The per-party figures are what each
 * party would spend on a machine of its own; the protocol's rounds are unchanged, only the
 * overlap of the two parties' work is lost (which in-process interleaving does not give anyway).
 */
import { ChannelDecorator } from '../core/channel/channel-decorator.ts';
import type { Channel, MessageKind } from '../core/channel.ts';
import type { ChannelPair } from '../core/transport.ts';
import { cpuSeconds } from './measure.ts';

/** Holds sent messages until `release()`, and counts the bytes sent through it. */
class GatedChannel extends ChannelDecorator {
  #held: { data: Uint8Array; kind: MessageKind | undefined }[] = [];
  bytesSent = 0;

  constructor(inner: Channel) {
    super(inner);
  }

  override async send(data: Uint8Array, kind?: MessageKind): Promise<void> {
    this.#held.push({ data, kind });
    this.bytesSent += data.length;
  }

  /** Deliver everything held (synchronously: the in-memory peer's pending read resolves now). */
  release(): number {
    const held = this.#held;
    this.#held = [];
    for (const { data, kind } of held) void this.inner.send(data, kind);
    return held.length;
  }
}

export type Role = 'sender' | 'receiver';

export interface PartyFigures {
  /** CPU seconds charged to the party. */
  readonly seconds: number;
  readonly bytesSent: number;
}

export interface TwoPartyRun<S, R> {
  readonly sender: S;
  readonly receiver: R;
  readonly parties: Record<Role, PartyFigures>;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Turn-taking runs over one channel pair. The gated channels persist across runs, so objects set
 * up in one run (an OT session) keep working in the next ones.
 */
export class TwoPartyClock {
  readonly #gates: Record<Role, GatedChannel>;

  constructor(pair: ChannelPair) {
    this.#gates = { sender: new GatedChannel(pair.server), receiver: new GatedChannel(pair.client) };
  }

  /**
   * Run `sender(channel)` (on the pair's server end) and `receiver(channel)` (client end) in
   * turns, starting with `first`, charging each turn's CPU time to the party that ran it.
   */
  async run<S, R>(sender: (channel: Channel) => Promise<S>, receiver: (channel: Channel) => Promise<R>, first: Role): Promise<TwoPartyRun<S, R>> {
    const gates = this.#gates;
    const bytesBefore = { sender: gates.sender.bytesSent, receiver: gates.receiver.bytesSent };
    const bodies = { sender, receiver } as Record<Role, (channel: Channel) => Promise<unknown>>;
    const seconds = { sender: 0, receiver: 0 };
    const results: Partial<Record<Role, { value?: unknown; error?: unknown }>> = {};
    const started = { sender: false, receiver: false };
    let turn: Role = first;
    let idleTurns = 0;
    while (!(results.sender && results.receiver)) {
      const party = turn;
      const wasDone = results[party] !== undefined;
      const before = cpuSeconds();
      if (!started[party]) {
        started[party] = true;
        bodies[party](gates[party]).then(
          (value) => void (results[party] = { value }),
          (error: unknown) => void (results[party] = { error }),
        );
      }
      await settle();
      seconds[party] += cpuSeconds() - before;
      const delivered = gates[party].release();
      const progressed = delivered > 0 || (!wasDone && results[party] !== undefined);
      idleTurns = progressed ? 0 : idleTurns + 1;
      if (idleTurns > 2) throw new Error('two-party run: both parties wait for each other (deadlock)');
      turn = party === 'sender' ? 'receiver' : 'sender';
    }
    for (const party of ['sender', 'receiver'] as const) if ('error' in results[party]!) throw results[party]!.error;
    const figures = (party: Role): PartyFigures => ({ seconds: seconds[party], bytesSent: gates[party].bytesSent - bytesBefore[party] });
    return {
      sender: results.sender.value as S,
      receiver: results.receiver.value as R,
      parties: { sender: figures('sender'), receiver: figures('receiver') },
    };
  }
}
