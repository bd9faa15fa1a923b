/**
 * Two parties in one process, each speaking only through its own end of a connected pair from a
 * transport (in-memory, or TCP over loopback), exactly as they would in separate processes: the one
 * two-party runner under `runGcLocally` (garbled circuits) and `runLocalInference` (inferences),
 * and for the steps and tests that run both parties of anything else.
 *
 * The first failure closes the pair, so that the other party fails too instead of waiting for a
 * message that will never come; the run waits for both parties to stop and reports that first
 * failure (the other party's error is its consequence). The pair is closed when the run ends.
 */
import type { Channel } from './channel.ts';
import type { Transport } from './transport.ts';

export interface TwoParties<S, C> {
  /** The server's part (the garbler, the model's owner), on the pair's server end. */
  readonly server: (channel: Channel) => Promise<S>;
  /** The client's part (the evaluator, the image's owner), on the pair's client end. */
  readonly client: (channel: Channel) => Promise<C>;
}

export async function runTwoParties<S, C>(transport: Transport, parties: TwoParties<S, C>): Promise<{ server: S; client: C }> {
  const pair = await transport.pair();
  let failure: { readonly error: unknown } | undefined;
  const failFast = async <T>(party: (channel: Channel) => Promise<T>, channel: Channel): Promise<T> => {
    try {
      return await party(channel);
    } catch (error) {
      failure ??= { error };
      await pair.close();
      throw error;
    }
  };
  try {
    const [server, client] = await Promise.allSettled([failFast(parties.server, pair.server), failFast(parties.client, pair.client)]);
    if (server.status === 'rejected' || client.status === 'rejected') throw failure!.error;
    return { server: server.value, client: client.value };
  } finally {
    await pair.close();
  }
}
