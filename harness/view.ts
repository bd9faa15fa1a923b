/**
 * A party's view (design §7; the simulation paradigm's VIEW): its own input, its randomness, the
 * messages it received — each tagged with sender, phase, layer and kind — and what it derived from
 * them (decrypted shares, decoded outputs, the point-and-permute bits of the labels it evaluated,
 * decryption noise). A simulator must produce the same from the party's input and output alone;
 * the checks compare views.
 */
import type { MessageKind, Party } from '../core/channel.ts';
import { viewOf, type Transcript } from '../core/channel/recording.ts';

/** Protocol phases of the engine's channel labels `<phase>/<layer>` (design §10). */
export const PHASES = ['setup', 'offline', 'online'] as const;

export interface ViewMessage {
  /** Position among the messages this party received, from 0. */
  readonly seq: number;
  readonly sender: Party;
  /** The channel label, `<phase>/<layer>` by the engine's convention. */
  readonly label: string;
  /** `setup`, `offline`, `online`, or the whole label when it does not follow the convention. */
  readonly phase: string;
  /** The layer part of the label (`conv1`), empty when there is none. */
  readonly layer: string;
  readonly kind: MessageKind;
  readonly bytes: Uint8Array;
}

/** Named numeric vectors: a party's input parts, or what it derived. */
export type NamedValues = Readonly<Record<string, Uint8Array | Uint32Array | Int32Array | Float64Array>>;

export interface View {
  readonly party: Party;
  /** The party's own input (image, weights, choice bits...), by name. */
  readonly input: NamedValues;
  /** Seed of the party's random source (its whole randomness), or `undefined` for the system CSPRNG. */
  readonly seed: string | undefined;
  readonly messages: readonly ViewMessage[];
  /** What the party computed from its input, randomness and messages, by name. */
  readonly derived: NamedValues;
}

/** Phase and layer of a channel label. */
export function parseLabel(label: string): { phase: string; layer: string } {
  const slash = label.indexOf('/');
  if (slash < 0) return { phase: label, layer: '' };
  return { phase: label.slice(0, slash), layer: label.slice(slash + 1) };
}

/** The view of the party at `transcript`'s endpoint: the messages it received, with its input, seed and derived values. */
export function viewFromTranscript(
  transcript: Transcript,
  parts: { input?: NamedValues; seed?: string; derived?: NamedValues } = {},
): View {
  const messages = viewOf(transcript).map((m, seq) => ({ seq, sender: m.sender, label: m.label, ...parseLabel(m.label), kind: m.kind, bytes: m.bytes }));
  return { party: transcript.party, input: parts.input ?? {}, seed: parts.seed, messages, derived: parts.derived ?? {} };
}
