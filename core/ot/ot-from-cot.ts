/**
 * Every OT flavour from one correlated-OT engine, written once for all extensions:
 *
 * - random OT: m0 = H(q, i), m1 = H(q ⊕ Δ, i); the receiver's H(t, i) equals m_b
 *   (IKNP 2003 §3 with the hash of Guo-Katz-Wang-Yu 2020, which needs a tweakable
 *   correlation-robust H because every OT shares the one Δ);
 * - chosen-message OT: the sender sends y_j = x_j ⊕ m_j, the receiver unmasks y_b (48 bytes per OT
 *   in all with IKNP's 16);
 * - Beaver derandomisation of precomputed random COTs: the receiver sends d = b ⊕ c, the sender
 *   shifts its m0 by d·Δ, so t = q ⊕ c·Δ = (q ⊕ d·Δ) ⊕ b·Δ.
 * - precomputed label transfer (labels x0 fixed before the choices are known, as a circuit garbled
 *   offline needs): after d = b ⊕ c the sender sends y = x0 ⊕ q ⊕ d·Δ and the receiver outputs
 *   t ⊕ y = x0 ⊕ (c ⊕ d)·Δ = x0 ⊕ b·Δ. No hash is needed, unlike chosen-message OT: the two
 *   labels x0 and x0 ⊕ Δ are Δ-correlated exactly like the COT pair (q, q ⊕ Δ), so y is just a
 *   shift of the COT. Receiver privacy: d is c ⊕ b with c uniform and unknown to the sender, a
 *   one-time pad. Sender privacy: y = (x0 ⊕ b·Δ) ⊕ t is a function of the receiver's output and of
 *   t, which it already holds, so a simulator given only the output produces y exactly; the other
 *   label x0 ⊕ (1 ⊕ b)·Δ would need Δ, which the COT hides from the receiver (IKNP's guarantee).
 *   The sender must only use each precomputed OT once (the store hands each out once): two
 *   transfers on one q would give the receiver x0 ⊕ x0' ⊕ (d ⊕ d')·Δ.
 *
 * Tweaks: the i-th COT of the session hashes with tweak 2^52 + i, the k-th precomputed OT consumed
 * with 2^52 + 2^51 + k, so that no (input, tweak) pair repeats and none meets the small gate
 * numbers a garbling scheme uses with the same fixed-key π and the same Δ (gate ids stay below
 * `GARBLING_TWEAK_LIMIT`). The session's salt fills the tweaks' upper 64 bits (`core/crypto/tccr.ts`).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { BLOCK_BYTES, packBits, wordsOf, xorInto } from '../bytes.ts';
import type { Channel } from '../channel.ts';
import { fixedKeyAes } from '../crypto/aes.ts';
import { checkSalt, TccrHash } from '../crypto/tccr.ts';
import { randomBits, systemRandom, type RandomSource } from '../random.ts';
import { CALL_HEADER_BYTES, checkOtCount, OtCallSequence } from './ot-calls.ts';
import { PrecomputedOts } from './ot-store.ts';
import type { OtExtension, OtPartyOptions, OtReceiver, OtSender } from '../ot.ts';

/** The raw correlated-OT engine of an extension protocol, after its setup. */
export interface CotSenderEngine {
  readonly channel: Channel;
  readonly delta: Uint8Array;
  /** 32-bit tag both parties derived at setup; it differs between sessions. */
  readonly sessionTag: number;
  /** `count` COTs (after the call header was checked): every m0, 16 bytes each, 4-byte aligned. */
  extend(count: number): Promise<Uint8Array>;
}

export interface CotReceiverEngine {
  readonly channel: Channel;
  readonly sessionTag: number;
  /**
   * `count` COTs for `packedChoices` (LSB first, zero-padded to a multiple of 16 bytes):
   * every m0 ⊕ b·Δ, 16 bytes each, 4-byte aligned.
   */
  extend(packedChoices: Uint8Array, count: number): Promise<Uint8Array>;
}

