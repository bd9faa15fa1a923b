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
