/**
 * Oblivious transfer. Correlated OT (COT) is the core primitive (emp-ot's `COT`): the sender fixes a
 * global offset Δ (the garbler's free-XOR offset) and obtains, per OT, a message m0; the receiver
 * with choice bit b obtains m0 ⊕ b·Δ. Random and chosen-message OT are derived from it once.
 *
 * Conventions: messages are 128-bit blocks, batches are flat `Uint8Array`s (16 bytes per OT);
 * choice bits are one byte each (0 or 1).
 */
import type { Channel } from './channel.ts';

/** Random-message 1-out-of-2 OT, used a few hundred times to seed an extension. */
export interface BaseOt {
  readonly name: string;
  /** Sender side: `count` pairs of random messages. */
  send(channel: Channel, count: number): Promise<{ m0: Uint8Array; m1: Uint8Array }>;
  /** Receiver side: for each i, m_{choices[i]} of the sender's i-th pair. */
  receive(channel: Channel, choices: Uint8Array): Promise<Uint8Array>;
}

/** The OT sender after setup (base OTs done). */
export interface OtSender {
  /** The global correlation Δ (16 bytes). */
  readonly delta: Uint8Array;
  /** `count` correlated OTs: returns every m0; the receiver gets m0 ⊕ b·Δ. */
  sendCorrelated(count: number): Promise<Uint8Array>;
  /** `count` random OTs: independent random pairs (m0, m1), obtained by hashing COTs. */
  sendRandom(count: number): Promise<{ m0: Uint8Array; m1: Uint8Array }>;
  /** Chosen-message OT: the receiver learns m0[i] or m1[i] by its choice, nothing about the other. */
  sendChosen(m0: Uint8Array, m1: Uint8Array): Promise<void>;
}

/** The OT receiver after setup. */
export interface OtReceiver {
  receiveCorrelated(choices: Uint8Array): Promise<Uint8Array>;
  receiveRandom(choices: Uint8Array): Promise<Uint8Array>;
  receiveChosen(choices: Uint8Array): Promise<Uint8Array>;
}

/** An OT extension protocol (IKNP), generic over its base OT. */
export interface OtExtension {
  readonly name: string;
  /** Set up the sending side with global offset `delta` (16 bytes). Runs the base OTs. */
  sender(channel: Channel, delta: Uint8Array): Promise<OtSender>;
  /** Set up the receiving side. Runs the base OTs. */
  receiver(channel: Channel): Promise<OtReceiver>;
}
