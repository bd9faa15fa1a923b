/**
 * A transport whose every channel is shaped (shaping.ts): both ends of a pair, every accepted and
 * every connected channel. Each endpoint shapes what it sends, so both directions of a connection
 * are shaped whether its ends live in one process or two. The wiring puts it around the configured
 * transport when the configuration names a network profile (container.ts), so engines, benches and
 * commands get a LAN or WAN without knowing it.
 */
import type { Address, ChannelPair, ListenHooks, Listener, SessionHandler, Transport } from '../transport.ts';
import type { Channel } from '../channel.ts';
import type { NetworkProfile } from './network-profile.ts';
import { checkShapingOptions, ShapingChannel } from './shaping.ts';

export class ShapingTransport implements Transport {
  constructor(
    readonly inner: Transport,
    readonly network: NetworkProfile,
  ) {
    // Fails here, once, on a bad profile rather than on the first channel.
    checkShapingOptions(network);
  }

  /** The wrapped transport's name: shaping changes the link, not the transport. */
  get name(): string {
    return this.inner.name;
  }

  async pair(): Promise<ChannelPair> {
    const pair = await this.inner.pair();
    const client = this.#shape(pair.client);
    const server = this.#shape(pair.server);
    return {
      client,
      server,
      // The shaped ends deliver what is in flight, then close the wrapped ends.
      close: async () => {
        await Promise.allSettled([client.close(), server.close()]);
        await pair.close();
      },
    };
  }

  listen(address: Address, onSession: SessionHandler, hooks?: ListenHooks): Promise<Listener> {
    return this.inner.listen(address, (channel, info) => onSession(this.#shape(channel), info), hooks);
  }

  async connect(address: Address): Promise<Channel> {
    return this.#shape(await this.inner.connect(address));
  }

  #shape(channel: Channel): ShapingChannel {
    return new ShapingChannel(channel, this.network);
  }
}
