/**
 * Both parties of a garbled run in one process, over any transport's connected pair (in-memory, or
 * TCP through the loopback interface): what the CLI, the benchmark and the tests use. Each party
 * speaks only through its own channel, exactly as it would in separate processes.
 */
import type { Channel } from '../channel.ts';
import { CountingChannel } from '../channel/counting.ts';
import type { OtExtension } from '../ot.ts';
import type { Transport } from '../transport.ts';
import { randomDelta } from './labels.ts';
import type { GcProgram } from './program.ts';
import { garbleAndSend, inputOtCount, receiveAndEvaluate, type GcInputValues, type GcRunOptions, type GcRunStats } from './runner.ts';

export interface LocalGcResult {
  /** `outputs[k][i]`: output value k of instance i, as the evaluator decoded it. */
  readonly outputs: bigint[][];
  readonly garbler: GcRunStats;
  readonly evaluator: GcRunStats;
  /** Bytes the garbler sent to the evaluator and back, OT set-up included. */
  readonly bytes: { readonly garblerToEvaluator: number; readonly evaluatorToGarbler: number };
  /** Changes of direction of the traffic, seen from the garbler (see `CountingChannel`). */
  readonly rounds: number;
  /** Wall-clock seconds from OT set-up to the evaluator's last output. */
  readonly seconds: number;
}

/**
 * Run `program` between a garbler (server side of the pair) and an evaluator (client side). On any
 * failure both channels are closed, so that the other party fails too instead of waiting. With
 * `inputOts: 'precomputed'` both parties first precompute the evaluator's input OTs (the offline
 * phase), then run.
 */
export async function runGcLocally(spec: {
  transport: Transport;
  ot: OtExtension;
  program: GcProgram;
  garblerInputs: GcInputValues;
  evaluatorInputs: GcInputValues;
  options: GcRunOptions;
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
    const garbler = async (channel: Channel) => {
      const sender = await spec.ot.sender(channel, randomDelta());
      if (offlineOts > 0) await sender.precompute(offlineOts);
      return garbleAndSend(channel, spec.program, spec.garblerInputs, sender, spec.options);
    };
    const evaluator = async (channel: Channel) => {
      const receiver = await spec.ot.receiver(channel);
      if (offlineOts > 0) await receiver.precompute(offlineOts);
      return receiveAndEvaluate(channel, spec.program, spec.evaluatorInputs, receiver, spec.options);
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
