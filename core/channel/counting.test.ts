import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import { CountingChannel, emptyTrafficStats, type Direction, type TrafficStats } from './counting.ts';

interface Op {
  direction: Direction;
  label: string;
  size: number;
}

/** The reference: sums per label, and a round wherever the direction differs from the previous message's. */
function expectedStats(ops: Op[]): { total: TrafficStats; byLabel: Record<string, TrafficStats> } {
  const total = emptyTrafficStats();
  const byLabel: Record<string, TrafficStats> = {};
  let previous: Direction | undefined;
  for (const { direction, label, size } of ops) {
    if (size === 0) continue;
    const stats = (byLabel[label] ??= emptyTrafficStats());
    for (const s of [stats, total]) {
      s[direction].bytes += size;
      s[direction].messages += 1;
      if (previous !== undefined && previous !== direction) s.rounds += 1;
    }
    previous = direction;
  }
  return { total, byLabel };
}

const opArbitrary = fc.record({
  direction: fc.constantFrom<Direction>('sent', 'received'),
  label: fc.constantFrom('offline/relu1', 'online/conv1', 'online/relu1', 'default'),
  size: fc.integer({ min: 0, max: 5000 }),
});

describe('CountingChannel', () => {
  it('counts exactly the bytes, messages and direction changes of any exchange, per label (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { maxLength: 40 }), async (ops) => {
        const pair = await new MemoryTransport().pair();
        const client = new CountingChannel(pair.client);
        const server = new CountingChannel(pair.server);
        for (const { direction, label, size } of ops) {
          client.setLabel(label);
          server.setLabel(label);
          const [from, to] = direction === 'sent' ? [client, server] : [server, client];
          await from.send(new Uint8Array(size));
          assert.equal((await to.recv(size)).length, size);
        }
        assert.deepEqual(client.stats(), expectedStats(ops));
        // The server sees the mirror image: what the client sent, it received, and the same rounds.
        const mirrored = ops.map((op) => ({ ...op, direction: (op.direction === 'sent' ? 'received' : 'sent') as Direction }));
        assert.deepEqual(server.stats(), expectedStats(mirrored));
        await pair.close();
      }),
      { numRuns: 200 },
    );
  });

  it('counts a message under the label set when it was issued, and snapshots do not change', async () => {
    const pair = await new MemoryTransport().pair();
    const client = new CountingChannel(pair.client);
    client.setLabel('offline/relu1');
    const receiving = client.recv(10);
    client.setLabel('online/relu1');
    const before = client.stats();
    await pair.server.send(new Uint8Array(10));
    await receiving;
    assert.deepEqual(before, { total: emptyTrafficStats(), byLabel: {} });
    assert.deepEqual(Object.keys(client.stats().byLabel), ['offline/relu1']);
    assert.equal(client.stats().byLabel['offline/relu1']!.received.bytes, 10);
    await pair.close();
  });

  it('does not count a send that failed', async () => {
    const pair = await new MemoryTransport().pair();
    const client = new CountingChannel(pair.client);
    await pair.server.close();
    await assert.rejects(client.send(new Uint8Array(5)));
    assert.deepEqual(client.stats().total, emptyTrafficStats());
  });
});
