/**
 * Both parties of a garbled run in one process, over any transport's connected pair (in-memory, or
 * TCP through the loopback interface): what the CLI, the benchmark and the tests use. Each party
 * speaks only through its own channel, exactly as it would in separate processes.
 */
import type { Channel } from '../channel.ts';
import { CountingChannel } from '../channel/counting.ts';
import type { GarblingScheme } from '../garbling.ts';
import type { OtExtension } from '../ot.ts';
import type { Transport } from '../transport.ts';
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
 * a fresh session (`session.ts`: Δ, salt, gate ids). On any failure both channels are closed, so
 * that the other party fails too instead of waiting. With `inputOts: 'precomputed'` both parties
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
  const pair = await spec.transport.pair();
  const server = new CountingChannel(pair.server);
  const client = new CountingChannel(pair.client);
  // The first failure is the cause; the other party's (closed channel) is its consequence.
  let cause: unknown;
  const failFast = <T>(party: Promise<T>): Promise<T> =>
    party.catch(async (error: unknown) => {
      cause ??= error;
      await pair.close();
      throw cause;
    });
  try {
    const start = performance.now();
    const offlineOts = spec.options.inputOts === 'precomputed' ? inputOtCount(spec.program, spec.options.instances ?? 1) : 0;
    const { scheme, ...options } = spec.options;
    const garbler = async (channel: Channel) => {
      const session = await GarblerSession.open(channel, { scheme, ot: spec.ot });
      if (offlineOts > 0) await session.precompute(offlineOts);
      return session.run(spec.program, spec.garblerInputs, options);
    };
    const evaluator = async (channel: Channel) => {
      const session = await EvaluatorSession.open(channel, { scheme, ot: spec.ot });
      if (offlineOts > 0) await session.precompute(offlineOts);
      return session.run(spec.program, spec.evaluatorInputs, options);
    };
    const [garblerStats, evaluated] = await Promise.all([failFast(garbler(server)), failFast(evaluator(client))]);
    const seconds = (performance.now() - start) / 1000;
    const traffic = server.stats().total;
    return {
      outputs: evaluated.outputs,
      garbler: garblerStats,
      evaluator: evaluated.stats,
      bytes: { garblerToEvaluator: traffic.sent.bytes, evaluatorToGarbler: traffic.received.bytes },
      rounds: traffic.rounds,
      seconds,
    };
  } finally {
    await pair.close();
  }
}
