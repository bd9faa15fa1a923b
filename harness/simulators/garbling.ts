/**
 * Simulator of the evaluator's view of a garbled run (Yao's simulator; Lindell–Pinkas 2009, §4;
 * design §7): from the evaluator's input and output alone. The garbler's input labels and the
 * tables become uniform bytes (half-gates tables and labels are pseudorandom), the evaluator's own
 * input labels come from a simulated OT functionality (uniform), and the decode bits are chosen so
 * that this fake circuit decodes to the known output: the evaluator is run once on the fake material
 * with zero decode bits (its "outputs" are then its output labels' permute bits), and once more on
 * the same material with decode bits = permute bits ⊕ output. The second run's view is returned.
 */
import { packBits } from '../../core/bytes.ts';
import type { GarblingScheme } from '../../core/garbling.ts';
import type { GcProgram } from '../../core/gc/program.ts';
import { receiveAndEvaluate } from '../../core/gc/runner.ts';
import type { OtReceiver } from '../../core/ot.ts';
import { randomBytesFrom, seededRandom, type RandomSource } from '../../core/random.ts';
import type { Transport } from '../../core/transport.ts';
import { PermuteBitRecorder } from '../observed-scheme.ts';
import { RecordedPair } from '../recorded-session.ts';
import type { View, ViewMessage } from '../view.ts';
import { simulatedMessage } from './uniform-messages.ts';

/** The OT functionality as the simulator plays it: the evaluator's labels are uniform, and no message is exchanged. */
function simulatedOtReceiver(source: RandomSource): OtReceiver {
  const refuse = (): never => {
    throw new RangeError('the garbling simulator plays correlated OT only');
  };
  return {
    receiveCorrelated: async (choices) => randomBytesFrom(source, 16 * choices.length),
    receiveRandom: refuse,
    receiveChosen: refuse,
    precompute: refuse,
    precomputed: 0,
    receiveCorrelatedPrecomputed: refuse,
    receiveChosenPrecomputed: refuse,
    receiveLabelsPrecomputed: refuse,
  };
}

export interface GarblingSimulatorSpec {
  readonly transport: Transport;
  readonly program: GcProgram;
  readonly scheme: GarblingScheme;
  readonly instances: number;
  /** The evaluator's input values, `values[k][i]`, as given to `receiveAndEvaluate`. */
  readonly evaluatorInputs: readonly (readonly number[])[];
}

/** The run's first gate id, public session state the evaluator keeps: in the view's input as `first-gate-id`. */
function firstGateIdOf(view: View): number {
  const id = view.input['first-gate-id'];
  if (!id || id.length !== 1) throw new RangeError('simulateEvaluatorView: the view has no input "first-gate-id"');
  return id[0]!;
}

async function evaluateFake(spec: GarblingSimulatorSpec, real: View, seed: string, decode: Uint8Array | undefined) {
  const material = seededRandom(seed, 'garbled-material');
  const labels = seededRandom(seed, 'ot-labels');
  const pair = await RecordedPair.open(spec.transport, 'client');
  const recorder = new PermuteBitRecorder(spec.scheme);
  try {
    const garbler = async () => {
      for (const m of real.messages) {
        pair.other.setLabel(m.label);
        const bytes = m.kind === 'decode-bits' ? (decode ?? new Uint8Array(m.bytes.length)) : simulatedMessage(m, material).bytes;
        await pair.other.send(bytes.slice(), m.kind);
      }
    };
    const evaluator = () =>
      pair.record(
        () => receiveAndEvaluate(pair.observer, spec.program, spec.evaluatorInputs, simulatedOtReceiver(labels), { scheme: recorder, instances: spec.instances, firstGateId: firstGateIdOf(real) }),
        (r) => ({ input: real.input, seed, derived: { outputs: flatOutputs(r.outputs), 'and-permute-bits': recorder.take() } }),
      );
    pair.observer.setLabel(real.messages[0]?.label ?? 'online/gc');
    const [, evaluated] = await Promise.all([garbler(), evaluator()]);
    return evaluated;
  } finally {
    await pair.close();
  }
}

/** Outputs `outputs[k][i]` flattened value-major, as the views' derived `outputs`. */
export function flatOutputs(outputs: readonly (readonly bigint[])[]): Uint32Array {
  return Uint32Array.from(outputs.flat(), (v) => Number(v));
}

export async function simulateEvaluatorView(spec: GarblingSimulatorSpec, real: View, seed: string): Promise<View> {
  const decodeMessages = real.messages.filter((m: ViewMessage) => m.kind === 'decode-bits');
  if (decodeMessages.length !== 1) throw new RangeError(`simulateEvaluatorView: runs of one chunk only (the view has ${decodeMessages.length} decode-bit messages)`);
  const known = real.derived.outputs;
  if (!known) throw new RangeError('simulateEvaluatorView: the real view has no derived outputs');
  const first = await evaluateFake(spec, real, seed, undefined);
  const permute = first.view.derived.outputs!;
  // Output bits are ordered (value k, bit j, instance i), as the runner decodes them.
  const widths = spec.program.outputWidths;
  const bits = new Uint8Array(widths.reduce((s, w) => s + w, 0) * spec.instances);
  let row = 0;
  widths.forEach((width, k) => {
    for (let j = 0; j < width; j++) {
      for (let i = 0; i < spec.instances; i++) {
        const at = k * spec.instances + i;
        bits[(row + j) * spec.instances + i] = Number((BigInt(permute[at]!) ^ BigInt(known[at]!)) >> BigInt(j)) & 1;
      }
    }
    row += width;
  });
  return (await evaluateFake(spec, real, seed, packBits(bits))).view;
}
