/**
 * The observer's end of a two-party session, recorded: its channel wrapped in a `RecordingChannel`,
 * and the view of each run cut from the transcript (the messages it received during that run).
 */
import type { Channel, Party } from '../core/channel.ts';
import { RecordingChannel } from '../core/channel/recording.ts';
import type { Transport } from '../core/transport.ts';
import { viewFromTranscript, type NamedValues, type View } from './view.ts';

export class RecordedPair {
  readonly observer: RecordingChannel;
  readonly other: Channel;

  private constructor(
    observer: Channel,
    other: Channel,
    readonly party: Party,
    private readonly closePair: () => Promise<void>,
  ) {
    this.observer = new RecordingChannel(observer, party);
    this.other = other;
  }

  /** A connected pair from `transport`, the observer being `party`. */
  static async open(transport: Transport, party: Party): Promise<RecordedPair> {
    const pair = await transport.pair();
    return party === 'client'
      ? new RecordedPair(pair.client, pair.server, party, () => pair.close())
      : new RecordedPair(pair.server, pair.client, party, () => pair.close());
  }

  /** Both ends' label (the engine's `<phase>/<layer>`). */
  setLabel(label: string): void {
    this.observer.setLabel(label);
    this.other.setLabel(label);
  }

  /** Run `body` and return its result with the observer's view of the messages received meanwhile. */
  async record<T>(body: () => Promise<T>, parts: (result: T) => { input: NamedValues; seed?: string; derived: NamedValues }): Promise<{ result: T; view: View }> {
    const before = this.observer.transcript().messages.length;
    const result = await body();
    const all = this.observer.transcript().messages;
    const view = viewFromTranscript({ party: this.party, messages: all.slice(before) }, parts(result));
    return { result, view };
  }

  close(): Promise<void> {
    return this.closePair();
  }
}
