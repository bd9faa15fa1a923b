/**
 * Transcript recording for the verification harness (design §7): every message with its sender,
 * label (protocol step and layer) and kind, so that a party's view (the messages it received) can
 * be compared with a simulated one.
 */
import type { Channel, MessageKind, Party } from '../channel.ts';
import type { Direction } from './counting.ts';
import { ChannelDecorator } from './channel-decorator.ts';

export interface RecordedMessage {
  /** Position in this endpoint's transcript, from 0. */
  readonly seq: number;
  readonly direction: Direction;
  readonly sender: Party;
  readonly label: string;
  readonly kind: MessageKind;
  /** A private copy: later changes to the protocol's buffers do not alter the transcript. */
  readonly bytes: Uint8Array;
}

export interface Transcript {
  /** The party at this endpoint. */
  readonly party: Party;
  readonly messages: readonly RecordedMessage[];
}

export function otherParty(party: Party): Party {
  return party === 'client' ? 'server' : 'client';
}

/** A party's view of the exchange: the messages it received, in order (design §7). */
export function viewOf(transcript: Transcript): RecordedMessage[] {
  return transcript.messages.filter((m) => m.direction === 'received');
}

/** Records every completed send and recv (empty ones carry nothing and are skipped); `kind` defaults to `data`. */
export class RecordingChannel extends ChannelDecorator {
  readonly #messages: RecordedMessage[] = [];

  constructor(
    inner: Channel,
    readonly party: Party,
  ) {
    super(inner);
  }

  override async send(data: Uint8Array, kind: MessageKind = 'data'): Promise<void> {
    const label = this.label;
    // Copied before handing over: `send` passes ownership, and an in-memory peer may modify it in place.
    const bytes = data.slice();
    await this.inner.send(data, kind);
    this.#record('sent', this.party, label, kind, bytes);
  }

  override async recv(length: number, kind: MessageKind = 'data'): Promise<Uint8Array> {
    const label = this.label;
    const data = await this.inner.recv(length, kind);
    this.#record('received', otherParty(this.party), label, kind, data.slice());
    return data;
  }

  /** A snapshot of the transcript so far. */
  transcript(): Transcript {
    return { party: this.party, messages: [...this.#messages] };
  }

  #record(direction: Direction, sender: Party, label: string, kind: MessageKind, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#messages.push({ seq: this.#messages.length, direction, sender, label, kind, bytes });
  }
}
