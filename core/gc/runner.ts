/**
 * The two-party garbled-circuit run in one go (Yao with free-XOR; the scheme is a `GarblingScheme`
 * plugin), what `gazelle gc run` does. The garbler (server) and the evaluator (client) call
 * `garbleAndSend` / `receiveAndEvaluate` with the same program, instance count and options. After
 * the run header (`run-plan.ts`), per chunk of instances (`chunks.ts`):
 *
 *   garbler → evaluator   'input-labels'  active labels of the garbler's input bits
 *   correlated OT         the evaluator's input labels: the garbler's zero-labels are the COT
 *                         messages m0 (OT offset = free-XOR Δ), the evaluator receives m0 ⊕ b·Δ;
 *                         extended online, or derandomised from OTs precomputed offline
 *                         (`inputOts: 'precomputed'`, the design's offline phase, §2 step 2)
 *   garbler → evaluator   'gc-table'      tables, streamed level by level in bounded frames
 *   garbler → evaluator   'decode-bits'   permute bits of the output zero-labels
 *
 * Only the evaluator learns the outputs. For a circuit garbled before the evaluator's inputs are
 * known, see `offline.ts` (the same chunk loop, with the input labels transferred afterwards).
 */
import type { Channel } from '../channel.ts';
import type { OtReceiver, OtSender } from '../ot.ts';
import { appendOutputs, decodeChunk, evaluateChunk, garbleRun, RunTally, type GcRunStats } from './chunks.ts';
import { LABEL_BYTES } from './labels.ts';
import type { GcProgram } from './program.ts';
import { chunksOf, decodeBytes, type GcGarbleOptions, planRun, receiveRunHeader } from './run-plan.ts';
import { TableSource } from './table-stream.ts';
import { chunkOf, sum, valueBits, type GcInputValues } from './value-bits.ts';

export type { GcRunStats } from './chunks.ts';
export type { GcInputValues } from './value-bits.ts';

export interface GcRunOptions extends GcGarbleOptions {
  /**
   * Where the evaluator's input OTs come from: `'extend'` (default) runs OT extension now;
   * `'precomputed'` derandomises correlated OTs both parties precomputed offline
   * (`precompute(n)` on the OT sender and receiver, n ≥ `inputOtCount(program, instances)`),
   * which leaves 1 bit of traffic and a few XORs per input bit online.
   */
  readonly inputOts?: 'extend' | 'precomputed';
}

/** Correlated OTs a run of `instances` instances takes: one per input bit of the evaluator (what to `precompute`). */
export function inputOtCount(program: GcProgram, instances: number): number {
  return sum(program.evaluatorWidths) * instances;
}

function planOnline(program: GcProgram, options: GcRunOptions) {
  const inputOts = options.inputOts ?? 'extend';
  if (inputOts !== 'extend' && inputOts !== 'precomputed') throw new RangeError(`inputOts must be 'extend' or 'precomputed', got ${String(inputOts)}`);
  return planRun(program, options, inputOts);
}

/** The garbler's side. `ot` must have been set up with the garbler's Δ (least significant bit 1). */
export async function garbleAndSend(channel: Channel, program: GcProgram, inputs: GcInputValues, ot: OtSender, options: GcRunOptions): Promise<GcRunStats> {
  const plan = planOnline(program, options);
  return garbleRun(channel, program, inputs, ot.delta, options, plan, async (count) => {
    const otCount = plan.evaluatorBits * count;
    if (otCount === 0) return new Uint8Array(0);
    return plan.evaluatorInputs === 'precomputed' ? ot.sendCorrelatedPrecomputed(otCount) : ot.sendCorrelated(otCount);
  });
}

/** The evaluator's side: returns `outputs[k][i]`, output value k of instance i. */
export async function receiveAndEvaluate(
  channel: Channel,
  program: GcProgram,
  inputs: GcInputValues,
  ot: OtReceiver,
  options: GcRunOptions,
): Promise<{ outputs: bigint[][]; stats: GcRunStats }> {
  const plan = planOnline(program, options);
  const { scheme } = options;
  const bits = valueBits(inputs, program.evaluatorWidths, plan.instances, 'evaluator');
  const chunkInstances = await receiveRunHeader(channel, program, scheme, plan);
  const outputs: bigint[][] = [];
  const tally = new RunTally(plan.firstGateId);
  for (const [from, count] of chunksOf(plan.instances, chunkInstances)) {
    const garblerLabels = await channel.recv(plan.garblerBits * count * LABEL_BYTES, 'input-labels');
    const choices = chunkOf(bits, plan.instances, from, count);
    const evaluatorLabels =
      choices.length === 0 ? new Uint8Array(0) : plan.evaluatorInputs === 'precomputed' ? await ot.receiveCorrelatedPrecomputed(choices) : await ot.receiveCorrelated(choices);
    const tables = new TableSource(channel, program.andsPerInstance * count * scheme.tableBytesPerAnd, plan.frameBytes);
    const evaluated = await evaluateChunk(program, scheme, count, garblerLabels, evaluatorLabels, tables, tally);
    appendOutputs(outputs, decodeChunk(evaluated, await channel.recv(decodeBytes(plan, count), 'decode-bits')));
  }
  return { outputs, stats: tally.stats(plan.instances) };
}
