/**
 * Both parties of a garbled run in one process, over a connected pair of any transport (in-memory,
 * or TCP through the loopback interface; `core/two-party.ts`): what the CLI, the features and the
 * tests use.
 */
import { CountingChannel } from '../channel/counting.ts';
import type { GarblingScheme } from '../garbling.ts';
import type { OtExtension } from '../ot.ts';
import type { Transport } from '../transport.ts';
import { runTwoParties } from '../two-party.ts';
import type { GcProgram } from './program.ts';
import { inputOtCount, type GcInputValues, type GcRunStats } from './runner.ts';
import { EvaluatorSession, GarblerSession, type GcSessionRunOptions } from './session.ts';

export interface LocalGcResult {
  /** `outputs[k][i]`: output value k of instance i, as the evaluator decoded it. */
  readonly outputs: bigint[][];
  readonly garbler: GcRunStats;
  readonly evaluator: GcRunStats;
  /** Bytes the garbler sent to the evaluator and back, OT set-up included. */
  readonly bytes: { readonly garblerToEvaluator: number; readonly evaluatorToGarbler: number };
  /** Changes of direction of the traffic, seen from the garbler (see `CountingChannel`). */
  readonly rounds: number;
  /** Wall-clock seconds from the session set-up (salt, base OTs) to the evaluator's last output. */
  readonly seconds: number;
}

/**
 * Run `program` between a garbler (server side of the pair) and an evaluator (client side), each in
 * a fresh session (`session.ts`: Δ, salt, gate ids); the first failure is reported, and makes the
 * other party fail instead of waiting (`runTwoParties`). With `inputOts: 'precomputed'` both parties
 * first precompute the evaluator's input OTs (the offline phase), then run.
 */
export async function runGcLocally(spec: {
  transport: Transport;
  ot: OtExtension;
  program: GcProgram;
  garblerInputs: GcInputValues;
  evaluatorInputs: GcInputValues;
  options: GcSessionRunOptions & { readonly scheme: GarblingScheme };
}): Promise<LocalGcResult> {
  const offlineOts = spec.options.inputOts === 'precomputed' ? inputOtCount(spec.program, spec.options.instances ?? 1) : 0;
  const { scheme, ...options } = spec.options;
  let start = 0;
  let garblerChannel: CountingChannel | undefined;
  const { server: garblerStats, client: evaluated } = await runTwoParties(spec.transport, {
    server: async (channel) => {
      start = performance.now();
      garblerChannel = new CountingChannel(channel);
      const session = await GarblerSession.open(garblerChannel, { scheme, ot: spec.ot });
      if (offlineOts > 0) await session.precompute(offlineOts);
      return session.run(spec.program, spec.garblerInputs, options);
    },
    client: async (channel) => {
      const session = await EvaluatorSession.open(channel, { scheme, ot: spec.ot });
      if (offlineOts > 0) await session.precompute(offlineOts);
      return session.run(spec.program, spec.evaluatorInputs, options);
    },
  });
  const seconds = (performance.now() - start) / 1000;
  const traffic = garblerChannel!.stats().total;
  return {
    outputs: evaluated.outputs,
    garbler: garblerStats,
    evaluator: evaluated.stats,
    bytes: { garblerToEvaluator: traffic.sent.bytes, evaluatorToGarbler: traffic.received.bytes },
    rounds: traffic.rounds,
    seconds,
  };
}
