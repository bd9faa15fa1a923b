/**
 * Both parties of a private inference in one process, each speaking only through its own end of a
 * connected pair from the configured transport (in-memory, or TCP over loopback): the one two-party
 * runner of the tests, the benchmarks and `gazelle infer --local`. A failure on either side closes
 * the pair, so the other side fails too instead of waiting, and the first failure is reported.
 */
import type { GazelleConfig } from '../config.ts';
import { wire } from '../container.ts';
import type { Model } from '../model/model.ts';
import type { Progress } from '../progress.ts';
import type { RandomSource } from '../random.ts';
import type { PluginRegistry } from '../registry.ts';
import { InferenceClient, type ClientInference } from './client.ts';
import type { Figures } from './figures.ts';
import type { ServerAnnouncement } from './handshake.ts';
import type { RevealPolicy } from './plan.ts';
import type { InferenceTraffic } from './traffic.ts';
import { InferenceServer, type ServerSessionSummary } from './server.ts';
import type { ServerHe } from './server-he.ts';
import type { HeThread } from './he-thread.ts';

export interface LocalRunOptions {
  readonly config: GazelleConfig;
  readonly registry: PluginRegistry;
  readonly model: Model;
  /** Quantised inputs (`quantiseInput`), classified one after the other in one session. */
  readonly inputs: readonly Int32Array[];
  readonly reveal?: RevealPolicy;
  /** The server's HE workers: a count, or a running pool to share across runs (tests). */
  readonly heWorkers?: number | ServerHe;
  /** A running client HE worker to share across runs (tests). */
  readonly clientHe?: HeThread;
  /** Per-party random sources (test profile only; default: the OS CSPRNG). */
  readonly serverRandom?: () => RandomSource;
  readonly clientRandom?: () => RandomSource;
  /** Called after each inference. */
  readonly onInference?: (index: number, result: ClientInference) => void;
  /** Hears of the phases and layers of each inference (core/progress.ts). */
  readonly progress?: Progress;
}

export interface LocalRunResult {
  readonly announcement: ServerAnnouncement;
  readonly setup: Figures;
  /** What each inference sends, predicted from the plan (`ClientSession.expectedTraffic`). */
  readonly expectedTraffic: InferenceTraffic;
  readonly inferences: ClientInference[];
  readonly server: ServerSessionSummary;
  /** Native objects alive in the HE workers after the session ended (server workers, then the client's). */
  readonly liveObjects: { readonly server: number[]; readonly client: number };
}

export async function runLocalInference(options: LocalRunOptions): Promise<LocalRunResult> {
  const transportWiring = await wire(options.config, options.registry, ['transport']);
  const started = await Promise.allSettled([
    InferenceServer.start({
      config: options.config,
      registry: options.registry,
      model: options.model,
      ...(options.heWorkers !== undefined ? { heWorkers: options.heWorkers } : {}),
      ...(options.serverRandom ? { random: options.serverRandom } : {}),
    }),
    InferenceClient.start({
      config: options.config,
      registry: options.registry,
      ...(options.clientRandom ? { random: options.clientRandom } : {}),
      ...(options.clientHe ? { he: options.clientHe } : {}),
    }),
  ]);
  const [serverStart, clientStart] = started;
  const server = serverStart.status === 'fulfilled' ? serverStart.value : undefined;
  const client = clientStart.status === 'fulfilled' ? clientStart.value : undefined;
  try {
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const pair = await transportWiring.get('transport').pair();
    let cause: unknown;
    const failFast = <T>(party: Promise<T>): Promise<T> =>
      party.catch(async (error: unknown) => {
        cause ??= error;
        await pair.close();
        throw cause;
      });
    try {
      const serving = failFast(server!.serve(pair.server));
      const using = failFast(
        (async () => {
          const session = await client!.connect(pair.client, options.reveal ? { reveal: options.reveal } : {});
          const inferences: ClientInference[] = [];
          try {
            for (const [i, input] of options.inputs.entries()) {
              inferences.push(await session.classify(input, options.progress));
              options.onInference?.(i, inferences[i]!);
            }
          } finally {
            await session.close();
          }
          return { session, inferences };
        })(),
      );
      const [summary, { session, inferences }] = await Promise.all([serving, using]);
      return {
        announcement: session.announcement,
        setup: session.setup,
        expectedTraffic: session.expectedTraffic,
        inferences,
        server: summary,
        liveObjects: { server: await server!.liveObjects(), client: await client!.liveObjects() },
      };
    } finally {
      await pair.close();
    }
  } finally {
    await Promise.all([server?.close(), client?.close()]);
    await transportWiring.dispose();
  }
}