const DIRECT_TWEAKS = 2 ** 52;
const PRECOMPUTED_TWEAKS = 2 ** 52 + 2 ** 51;
const TWEAK_RANGE = 2 ** 51;
/** Hash tweaks below this are the garbling schemes' (gate ids); OT tweaks start here. */
export const GARBLING_TWEAK_LIMIT = DIRECT_TWEAKS;

/**
 * The call-header tag of a session: the extension's tag with the salt folded in, so that parties
 * with different salts are a desynchronised session at their first call, not silently unrelated
 * random OTs.
 */
function saltedTag(engineTag: number, salt: bigint): number {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, salt, true);
  return (engineTag ^ new DataView(sha256(bytes).buffer).getUint32(0, true)) >>> 0;
}

/** Bytes each way of one OT call, from the counts alone. */
export interface OtTraffic {
  readonly receiverToSender: number;
  readonly senderToReceiver: number;
}

/**
 * The traffic of the calls the inference engine makes, derived once for every extension from its
 * `extensionBytes` (the calls' formats are this file's): `precompute(n)` sends the call header and
 * the extension's data one way; the precomputed label transfer sends the header with d = b ⊕ c (1
 * bit per OT) up and the echoed header with 16 bytes per OT down.
 */
export const otTraffic = {
  precompute: (extension: Pick<OtExtension, 'extensionBytes'>, count: number): OtTraffic => ({ receiverToSender: CALL_HEADER_BYTES + extension.extensionBytes(count), senderToReceiver: 0 }),
  labelTransfer: (count: number): OtTraffic =>
    count === 0 ? { receiverToSender: 0, senderToReceiver: 0 } : { receiverToSender: CALL_HEADER_BYTES + Math.ceil(count / 8), senderToReceiver: CALL_HEADER_BYTES + BLOCK_BYTES * count },
};

/** Choice bits padded to whole 128-bit blocks, as `CotReceiverEngine.extend` takes them. */
function packChoices(choices: Uint8Array): Uint8Array {
  return packBits(choices, Math.ceil(choices.length / 128) * 16);
}

/** blocks[i] ^= Δ for every i, or only where bit i of `packedBits` (LSB first) is set. */
export function xorDelta(blocks: Uint8Array, delta: Uint8Array, packedBits?: Uint8Array): void {
  const B = new Uint32Array(blocks.buffer, blocks.byteOffset, blocks.length >>> 2);
  const D = wordsOf(delta);
  const d0 = D[0]!, d1 = D[1]!, d2 = D[2]!, d3 = D[3]!;
  const n = blocks.length / BLOCK_BYTES;
  for (let i = 0; i < n; i++) {
    // Branch-free select: mask is all ones when the bit is set.
    const mask = packedBits ? -((packedBits[i >>> 3]! >>> (i & 7)) & 1) : -1;
    const w = i << 2;
    B[w]! ^= d0 & mask;
    B[w + 1]! ^= d1 & mask;
    B[w + 2]! ^= d2 & mask;
    B[w + 3]! ^= d3 & mask;
  }
}

/** A private copy of the choice bits, checked: queued calls run later and must not see the caller's edits. */
function checkChoices(choices: Uint8Array, what: string): Uint8Array {
  if (!(choices instanceof Uint8Array)) throw new TypeError(`${what}: choices must be a Uint8Array of 0/1 bytes`);
  checkOtCount(choices.length, what);
  let seen = 0;
  for (let i = 0; i < choices.length; i++) seen |= choices[i]!;
  if (seen > 1) {
    const bad = choices.findIndex((b) => b > 1);
    throw new TypeError(`${what}: choice ${bad} is ${choices[bad]}; choice bits must be 0 or 1`);
  }
  return choices.slice();
}

function checkMessages(m0: Uint8Array, m1: Uint8Array, what: string): number {
  if (!(m0 instanceof Uint8Array) || !(m1 instanceof Uint8Array)) throw new TypeError(`${what}: messages must be Uint8Arrays`);
  if (m0.length !== m1.length || m0.length % BLOCK_BYTES !== 0) {
    throw new RangeError(`${what}: m0 and m1 must have the same length, a multiple of 16 bytes (got ${m0.length} and ${m1.length})`);
  }
  return checkOtCount(m0.length / BLOCK_BYTES, what);
}

