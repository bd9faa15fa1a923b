import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { builtinRegistry } from '../plugins/index.ts';
import type { Channel } from './channel.ts';
import { parseConfig } from './config.ts';
import { wire, type Wiring } from './container.ts';
import { ProtocolError, TransportError } from './errors.ts';
import { runTwoParties } from './two-party.ts';

describe('runTwoParties', () => {
  let wiring: Wiring;
  before(async () => {
    wiring = await wire(parseConfig({}), builtinRegistry(), ['transport']);
  });
  after(() => wiring.dispose());

  it("runs each party on its own end of a connected pair and returns both results", async () => {
    const run = await runTwoParties(wiring.get('transport'), {
      server: async (channel) => {
        await channel.send(Uint8Array.of(7));
        return (await channel.recv(1))[0];
      },
      client: async (channel) => {
        const [x] = await channel.recv(1);
        await channel.send(Uint8Array.of(x! * 2));
        return x;
      },
    });
    assert.deepEqual(run, { server: 14, client: 7 });
  });

  for (const failing of ['server', 'client'] as const) {
    it(`reports the ${failing}'s failure, not the other party's consequence, which it does not leave waiting`, async () => {
      let other: unknown;
      const fail = async () => {
        throw new ProtocolError(`the ${failing} gives up`);
      };
      // The other party waits for a message that never comes: only the closed pair ends its wait.
      const wait = async (channel: Channel) => {
        try {
          await channel.recv(1);
        } catch (error) {
          other = error;
          throw error;
        }
      };
      const parties = failing === 'server' ? { server: fail, client: wait } : { server: wait, client: fail };
      await assert.rejects(runTwoParties(wiring.get('transport'), parties), new RegExp(`the ${failing} gives up`));
      assert.ok(other instanceof TransportError, `the other party ended with ${String(other)}`);
    });
  }

  it('closes the pair when the run ends', async () => {
    let kept: Channel | undefined;
    await runTwoParties(wiring.get('transport'), { server: async (channel) => void (kept = channel), client: async () => undefined });
    await assert.rejects(kept!.send(Uint8Array.of(1)), TransportError);
  });
});
