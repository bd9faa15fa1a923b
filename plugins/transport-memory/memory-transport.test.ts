import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../core/errors.ts';
import { channelContract } from '../../test/channel-contract.ts';
import plugin from './index.ts';
import { MemoryTransport } from './memory-transport.ts';

channelContract('in-memory', (options) => new MemoryTransport(options), 100);

describe('in-memory transport plugin', () => {
  it('rejects bad options with a ConfigError', () => {
    assert.throws(() => plugin.create({ idleTimeoutMs: -1 }, undefined as never), ConfigError);
    assert.throws(() => plugin.create({ idleTimeout: 5 }, undefined as never), /unknown option "idleTimeout"/);
  });
});

describe('in-memory listen/connect', () => {
  it('runs one session per connect and closes it when the handler returns or fails', async () => {
    const transport = new MemoryTransport();
    const listener = await transport.listen({ port: 0 }, async (channel) => {
      const [n] = await channel.recv(1);
      if (n === 0) throw new Error('session refuses 0');
      await channel.send(Uint8Array.of(n! + 1));
    });
    const good = await transport.connect(listener.address);
    await good.send(Uint8Array.of(41));
    assert.deepEqual([...(await good.recv(1))], [42]);
    await assert.rejects(good.recv(1), /peer closed/);
    const bad = await transport.connect(listener.address);
    await bad.send(Uint8Array.of(0));
    await assert.rejects(bad.recv(1), /peer closed/);
    await listener.close();
    await assert.rejects(transport.connect(listener.address), /nothing listens/);
  });
});
