/**
 * Oblivious transfer. Correlated OT (COT) is the core primitive (emp-ot's `COT`): the sender fixes a
 * global offset Δ (the garbler's free-XOR offset) and obtains, per OT, a message m0; the receiver
 * with choice bit b obtains m0 ⊕ b·Δ. Random and chosen-message OT are derived from it once
 * (`core/ot/ot-from-cot.ts`).
 *
 * Conventions: messages are 128-bit blocks, batches are flat `Uint8Array`s (16 bytes per OT);
 * choice bits are one byte each (0 or 1).
 *
 * Both parties must make the same calls, with the same counts, in the same order; a peer that does
 * not (or belongs to another session) is detected and reported as a `ProtocolError`, after which
 * the object refuses further use. Calls on one object may overlap: they run in call order (so do
 * not modify message arrays passed in until the call has settled).
 *
 * Offline/online: `precompute(n)` runs n random COTs now; the `...Precomputed` calls later consume
 * them by Beaver's derandomisation (CRYPTO 1995): the receiver sends d = b ⊕ c (1 bit per OT) for
 * its real choice b and the random choice c of the precomputed OT.
 *
 * Randomness: every secret a party draws (base-OT secrets, the random choice bits of precomputed
 * OTs) comes from the `RandomSource` it is given (default: the operating system's CSPRNG), so that
 * the test harness can hold one party's randomness fixed (design §10).
 */
import type { Channel } from './channel.ts';
import type { RandomSource } from './random.ts';

/** Random-message 1-out-of-2 OT, used a few hundred times to seed an extension. */
export interface BaseOt {
  readonly name: string;
  /** Sender side: `count` pairs of random messages; its secrets drawn from `random` (default `systemRandom()`). */
  send(channel: Channel, count: number, random?: RandomSource): Promise<{ m0: Uint8Array; m1: Uint8Array }>;
  /** Receiver side: for each i, m_{choices[i]} of the sender's i-th pair; secrets from `random`. */
  receive(channel: Channel, choices: Uint8Array, random?: RandomSource): Promise<Uint8Array>;
}

/** What an OT party is set up with besides its channel (and the sender's Δ). */
export interface OtPartyOptions {
  /** Where the party's secrets come from: base-OT secrets, precomputed OTs' choice bits. Default `systemRandom()`. */
  readonly random?: RandomSource;
  /**
   * The session's 64-bit tweak salt (words 2 and 3 of every hash tweak, `core/crypto/tccr.ts`), so
   * that hash tweaks do not repeat across sessions under the one fixed AES key. Both parties must
   * pass the same salt (a different one is a desynchronised session); default 0.
   */
  readonly salt?: bigint;
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
  /** Offline: `count` random COTs into this sender's store (the receiver calls `precompute(count)`). */
  precompute(count: number): Promise<void>;
  /** Precomputed OTs not consumed yet. */
  readonly precomputed: number;
  /** Online `sendCorrelated` from the store: same contract, 1 bit of traffic per OT. */
  sendCorrelatedPrecomputed(count: number): Promise<Uint8Array>;
  /** Online `sendChosen` from the store: 1 bit up and 32 bytes down per OT. */
  sendChosenPrecomputed(m0: Uint8Array, m1: Uint8Array): Promise<void>;
  /**
   * Online transfer of labels fixed before the choices were known (a circuit garbled offline): the
   * receiver learns `zeroLabels[i] ⊕ b_i·Δ` for its choice b_i, nothing about the other label.
   * The labels must be free-XOR labels under this sender's Δ. 1 bit up and 16 bytes down per OT.
   */
  sendLabelsPrecomputed(zeroLabels: Uint8Array): Promise<void>;
}

/** The OT receiver after setup. */
export interface OtReceiver {
  receiveCorrelated(choices: Uint8Array): Promise<Uint8Array>;
  receiveRandom(choices: Uint8Array): Promise<Uint8Array>;
  receiveChosen(choices: Uint8Array): Promise<Uint8Array>;
  /** Offline: `count` random COTs with random choice bits, kept for the online calls below. */
  precompute(count: number): Promise<void>;
  readonly precomputed: number;
  receiveCorrelatedPrecomputed(choices: Uint8Array): Promise<Uint8Array>;
  receiveChosenPrecomputed(choices: Uint8Array): Promise<Uint8Array>;
  /** The counterpart of `sendLabelsPrecomputed`: x0_i ⊕ b_i·Δ for every i. */
  receiveLabelsPrecomputed(choices: Uint8Array): Promise<Uint8Array>;
}

/** An OT extension protocol (IKNP), generic over its base OT. */
export interface OtExtension {
  readonly name: string;
  /**
   * Bytes the receiver sends to extend `count` correlated OTs, the call header aside (IKNP: its u
   * columns). Plans and budgets predict every call's traffic from it (`otTraffic`).
   */
  extensionBytes(count: number): number;
  /** Set up the sending side with global offset `delta` (16 bytes). Runs the base OTs. */
  sender(channel: Channel, delta: Uint8Array, options?: OtPartyOptions): Promise<OtSender>;
  /** Set up the receiving side. Runs the base OTs. */
  receiver(channel: Channel, options?: OtPartyOptions): Promise<OtReceiver>;
}
