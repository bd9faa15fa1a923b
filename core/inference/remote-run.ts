/**
 * The client of a remote server (`gazelle infer --connect`): connect over the configured
 * transport, set up a session (the server announces protocol version, architecture and model
 * fingerprint; the client checks them), classify one image fitted to the announced architecture,
 * end the session. A refusal (busy, shutting down) arrives as a `SessionRefusedError`, a server of
 * another protocol version as a `ProtocolVersionError`, both naming what happened.
 */
import type { Channel } from '../channel.ts';
import type { GazelleConfig } from '../config.ts';
import { withWiring } from '../container.ts';
import type { Architecture } from '../model/architecture.ts';
import type { Progress } from '../progress.ts';
import type { PluginRegistry } from '../registry.ts';
import type { Address } from '../transport.ts';
import { InferenceClient, type ClientInference } from './client.ts';
import type { Figures } from './figures.ts';
import type { ServerAnnouncement } from './handshake.ts';
import type { RevealPolicy } from './plan.ts';

export interface RemoteRunOptions {
  readonly config: GazelleConfig;
  readonly registry: PluginRegistry;
  readonly address: Address;
  readonly reveal?: RevealPolicy;
  /** The image, quantised for the architecture the server announces. */
  readonly input: (architecture: Architecture) => Int32Array;
  /** Refuse a server whose architecture is not this one. */
  readonly expect?: Architecture;
  /** Hears of the phases and layers of the inference (core/progress.ts). */
  readonly progress?: Progress;
}

export interface RemoteRunResult {
  readonly announcement: ServerAnnouncement;
  readonly setup: Figures;
  readonly inference: ClientInference;
}

export function classifyRemotely(options: RemoteRunOptions): Promise<RemoteRunResult> {
  const { config, registry } = options;
  return withWiring(config, registry, ['transport'], async (wiring) => {
    let client: InferenceClient | undefined;
    let channel: Channel | undefined;
    try {
      // The client's HE worker starts before the connection: a server's session slot is not held while it does.
      client = await InferenceClient.start({ config, registry });
      channel = await wiring.get('transport').connect(options.address);
      const session = await client.connect(channel, { ...(options.reveal ? { reveal: options.reveal } : {}), ...(options.expect ? { expect: options.expect } : {}) });
      try {
        const inference = await session.classify(options.input(session.architecture), options.progress);
        return { announcement: session.announcement, setup: session.setup, inference };
      } finally {
        await session.close();
      }
    } finally {
      await Promise.all([channel?.close(), client?.close()]);
    }
  });
}
