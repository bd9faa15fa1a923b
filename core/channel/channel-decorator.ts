/**
 * Base of the channel decorators (counting, recording, shaping): forwards every member to the
 * wrapped channel, so a decorator overrides only what it observes or changes, and decorators stack
 * in any order around any transport's channel.
 */
import type { Channel, MessageKind } from '../channel.ts';

export abstract class ChannelDecorator implements Channel {
  constructor(protected readonly inner: Channel) {}

  get label(): string {
    return this.inner.label;
  }

  get closed(): boolean {
    return this.inner.closed;
  }

  setLabel(label: string): void {
    this.inner.setLabel(label);
  }

  send(data: Uint8Array, kind?: MessageKind): Promise<void> {
    return this.inner.send(data, kind);
  }

  recv(length: number, kind?: MessageKind): Promise<Uint8Array> {
    return this.inner.recv(length, kind);
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