function checkLabels(labels: Uint8Array, what: string): number {
  if (!(labels instanceof Uint8Array)) throw new TypeError(`${what}: labels must be a Uint8Array`);
  if (labels.length % BLOCK_BYTES !== 0) throw new RangeError(`${what}: ${labels.length} bytes is not a whole number of 16-byte labels`);
  return checkOtCount(labels.length / BLOCK_BYTES, what);
}

/** A range of hash tweaks handed out in order; both parties advance theirs identically. */
class TweakRange {
  #next = 0;

  constructor(private readonly base: number) {}

  /** The first tweak of the next `count`. */
  take(count: number): number {
    const first = this.#next;
    if (first + count > TWEAK_RANGE) throw new RangeError(`OT session exhausted (${TWEAK_RANGE} OTs); set up a new session`);
    this.#next += count;
    return this.base + first;
  }
}

/** What both roles keep per session: the call sequence, the hash and its tweaks, the store. */
abstract class CotBasedParty {
  protected readonly calls: OtCallSequence;
  protected readonly hash: TccrHash;
  protected readonly random: RandomSource;
  protected readonly directTweaks = new TweakRange(DIRECT_TWEAKS);
  protected readonly storeTweaks = new TweakRange(PRECOMPUTED_TWEAKS);
  protected readonly store = new PrecomputedOts();
  /** Precomputed OTs left once every call made so far has run (calls are checked against it). */
  #planned = 0;

  constructor(channel: Channel, sessionTag: number, role: 'sender' | 'receiver', options: OtPartyOptions) {
    const salt = checkSalt(options.salt ?? 0n, `OT ${role}`);
    this.calls = new OtCallSequence(channel, saltedTag(sessionTag, salt), role);
    this.hash = new TccrHash(fixedKeyAes(), salt);
    this.random = options.random ?? systemRandom();
  }

  get precomputed(): number {
    return this.#planned;
  }

  protected plan(count: number): void {
    this.#planned += count;
  }

  /** Reserve `count` precomputed OTs at call time, so that queued calls see what earlier ones leave. */
  protected reserve(count: number, what: string): void {
    if (count > this.#planned) {
      throw new RangeError(`${what}: ${count} precomputed OTs needed, ${this.#planned} left; call precompute() with enough on both sides first`);
    }
    this.#planned -= count;
  }
}

export class CotBasedSender extends CotBasedParty implements OtSender {
  readonly delta: Uint8Array;
  readonly #engine: CotSenderEngine;

  constructor(engine: CotSenderEngine, options: OtPartyOptions = {}) {
    super(engine.channel, engine.sessionTag, 'sender', options);
    this.#engine = engine;
    this.delta = engine.delta.slice();
  }

  sendCorrelated(count: number): Promise<Uint8Array> {
    checkOtCount(count, 'sendCorrelated');
    return this.calls.run('correlated', count, async (header) => {
      await this.calls.expect(header);
      this.directTweaks.take(count);
      return this.#engine.extend(count);
    });
  }

  sendRandom(count: number): Promise<{ m0: Uint8Array; m1: Uint8Array }> {
    checkOtCount(count, 'sendRandom');
    return this.calls.run('random', count, async (header) => {
      await this.calls.expect(header);
      const tweak = this.directTweaks.take(count);
      const m0 = await this.#engine.extend(count);
      const m1 = m0.slice();
      xorDelta(m1, this.delta);
      this.hash.hashInPlace(m0, tweak);
      this.hash.hashInPlace(m1, tweak);
      return { m0, m1 };
    });
  }

  sendChosen(m0: Uint8Array, m1: Uint8Array): Promise<void> {
    const count = checkMessages(m0, m1, 'sendChosen');
    return this.calls.run('chosen', count, async (header) => {
      await this.calls.expect(header);
      const tweak = this.directTweaks.take(count);
      await this.#sendMasked(header, await this.#engine.extend(count), m0, m1, tweak);
    });
  }

