/**
 * The garbled-circuit side of a two-party session (issue 11, item 1): everything with the
 * session's lifetime lives here, so that callers never thread Δ, salts or gate ids by hand.
 *
 * - `GarblerSession` (server) holds Δ (inside its OT sender, whose offset it is), the scheme
 *   salted with the session's salt, the gate-id allocator and its random source.
 * - `EvaluatorSession` (client) holds the same salted scheme, the mirrored allocator, its OT
 *   receiver (and the precomputed OTs in it) and its random source.
 *
 * Setup: the garbler draws Δ and a 64-bit salt from its random source and sends the salt
 * ('control', 8 bytes); then both set up OT extension (base OTs, with the same salt in the OT's
 * hash tweaks). Why the garbler alone draws the salt: the salt is public, and its only job is that
 * (salt, tweak) pairs never repeat across sessions under the one fixed AES key. The tweaks protect
 * the garbler's labels against the evaluator (TCCR, Zahur-Rosulek-Evans 2015 §3), so the garbler is
 * the party with a stake in them, and in the semi-honest model it draws them honestly. The
 * evaluator's privacy never rests on a hash tweak (its inputs reach the garbler only as OT's
 * one-time-padded d bits), so a jointly derived salt would cost a message and add nothing.
 * Two sessions share a salt with probability 2^-64 per pair.
 *
 * Gate ids: every garbled run of the session takes a fresh range from the allocator, in call
 * order on both sides; the run header carries the first id and the salt, so parties out of step
 * fail with a `ProtocolError` rather than garbage. The allocator stops below 2^51, so gate tweaks
 * (2g, 2g + 1) never reach the OT's (from 2^52).
 *
 * Calls on a session run one after another in call order (OT and garbling share the channel, so
 * their messages must not interleave); a failed call leaves the parties out of step, so the
 * session then refuses further use, like an OT session.
 */
import type { Channel } from '../channel.ts';
import { ProtocolError } from '../errors.ts';
import type { GarblingScheme } from '../garbling.ts';
import type { OtExtension, OtReceiver, OtSender } from '../ot.ts';
import { randomBytesFrom, systemRandom, type RandomSource } from '../random.ts';
import type { GcRunStats } from './chunks.ts';
import { GateIdAllocator } from './gate-ids.ts';
import { randomDelta } from './labels.ts';
import { garbleOffline, receiveEvaluatorLabels, receiveGarbled, sendEvaluatorLabels, type GarbledOffline, type StoredGarbledCircuit } from './offline.ts';
import type { GcProgram } from './program.ts';
import type { GcGarbleOptions } from './run-plan.ts';
import { garbleAndSend, receiveAndEvaluate, type GcRunOptions } from './runner.ts';
import type { GcInputValues } from './value-bits.ts';

const SALT_BYTES = 8;

export interface GcSessionOptions {
  /** The garbling plugin (unsalted); the session garbles with `scheme.withSalt(salt)`. */
  readonly scheme: GarblingScheme;
  /** The OT extension plugin; the session sets up its sender (garbler, offset Δ) or receiver. */
  readonly ot: OtExtension;
  /** The party's random source: Δ, salt, wire labels, OT secrets (default `systemRandom()`). */
  readonly random?: RandomSource;
  /**
   * The session's gate-id allocator. Default: a fresh one, which is what a session must have;
   * injectable so that a test can show what a faulty allocator would break.
   */
  readonly gateIds?: GateIdAllocator;
}

/** Per-run options a session leaves to its caller (gate ids, scheme and randomness are the session's). */
export type GcLayerOptions = Omit<GcGarbleOptions, 'scheme' | 'firstGateId' | 'random'>;
export type GcSessionRunOptions = GcLayerOptions & Pick<GcRunOptions, 'inputOts'>;

function instancesOf(options: GcLayerOptions): number {
  return options.instances ?? 1;
}

abstract class GcSession<Ot extends OtSender | OtReceiver> {
  readonly #gateIds: GateIdAllocator;
  #tail: Promise<unknown> = Promise.resolve();
  #failure: Error | undefined;

  protected constructor(
    readonly channel: Channel,
    /** The plugin's scheme salted with this session's salt. */
    readonly scheme: GarblingScheme,
    /** This party's side of the session's OT (the garbler's holds Δ; both hold the precomputed OTs). */
    readonly ot: Ot,
    readonly random: RandomSource,
    gateIds: GateIdAllocator,
  ) {
    this.#gateIds = gateIds;
  }

  /**
   * Offline: `count` random correlated OTs for later label transfers (both parties call it); a
   * layer's transfer takes `inputOts` of them.
   */
  precompute(count: number): Promise<void> {
    return this.serialize(() => this.ot.precompute(count));
  }

