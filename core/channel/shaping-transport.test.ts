import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import { TcpTransport } from '../../plugins/transport-tcp/tcp-transport.ts';
import type { Channel } from '../channel.ts';
import { ShapingTransport } from './shaping-transport.ts';

const profile = { name: 'custom' as const, latencyMs: 40, bandwidthBytesPerSecond: Infinity };

/** Milliseconds from `from.send` to `to` having received the bytes (lower bounds only: a loaded machine is late, never early). */
async function oneWay(from: Channel, to: Channel): Promise<number> {
  const start = performance.now();
  const arrived = to.recv(3).then(() => performance.now() - start);
  await from.send(Uint8Array.of(1, 2, 3));
  return arrived;
}

describe('ShapingTransport', () => {
  it('shapes both ends of a pair, so both directions are delayed', async () => {
    const transport = new ShapingTransport(new MemoryTransport(), profile);
    assert.equal(transport.name, 'in-memory');
    const pair = await transport.pair();
    assert.ok((await oneWay(pair.client, pair.server)) >= 40);
    assert.ok((await oneWay(pair.server, pair.client)) >= 40);
    await pair.close();
    assert.equal(pair.client.closed && pair.server.closed, true);
  });

  it('shapes accepted and connected TCP channels', async () => {
    const transport = new ShapingTransport(new TcpTransport(), profile);
    // A session that echoes: the client's message and the reply each cross one shaped direction.
    const echo = await transport.listen({ port: 0 }, async (channel) => {
      await channel.send(await channel.recv(3));
      await channel.flush();
    });
    const client = await transport.connect(echo.address);
    const start = performance.now();
    await client.send(Uint8Array.of(7, 8, 9));
    assert.deepEqual([...(await client.recv(3))], [7, 8, 9]);
    assert.ok(performance.now() - start >= 80, 'a round trip costs two one-way delays');
    await client.close();
    await echo.close();
  });

  it('refuses a bad profile when constructed', () => {
    assert.throws(() => new ShapingTransport(new MemoryTransport(), { name: 'custom', latencyMs: -1, bandwidthBytesPerSecond: 1 }), RangeError);
  });
});