  precompute(count: number): Promise<void> {
    checkOtCount(count, 'precompute');
    this.plan(count);
    return this.calls.run('precompute', count, async (header) => {
      await this.calls.expect(header);
      this.directTweaks.take(count);
      this.store.push(await this.#engine.extend(count));
    });
  }

  sendCorrelatedPrecomputed(count: number): Promise<Uint8Array> {
    checkOtCount(count, 'sendCorrelatedPrecomputed');
    this.reserve(count, 'sendCorrelatedPrecomputed');
    return this.calls.run('correlated-precomputed', count, async (header) => {
      await this.calls.expect(header);
      this.storeTweaks.take(count);
      return this.#derandomise(count);
    });
  }

  sendChosenPrecomputed(m0: Uint8Array, m1: Uint8Array): Promise<void> {
    const count = checkMessages(m0, m1, 'sendChosenPrecomputed');
    this.reserve(count, 'sendChosenPrecomputed');
    return this.calls.run('chosen-precomputed', count, async (header) => {
      await this.calls.expect(header);
      const tweak = this.storeTweaks.take(count);
      await this.#sendMasked(header, await this.#derandomise(count), m0, m1, tweak);
    });
  }

  sendLabelsPrecomputed(zeroLabels: Uint8Array): Promise<void> {
    const count = checkLabels(zeroLabels, 'sendLabelsPrecomputed');
    this.reserve(count, 'sendLabelsPrecomputed');
    return this.calls.run('labels-precomputed', count, async (header) => {
      await this.calls.expect(header);
      this.storeTweaks.take(count);
      // Echo the header, then y = x0 ⊕ m0 ⊕ d·Δ (see the file comment for why no hash).
      const out = new Uint8Array(header.length + zeroLabels.length);
      out.set(header);
      const y = out.subarray(header.length);
      y.set(await this.#derandomise(count));
      xorInto(y, zeroLabels);
      await this.#engine.channel.send(out, 'ot-extension');
    });
  }

  /** The next `count` precomputed m0s shifted by d·Δ for the receiver's d = b ⊕ c. */
  async #derandomise(count: number): Promise<Uint8Array> {
    const d = await this.#engine.channel.recv((count + 7) >>> 3, 'ot-extension');
    const { blocks } = this.store.take(count);
    xorDelta(blocks, this.delta, d);
    return blocks;
  }

  /** Echo the header and send y_j = x_j ⊕ H(q ⊕ j·Δ, tweak) in one message. */
  async #sendMasked(header: Uint8Array, q: Uint8Array, x0: Uint8Array, x1: Uint8Array, tweak: number): Promise<void> {
    const n = q.length;
    const out = new Uint8Array(header.length + 2 * n);
    out.set(header);
    const y0 = out.subarray(header.length, header.length + n);
    const y1 = out.subarray(header.length + n);
    y0.set(q);
    y1.set(q);
    xorDelta(y1, this.delta);
    this.hash.hashInPlace(y0, tweak);
    this.hash.hashInPlace(y1, tweak);
    xorInto(y0, x0);
    xorInto(y1, x1);
    await this.#engine.channel.send(out, 'ot-extension');
  }
}

export class CotBasedReceiver extends CotBasedParty implements OtReceiver {
  readonly #engine: CotReceiverEngine;

  constructor(engine: CotReceiverEngine, options: OtPartyOptions = {}) {
    super(engine.channel, engine.sessionTag, 'receiver', options);
    this.#engine = engine;
  }

  receiveCorrelated(choices: Uint8Array): Promise<Uint8Array> {
    const packed = packChoices(checkChoices(choices, 'receiveCorrelated'));
    const count = choices.length;
    return this.calls.run('correlated', count, async (header) => {
      await this.#engine.channel.send(header, 'control');
      this.directTweaks.take(count);
      return this.#engine.extend(packed, count);
    });
  }