  /** The session's tweak salt (public; both parties hold the same). */
  get salt(): bigint {
    return this.scheme.salt;
  }

  /** The first gate id the next run will get. */
  get nextGateId(): number {
    return this.#gateIds.next;
  }

  /** Run `body` after every earlier call; a failure ends the session. */
  protected serialize<T>(body: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(async () => {
      if (this.#failure) {
        throw new ProtocolError(`garbled-circuit session: an earlier call failed (${this.#failure.message}); the parties may be out of step, so open a new session`, {
          cause: this.#failure,
        });
      }
      try {
        return await body();
      } catch (error) {
        this.#failure ??= error as Error;
        throw error;
      }
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /**
   * `body` as the session's next run of `program`, with a fresh range of gate ids, the salted scheme
   * and the random source in its options.
   */
  protected runNext<O extends GcLayerOptions, T>(program: GcProgram, options: O, body: (options: O & GcGarbleOptions) => Promise<T>): Promise<T> {
    return this.serialize(() => {
      const firstGateId = this.#gateIds.take(program.andsPerInstance * instancesOf(options));
      return body({ ...options, scheme: this.scheme, firstGateId, random: this.random });
    });
  }
}

export class GarblerSession extends GcSession<OtSender> {
  /** Set up: draw Δ and the salt, send the salt, set up the OT sender (base OTs). */
  static async open(channel: Channel, options: GcSessionOptions): Promise<GarblerSession> {
    const random = options.random ?? systemRandom();
    const delta = randomDelta(random);
    const saltBytes = randomBytesFrom(random, SALT_BYTES);
    const salt = new DataView(saltBytes.buffer).getBigUint64(0, true);
    await channel.send(saltBytes, 'control');
    const ot = await options.ot.sender(channel, delta, { random, salt });
    return new GarblerSession(channel, options.scheme.withSalt(salt), ot, random, options.gateIds ?? new GateIdAllocator());
  }

  /** Offline: garble `program` with the garbler's inputs known now; stream it to the evaluator. */
  garbleOffline(program: GcProgram, garblerInputs: GcInputValues, options: GcLayerOptions = {}): Promise<GarbledOffline> {
    return this.runNext(program, options, (o) => garbleOffline(this.channel, program, garblerInputs, this.ot, o));
  }

  /** Online: transfer the evaluator's input labels of a layer garbled offline (once). */
  sendEvaluatorLabels(garbled: GarbledOffline): Promise<void> {
    return this.serialize(() => sendEvaluatorLabels(this.ot, garbled));
  }

  /** A whole garbled run now (`gazelle gc run`'s mode), with the evaluator's input OTs inside it. */
  run(program: GcProgram, garblerInputs: GcInputValues, options: GcSessionRunOptions = {}): Promise<GcRunStats> {
    return this.runNext(program, options, (o) => garbleAndSend(this.channel, program, garblerInputs, this.ot, o));
  }
}

export class EvaluatorSession extends GcSession<OtReceiver> {
  /** Set up: receive the garbler's salt, set up the OT receiver (base OTs). */
  static async open(channel: Channel, options: GcSessionOptions): Promise<EvaluatorSession> {
    const random = options.random ?? systemRandom();
    const saltBytes = await channel.recv(SALT_BYTES, 'control');
    const salt = new DataView(saltBytes.buffer, saltBytes.byteOffset, SALT_BYTES).getBigUint64(0, true);
    const ot = await options.ot.receiver(channel, { random, salt });
    return new EvaluatorSession(channel, options.scheme.withSalt(salt), ot, random, options.gateIds ?? new GateIdAllocator());
  }

  /** Offline: receive and store a layer the garbler garbles with `garbleOffline` (same program and options). */
  receiveGarbled(program: GcProgram, options: GcLayerOptions = {}): Promise<StoredGarbledCircuit> {
    return this.runNext(program, options, (o) => receiveGarbled(this.channel, program, o));
  }

  /**
   * Online: the input labels for `stored` from this party's input values (`inputs[k][i]`); then
   * `evaluateStored(stored, labels)` (no communication) gives the outputs.
   */
  receiveEvaluatorLabels(stored: StoredGarbledCircuit, evaluatorInputs: GcInputValues): Promise<Uint8Array> {
    return this.serialize(() => receiveEvaluatorLabels(this.ot, stored, evaluatorInputs));
  }

  /** A whole garbled run now, with this party's input OTs inside it. */
  run(program: GcProgram, evaluatorInputs: GcInputValues, options: GcSessionRunOptions = {}): Promise<{ outputs: bigint[][]; stats: GcRunStats }> {
    return this.runNext(program, options, (o) => receiveAndEvaluate(this.channel, program, evaluatorInputs, this.ot, o));
  }
}
