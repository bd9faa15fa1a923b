/**
 * The engine's view of garbling (design §2 steps 2 and 4): a garbled layer is garbled and sent in
 * the offline phase, with the server's inputs fixed; online, the client's input labels arrive by the
 * precomputed label transfer and the client evaluates the stored circuit. The party's session owns
 * Δ, the gate-id allocator and the tweak salt; layers only call these.
 */
import type { Channel } from '../channel.ts';
import type { GcProgram } from '../gc/program.ts';
import type { GcInputValues } from '../gc/runner.ts';

/** What the garbler keeps from the offline phase for the online label transfer. */
export interface OfflineGarbling {
  readonly program: GcProgram;
  readonly instances: number;
}

/** A circuit the evaluator received offline (tables, the garbler's input labels, decode bits). */
export interface StoredCircuit {
  readonly program: GcProgram;
  readonly instances: number;
}

export interface GarblerGc {
  /** Garble `program` over `instances` with the garbler's `inputs` (`inputs[k][i]`), sending it all. */
  garble(channel: Channel, program: GcProgram, inputs: GcInputValues, instances: number): Promise<OfflineGarbling>;
  /** Online: transfer the evaluator's input labels (precomputed OTs). */
  sendLabels(channel: Channel, garbling: OfflineGarbling): Promise<void>;
}

export interface EvaluatorGc {
  receive(channel: Channel, program: GcProgram, instances: number): Promise<StoredCircuit>;
  /** Online: obtain the labels of `inputs` (`inputs[k][i]`) and evaluate; returns `outputs[k][i]`. */
  evaluate(channel: Channel, stored: StoredCircuit, inputs: GcInputValues): Promise<bigint[][]>;
}
