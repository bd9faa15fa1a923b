import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LABEL, type Channel, type MessageKind } from '../channel.ts';
import { CountingChannel } from './counting.ts';
import { RecordingChannel } from './recording.ts';
import { ShapingChannel } from './shaping.ts';

/** A channel that only logs what it is asked to do. */
class SpyChannel implements Channel {
  readonly calls: string[] = [];
  label = DEFAULT_LABEL;
  closed = false;
  async send(data: Uint8Array, kind?: MessageKind): Promise<void> {
    this.calls.push(`send ${data.length} ${kind}`);
  }
  async recv(length: number, kind?: MessageKind): Promise<Uint8Array> {
    this.calls.push(`recv ${length} ${kind}`);
    return new Uint8Array(length);
  }
  async flush(): Promise<void> {
    this.calls.push('flush');
  }
  setLabel(label: string): void {
    this.calls.push(`label ${label}`);
    this.label = label;
  }
  async close(): Promise<void> {
    this.calls.push('close');
    this.closed = true;
  }
}

const decorators: [string, (inner: Channel) => Channel][] = [
  ['counting', (inner) => new CountingChannel(inner)],
  ['recording', (inner) => new RecordingChannel(inner, 'server')],
  ['shaping', (inner) => new ShapingChannel(inner, { latencyMs: 1, bandwidthBytesPerSecond: 1e9 })],
  ['all three stacked', (inner) => new CountingChannel(new RecordingChannel(new ShapingChannel(inner, { latencyMs: 0, bandwidthBytesPerSecond: Infinity }), 'client'))],
];

describe('channel decorators forward to the wrapped channel', () => {
  for (const [name, wrap] of decorators) {
    it(name, async () => {
      const spy = new SpyChannel();
      const channel = wrap(spy);
      channel.setLabel('online/relu2');
      assert.equal(channel.label, 'online/relu2');
      await channel.send(new Uint8Array(5), 'share');
      assert.equal((await channel.recv(7, 'gc-table')).length, 7);
      await channel.flush();
      assert.equal(channel.closed, false);
      await channel.close();
      assert.equal(channel.closed, true);
      // Shaping delays the send past the recv (latency), so only the order of the rest is fixed.
      assert.deepEqual(spy.calls.slice(0, 3).sort(), ['label online/relu2', 'recv 7 gc-table', 'send 5 share']);
      assert.deepEqual(spy.calls.slice(3), ['flush', 'close']);
    });
  }
});