  receiveRandom(choices: Uint8Array): Promise<Uint8Array> {
    const packed = packChoices(checkChoices(choices, 'receiveRandom'));
    const count = choices.length;
    return this.calls.run('random', count, async (header) => {
      await this.#engine.channel.send(header, 'control');
      const tweak = this.directTweaks.take(count);
      const t = await this.#engine.extend(packed, count);
      this.hash.hashInPlace(t, tweak);
      return t;
    });
  }

  receiveChosen(choices: Uint8Array): Promise<Uint8Array> {
    const bits = checkChoices(choices, 'receiveChosen');
    const packed = packChoices(bits);
    const count = bits.length;
    return this.calls.run('chosen', count, async (header) => {
      await this.#engine.channel.send(header, 'control');
      const tweak = this.directTweaks.take(count);
      const t = await this.#engine.extend(packed, count);
      return this.#unmask(header, t, bits, tweak);
    });
  }

  precompute(count: number): Promise<void> {
    checkOtCount(count, 'precompute');
    this.plan(count);
    return this.calls.run('precompute', count, async (header) => {
      await this.#engine.channel.send(header, 'control');
      this.directTweaks.take(count);
      const c = randomBits(this.random, count);
      this.store.push(await this.#engine.extend(packChoices(c), count), c);
    });
  }

  receiveCorrelatedPrecomputed(choices: Uint8Array): Promise<Uint8Array> {
    const bits = checkChoices(choices, 'receiveCorrelatedPrecomputed');
    const count = bits.length;
    this.reserve(count, 'receiveCorrelatedPrecomputed');
    return this.calls.run('correlated-precomputed', count, async (header) => {
      this.storeTweaks.take(count);
      return this.#derandomise(header, bits);
    });
  }

  receiveChosenPrecomputed(choices: Uint8Array): Promise<Uint8Array> {
    const bits = checkChoices(choices, 'receiveChosenPrecomputed');
    const count = bits.length;
    this.reserve(count, 'receiveChosenPrecomputed');
    return this.calls.run('chosen-precomputed', count, async (header) => {
      const tweak = this.storeTweaks.take(count);
      return this.#unmask(header, await this.#derandomise(header, bits), bits, tweak);
    });
  }

  receiveLabelsPrecomputed(choices: Uint8Array): Promise<Uint8Array> {
    const bits = checkChoices(choices, 'receiveLabelsPrecomputed');
    const count = bits.length;
    this.reserve(count, 'receiveLabelsPrecomputed');
    return this.calls.run('labels-precomputed', count, async (header) => {
      this.storeTweaks.take(count);
      const t = await this.#derandomise(header, bits);
      await this.calls.expect(header);
      xorInto(t, await this.#engine.channel.recv(t.length, 'ot-extension'));
      return t;
    });
  }

  /** Send the header and d = b ⊕ c for the next precomputed OTs; their t is now m0' ⊕ b·Δ. */
  async #derandomise(header: Uint8Array, choices: Uint8Array): Promise<Uint8Array> {
    const { blocks, bits } = this.store.take(choices.length);
    for (let i = 0; i < bits.length; i++) bits[i]! ^= choices[i]!;
    const d = packBits(bits);
    const message = new Uint8Array(header.length + d.length);
    message.set(header);
    message.set(d, header.length);
    await this.#engine.channel.send(message, 'ot-extension');
    return blocks;
  }

  /** Receive the echoed header and y0 || y1; return y_b ⊕ H(t, tweak). */
  async #unmask(header: Uint8Array, t: Uint8Array, choices: Uint8Array, tweak: number): Promise<Uint8Array> {
    await this.calls.expect(header);
    const n = t.length;
    const y = wordsOf(await this.#engine.channel.recv(2 * n, 'ot-extension'));
    this.hash.hashInPlace(t, tweak);
    const T = new Uint32Array(t.buffer, t.byteOffset, n >>> 2);
    const half = n >>> 2;
    for (let i = 0; i < choices.length; i++) {
      const src = (i << 2) + choices[i]! * half;
      const w = i << 2;
      T[w]! ^= y[src]!;
      T[w + 1]! ^= y[src + 1]!;
      T[w + 2]! ^= y[src + 2]!;
      T[w + 3]! ^= y[src + 3]!;
    }
    return t;
  }
}
