/**
 * A peer that leaves: closes its channel when the `limit`-th message (send or receive, from 0)
 * would pass (`Infinity`: never, to count a clean session's messages). For the fault tests.
 */
import type { Channel, MessageKind } from '../../core/channel.ts';
import { ChannelDecorator } from '../../core/channel/channel-decorator.ts';

export class CutChannel extends ChannelDecorator {
  #seen = 0;

  constructor(
    inner: Channel,
    private readonly limit: number,
  ) {
    super(inner);
  }

  override async send(data: Uint8Array, kind?: MessageKind): Promise<void> {
    await this.#count();
    return super.send(data, kind);
  }

  override async recv(length: number, kind?: MessageKind): Promise<Uint8Array> {
    await this.#count();
    return super.recv(length, kind);
  }

  async #count(): Promise<void> {
    if (this.#seen++ === this.limit) await this.inner.close();
  }
}
