/**
 * Keeping the two parties of an OT session in step. Every OT call starts with a 16-byte header from
 * the receiver, (operation, count, call number, session tag) as four little-endian 32-bit words;
 * the sender compares it with its own call and, when it answers with data, echoes it back.
 *
 * Why: IKNP output is only meaningful if both parties consumed their PRG streams for the same rows
 * (ALSZ 2013 and emp-ot assume this silently). A peer that asks for another count, another kind
 * of OT, skips a call, or belongs to another session (other base OTs, hence another tag) would
 * otherwise produce outputs that are silently unrelated. The header turns every such mismatch into
 * a `ProtocolError` at the cost of 16 bytes per call, whatever its size. It is a check against
 * honest mistakes (the semi-honest model), not a defence against a malicious peer.
 *
 * A failed call leaves the streams in an unknown state, so the session then refuses further use.
 */
import type { Channel } from '../channel.ts';
import { ProtocolError } from '../errors.ts';

export const OT_OPERATIONS = {
  correlated: 1,
  random: 2,
  chosen: 3,
  precompute: 4,
  'correlated-precomputed': 5,
  'chosen-precomputed': 6,
  'labels-precomputed': 7,
} as const;
export type OtOperation = keyof typeof OT_OPERATIONS;

const NAMES = new Map<number, OtOperation>(Object.entries(OT_OPERATIONS).map(([k, v]) => [v, k as OtOperation]));

export const CALL_HEADER_BYTES = 16;
/** Largest count of one call (the header holds 32 bits; 2^30 OTs are already 16 GiB of output). */
export const MAX_OT_COUNT = 2 ** 30;

interface Header {
  readonly op: number;
  readonly count: number;
  readonly seq: number;
  readonly tag: number;
}

function describe(h: Header): string {
  const name = NAMES.get(h.op);
  return `call #${h.seq} ${name ? `"${name}"` : `with unknown operation code ${h.op}`} for ${h.count} OTs in session ${h.tag.toString(16).padStart(8, '0')}`;
}

/** One party's view of the sequence of calls on a session. */
export class OtCallSequence {
  #seq = 0;
  #tail: Promise<unknown> = Promise.resolve();
  #failure: Error | undefined;

  constructor(
    readonly channel: Channel,
    /** 32-bit tag both parties derived at setup; differs between sessions. */
    readonly sessionTag: number,
    readonly role: 'sender' | 'receiver',
  ) {}

  /**
   * Run `body` as the next call, after every earlier one. Any failure inside (a peer mismatch, a
   * transport error) makes this and every later call reject.
   */
  run<T>(op: OtOperation, count: number, body: (header: Uint8Array) => Promise<T>): Promise<T> {
    const header = this.#encode({ op: OT_OPERATIONS[op], count, seq: this.#seq++, tag: this.sessionTag });
    const result = this.#tail.then(async () => {
      if (this.#failure) {
        throw new ProtocolError(
          `OT ${this.role}: an earlier call on this session failed (${this.#failure.message}); the parties may be out of step, so set up a new session`,
          { cause: this.#failure },
        );
      }
      try {
        return await body(header);
      } catch (error) {
        this.#failure ??= error as Error;
        throw error;
      }
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Read the peer's header and compare it with ours (the header `run` handed to the body). */
  async expect(ours: Uint8Array): Promise<void> {
    const theirs = await this.channel.recv(CALL_HEADER_BYTES, 'control');
    const a = this.#decode(ours);
    const b = this.#decode(theirs);
    if (a.op !== b.op || a.count !== b.count || a.seq !== b.seq || a.tag !== b.tag) {
      const peer = this.role === 'sender' ? 'receiver' : 'sender';
      throw new ProtocolError(
        `OT desynchronised: the ${peer} is at ${describe(b)}, this ${this.role} at ${describe(a)}; ` +
          'both parties must make the same OT calls, with the same counts, in the same order on one session',
      );
    }
  }

  #encode(h: Header): Uint8Array {
    const bytes = new Uint8Array(CALL_HEADER_BYTES);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, h.op, true);
    view.setUint32(4, h.count, true);
    view.setUint32(8, h.seq >>> 0, true);
    view.setUint32(12, h.tag >>> 0, true);
    return bytes;
  }

  #decode(bytes: Uint8Array): Header {
    const view = new DataView(bytes.buffer, bytes.byteOffset, CALL_HEADER_BYTES);
    return { op: view.getUint32(0, true), count: view.getUint32(4, true), seq: view.getUint32(8, true), tag: view.getUint32(12, true) };
  }
}

/** The count of an OT call: a non-negative integer up to `MAX_OT_COUNT`. */
export function checkOtCount(count: number, what: string): number {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_OT_COUNT) {
    throw new RangeError(`${what}: count must be an integer in [0, ${MAX_OT_COUNT}], got ${count}`);
  }
  return count;
}
