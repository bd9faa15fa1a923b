import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesEqual, concatBytes } from '../bytes.ts';
import { TransportError } from '../errors.ts';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import { ShapingChannel } from './shaping.ts';

describe('ShapingChannel', () => {
  // Lower bounds only: a loaded machine may be late, a correct shaper is never early.
  it('delivers after the latency, and holds the sender for size / bandwidth', async () => {
    const pair = await new MemoryTransport().pair();
    const client = new ShapingChannel(pair.client, { latencyMs: 30, bandwidthBytesPerSecond: 2e6 });
    const start = performance.now();
    const receiving = pair.server.recv(100_000).then(() => performance.now() - start);
    await client.send(new Uint8Array(100_000)); // 50 ms on a 2 MB/s link
    const sendTime = performance.now() - start;
    const arrival = await receiving;
    assert.ok(sendTime >= 50, `send resolved after ${sendTime} ms, before the message left the link`);
    assert.ok(arrival >= 80, `delivered after ${arrival} ms, expected >= 50 + 30`);
    await pair.close();
  });

  it('queues messages on the link: the second waits for the first', async () => {
    const pair = await new MemoryTransport().pair();
    const client = new ShapingChannel(pair.client, { latencyMs: 0, bandwidthBytesPerSecond: 1e6 });
    const start = performance.now();
    void client.send(new Uint8Array(20_000));
    await client.send(new Uint8Array(20_000));
    assert.ok(performance.now() - start >= 40);
    await pair.server.recv(40_000);
    await pair.close();
  });

  it('preserves order and content for any sizes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 2000 }), { maxLength: 8 }), fc.integer({ min: 0, max: 3 }), async (messages, latencyMs) => {
        const pair = await new MemoryTransport().pair();
        const client = new ShapingChannel(pair.client, { latencyMs, bandwidthBytesPerSecond: 50e6 });
        const expected = concatBytes(messages);
        const sends = messages.map((m) => client.send(m.slice()));
        assert.ok(bytesEqual(await pair.server.recv(expected.length), expected));
        await Promise.all(sends);
        await pair.close();
      }),
      { numRuns: 30 },
    );
  });

  it('close delivers what is still in flight, then closes; send after close fails', async () => {
    const pair = await new MemoryTransport().pair();
    const client = new ShapingChannel(pair.client, { latencyMs: 20, bandwidthBytesPerSecond: Infinity });
    await client.send(Uint8Array.of(1, 2, 3));
    assert.equal(pair.server.closed, false);
    await client.close();
    assert.equal(client.closed, true);
    assert.deepEqual([...(await pair.server.recv(3))], [1, 2, 3]);
    await assert.rejects(pair.server.recv(1), /peer closed/);
    await assert.rejects(client.send(Uint8Array.of(4)), (e: Error) => e instanceof TransportError && /send after close/.test(e.message));
  });

  it('reports a delivery that failed in the wrapped channel on the next flush', async () => {
    const pair = await new MemoryTransport().pair();
    const client = new ShapingChannel(pair.client, { latencyMs: 10, bandwidthBytesPerSecond: Infinity });
    await client.send(Uint8Array.of(1));
    await pair.server.close(); // the peer goes away while the message is in flight
    await assert.rejects(client.flush(), /peer has closed/);
    await assert.rejects(client.send(Uint8Array.of(2)), /peer has closed/);
  });

  it('forwards labels to the wrapped channel and checks its options', async () => {
    const pair = await new MemoryTransport().pair();
    const client = new ShapingChannel(pair.client, { latencyMs: 0, bandwidthBytesPerSecond: Infinity });
    client.setLabel('online/fc1');
    assert.equal(pair.client.label, 'online/fc1');
    assert.throws(() => new ShapingChannel(pair.client, { latencyMs: -1, bandwidthBytesPerSecond: 1 }), RangeError);
    assert.throws(() => new ShapingChannel(pair.client, { latencyMs: 0, bandwidthBytesPerSecond: 0 }), RangeError);
    assert.throws(() => new ShapingChannel(pair.client, { latencyMs: NaN, bandwidthBytesPerSecond: 1 }), RangeError);
    await pair.close();
  });
});
