import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from '../../core/bytes.ts';
import type { Channel } from '../../core/channel.ts';
import { ProtocolError } from '../../core/errors.ts';
import type { BaseOt } from '../../core/ot.ts';
import { MemoryTransport } from '../transport-memory/memory-transport.ts';
import { ChouOrlandiBaseOt } from '../chou-orlandi/chou-orlandi.ts';
import { InsecureIdealBaseOt } from '../insecure-ideal-base-ot/insecure-ideal-base-ot.ts';
import { assertCorrelated, otExtensionContract, otSession } from '../../test/ot/ot-contract.ts';
import { CountingChannel } from '../../core/channel/counting.ts';
import { IknpExtension } from './iknp.ts';

// The contract over the fast test-double base OT (setup is most of a session's cost otherwise) ...
otExtensionContract('iknp over insecure-ideal-base-ot', () => new IknpExtension(new InsecureIdealBaseOt()));

/** A base OT whose sender hands out one wrong key: what a peer with another base OT looks like. */
class CorruptedBaseOt implements BaseOt {
  readonly name = 'corrupted';
  readonly #inner = new InsecureIdealBaseOt();
  async send(channel: Channel, count: number) {
    const pair = await this.#inner.send(channel, count);
    pair.m1[16 * (count - 1)]! ^= 1;
    pair.m0[16 * (count - 1)]! ^= 1;
    return pair;
  }
  receive(channel: Channel, choices: Uint8Array) {
    return this.#inner.receive(channel, choices);
  }
}

describe('iknp', () => {
  it('runs over the real chou-orlandi base OT', async () => {
    const s = await otSession(new IknpExtension(new ChouOrlandiBaseOt()));
    const choices = randomBytes(1000).map((b) => b & 1);
    const [q, t] = await Promise.all([s.sender.sendCorrelated(1000), s.receiver.receiveCorrelated(choices)]);
    assertCorrelated(q, t, choices, s.delta);
    await s.pair.close();
  });

  it('base-OT keys that disagree fail the setup on both sides with a ProtocolError', async () => {
    const pair = await new MemoryTransport().pair();
    const extension = new IknpExtension(new CorruptedBaseOt());
    const [sender, receiver] = await Promise.allSettled([extension.sender(pair.server, randomBytes(16)), extension.receiver(pair.client)]);
    assert.equal(sender.status, 'rejected');
    assert.ok((sender as PromiseRejectedResult).reason instanceof ProtocolError);
    assert.match(String((sender as PromiseRejectedResult).reason), /base-OT keys disagree/);
    assert.equal(receiver.status, 'rejected');
    assert.ok((receiver as PromiseRejectedResult).reason instanceof ProtocolError);
    await pair.close();
  });

  it('traffic: 16 bytes per correlated OT plus one 16-byte call header; chosen OT adds 32 bytes and an echoed header', async () => {
    const pair = await new MemoryTransport().pair();
    const server = new CountingChannel(pair.server);
    const client = new CountingChannel(pair.client);
    const s = await otSession(new IknpExtension(new InsecureIdealBaseOt()), { client, server, close: () => pair.close() });
    const n = 3000; // not a multiple of 32: the last chunk pads its columns to 3008 rows
    const before = client.stats().total.sent.bytes + server.stats().total.sent.bytes;
    await Promise.all([s.sender.sendCorrelated(n), s.receiver.receiveCorrelated(new Uint8Array(n))]);
    const cot = client.stats().total.sent.bytes + server.stats().total.sent.bytes - before;
    assert.equal(cot, 16 + 128 * Math.ceil(n / 32) * 4);
    await Promise.all([s.sender.sendChosen(new Uint8Array(16 * n), new Uint8Array(16 * n)), s.receiver.receiveChosen(new Uint8Array(n))]);
    const chosen = client.stats().total.sent.bytes + server.stats().total.sent.bytes - before - cot;
    assert.equal(chosen, cot + 16 + 32 * n);
    await pair.close();
  });
});
