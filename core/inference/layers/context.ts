/**
 * What a layer protocol sees of its party's session (design §10: the session owns every lifetime;
 * layers borrow). Each layer is a pair of role objects, created per inference (Delphi's per-layer
 * protocols): the server's computes its output share offline (it only ever holds masks) and serves
 * the online step; the client's receives offline material and turns its input share into its output
 * share online.
 */
import type { Channel } from '../../channel.ts';
import type { SlotLayout } from '../../linear.ts';
import type { MaskSampler } from '../../masks.ts';
import type { Model } from '../../model/model.ts';
import type { RandomSource } from '../../random.ts';
import type { HeWireSizes } from '../he-protocol.ts';
import type { HeThread } from '../he-thread.ts';
import type { ClientObserver } from '../observer.ts';
import type { InferencePlan, LinearPart } from '../plan.ts';
import type { PreparedModel } from '../server-he.ts';
import type { EvaluatorSession, GarblerSession } from '../../gc/session.ts';

export type Phase = 'setup' | 'offline' | 'online';

/** Channel label of a layer's messages in a phase (`online/conv1`): how the harness tells views apart. */
export function label(phase: Phase, layer: string): string {
  return `${phase}/${layer}`;
}

/** The public slot layouts of a linear part (both parties compute them from the plan). */
export type PartLayouts = Pick<{ inputLayout: SlotLayout; outputLayout: SlotLayout }, 'inputLayout' | 'outputLayout'>;

interface Shared {
  readonly channel: Channel;
  readonly plan: InferencePlan;
  readonly layouts: (part: LinearPart) => PartLayouts;
  readonly wireSizes: HeWireSizes;
  /** This session's id in the HE workers. */
  readonly session: string;
}

export interface ServerContext extends Shared {
  readonly model: Model;
  /** The model's layers in the server's HE workers. */
  readonly he: PreparedModel;
  readonly random: RandomSource;
  readonly masks: MaskSampler;
  /** The session's garbling and OT (Δ, gate ids, salt, precomputed OTs). */
  readonly gc: GarblerSession;
  /** Margin each returned ciphertext needs: 40 + log2(ciphertexts returned per inference). */
  readonly minMarginBits: number;
  /** Flooding margins of this inference's returned ciphertexts, for the report. */
  readonly margins: number[];
}

export interface ClientContext extends Shared {
  readonly he: HeThread;
  readonly gc: EvaluatorSession;
  /** The audit's observer of what the client derives (test profile only; usually absent). */
  readonly observer?: ClientObserver;
}

export interface ServerLayer {
  /** Offline: prepare (masks, garbling); returns the server's share of the layer's output. */
  offline(inputShare: Uint32Array | null): Promise<Uint32Array>;
  online(): Promise<void>;
}

export interface ClientLayer {
  offline(): Promise<void>;
  /** Online: the client's share of the output from its share of the input. */
  online(inputShare: Uint32Array): Promise<Uint32Array>;
}
