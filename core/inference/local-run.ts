/**
 * Both parties of a private inference in one process, each speaking only through its own end of a
 * connected pair from the configured transport (in-memory, or TCP over loopback; `runTwoParties`,
 * core/two-party.ts, which reports the first failure and makes the other side fail instead of
 * waiting): what the tests, the features and `gazelle infer --local` / `gazelle demo` use.
 */
import type { Channel } from '../channel.ts';
import type { GazelleConfig } from '../config.ts';
import { withWiring } from '../container.ts';
import type { Model } from '../model/model.ts';
import type { Progress } from '../progress.ts';
import type { RandomSource } from '../random.ts';
import type { PluginRegistry } from '../registry.ts';
import type { Transport } from '../transport.ts';
import { runTwoParties } from '../two-party.ts';
import { InferenceClient, type ClientInference, type InferenceClientOptions } from './client.ts';
import type { Figures } from './figures.ts';
import type { ServerAnnouncement } from './handshake.ts';
import type { RevealPolicy } from './plan.ts';
import type { InferenceTraffic } from './traffic.ts';
import { InferenceServer, type InferenceServerOptions, type ServerSessionSummary } from './server.ts';
import type { ServerHe } from './server-he.ts';
import type { HeThread } from './he-thread.ts';
import type { ClientObserver } from './observer.ts';

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
  /**
   * Decorate each party's end of the connection (the privacy audit records a party's view with a
   * `RecordingChannel`); the engine sees only the returned channel.
   */
  readonly channels?: { readonly server?: (channel: Channel) => Channel; readonly client?: (channel: Channel) => Channel };
  /** The privacy audit's observer of what the client derives (test profile only). */
  readonly observer?: ClientObserver;
  /** Hears of the phases and layers of each inference (core/progress.ts). */
  readonly progress?: Progress;
}

/** What one session gave: the server's announcement, the setup figures, each inference, the server's summary. */
export interface SessionRun {
  readonly announcement: ServerAnnouncement;
  readonly setup: Figures;
  /** What each inference sends, predicted from the plan (`ClientSession.expectedTraffic`). */
  readonly expectedTraffic: InferenceTraffic;
  readonly inferences: ClientInference[];
  readonly server: ServerSessionSummary;
}

export interface LocalRunResult extends SessionRun {
  /** Native objects alive in the HE workers after the session ended (server workers, then the client's). */
  readonly liveObjects: { readonly server: number[]; readonly client: number };
}

/**
 * Start a server holding its model and a client together. If either fails to start, the other is
 * closed before the failure is thrown: no worker thread is left behind to keep the process alive.
 */
export async function startInferenceParties(server: InferenceServerOptions, client: InferenceClientOptions): Promise<{ server: InferenceServer; client: InferenceClient }> {
  const [serverStart, clientStart] = await Promise.allSettled([InferenceServer.start(server), InferenceClient.start(client)]);
  if (serverStart.status === 'fulfilled' && clientStart.status === 'fulfilled') return { server: serverStart.value, client: clientStart.value };
  await Promise.all([serverStart.status === 'fulfilled' && serverStart.value.close(), clientStart.status === 'fulfilled' && clientStart.value.close()]);
  throw (serverStart.status === 'rejected' ? serverStart : (clientStart as PromiseRejectedResult)).reason;
}

/**
 * One session between running parties over a pair from `transport` (`runTwoParties`): the client
 * connects, classifies `inputs` one after the other and closes the session; the server serves it.
 */
export async function runInferenceSession(
  transport: Transport,
  parties: { readonly server: InferenceServer; readonly client: InferenceClient },
  options: Pick<LocalRunOptions, 'inputs' | 'reveal' | 'onInference' | 'progress' | 'channels' | 'observer'>,
): Promise<SessionRun> {
  const run = await runTwoParties(transport, {
    server: (channel) => parties.server.serve(options.channels?.server?.(channel) ?? channel),
    client: async (channel) => {
      const session = await parties.client.connect(options.channels?.client?.(channel) ?? channel, {
        ...(options.reveal ? { reveal: options.reveal } : {}),
        ...(options.observer ? { observer: options.observer } : {}),
      });
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
    },
  });
  const { session, inferences } = run.client;
  return { announcement: session.announcement, setup: session.setup, expectedTraffic: session.expectedTraffic, inferences, server: run.server };
}

/** Both parties started for this run only, one session classifying `options.inputs`, everything closed after. */
export function runLocalInference(options: LocalRunOptions): Promise<LocalRunResult> {
  return withWiring(options.config, options.registry, ['transport'], async (wiring) => {
    const parties = await startInferenceParties(
      {
        config: options.config,
        registry: options.registry,
        model: options.model,
        ...(options.heWorkers !== undefined ? { heWorkers: options.heWorkers } : {}),
        ...(options.serverRandom ? { random: options.serverRandom } : {}),
      },
      {
        config: options.config,
        registry: options.registry,
        ...(options.clientRandom ? { random: options.clientRandom } : {}),
        ...(options.clientHe ? { he: options.clientHe } : {}),
      },
    );
    try {
      const run = await runInferenceSession(wiring.get('transport'), parties, options);
      return { ...run, liveObjects: { server: await parties.server.liveObjects(), client: await parties.client.liveObjects() } };
    } finally {
      await Promise.all([parties.server.close(), parties.client.close()]);
    }
  });
}
