/**
 * What every transport's channels must do (core/channel.ts), as tests any transport's test file
 * registers with its own factory: exact-length reads across arbitrary message boundaries, full
 * duplex, close semantics, idle timeout.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesEqual, concatBytes } from '../core/bytes.ts';
import { TransportError } from '../core/errors.ts';
import type { Transport, TransportOptions } from '../core/transport.ts';
import { closeAfterEach } from './cleanup.ts';

/** Cut `total` bytes into consecutive read lengths at the given (sorted, deduplicated) cut points. */
function cuts(total: number, points: number[]): number[] {
  const sorted = [...new Set(points.map((p) => p % (total + 1)))].sort((a, b) => a - b);
  const lengths: number[] = [];
  let previous = 0;
  for (const p of [...sorted, total]) {
    if (p > previous) lengths.push(p - previous);
    previous = p;
  }
  return lengths;
}

export function channelContract(name: string, makeTransport: (options?: TransportOptions) => Transport, runs = 30): void {
  describe(`${name}: channel contract`, () => {
    const track = closeAfterEach();
    it('delivers the stream exactly, whatever the send and recv boundaries (property)', async () => {
      const { client, server, close } = track(await makeTransport({ maxFrameBytes: 777 }).pair());
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.uint8Array({ minLength: 0, maxLength: 3000 }), { minLength: 1, maxLength: 8 }),
            fc.array(fc.nat(), { maxLength: 10 }),
            async (messages, points) => {
              const expected = concatBytes(messages);
              const sending = (async () => {
                for (const m of messages) await client.send(m.slice());
              })();
              const pieces: Uint8Array[] = [];
              for (const length of cuts(expected.length, points)) pieces.push(await server.recv(length));
              await sending;
              assert.ok(bytesEqual(concatBytes(pieces), expected));
            },
          ),
          { numRuns: runs },
        );
      } finally {
        await close();
      }
    });

    it('is full duplex: both ends send and receive at the same time', async () => {
      const { client, server, close } = track(await makeTransport().pair());
      const a = new Uint8Array(300_000).map((_, i) => i * 7);
      const b = new Uint8Array(200_000).map((_, i) => i * 13);
      const [fromServer, fromClient] = await Promise.all([
        client.send(a.slice()).then(() => client.recv(b.length)),
        server.send(b.slice()).then(() => server.recv(a.length)),
      ]);
      assert.ok(bytesEqual(fromClient, a));
      assert.ok(bytesEqual(fromServer, b));
      await close();
    });

    it('close delivers what was sent first, then the peer`s recv fails saying the peer closed', async () => {
      const { client, server, close } = track(await makeTransport().pair());
      const data = new Uint8Array(3_000_000).map((_, i) => i);
      await client.send(data.slice());
      await client.close();
      assert.ok(bytesEqual(await server.recv(data.length), data));
      await assert.rejects(server.recv(1), (e: Error) => e instanceof TransportError && /peer closed/.test(e.message));
      await assert.rejects(server.send(new Uint8Array(1)), (e: Error) => e instanceof TransportError && /peer (has )?closed/.test(e.message));
      await close();
    });

    it('a pending recv fails when the peer closes, naming the truncated message', async () => {
      const { client, server, close } = track(await makeTransport().pair());
      const pending = assert.rejects(
        server.recv(100),
        (e: Error) => e instanceof TransportError && /peer closed.*had 10 of 100 bytes: truncated message/.test(e.message),
      );
      await client.send(new Uint8Array(10));
      await client.close();
      await pending;
      await close();
    });

    it('send after close and recv after close fail with TransportErrors', async () => {
      const { client, close } = track(await makeTransport().pair());
      await client.close();
      assert.equal(client.closed, true);
      await assert.rejects(client.send(new Uint8Array(1)), (e: Error) => e instanceof TransportError && /send after close/.test(e.message));
      await assert.rejects(client.recv(1), TransportError);
      await close();
    });

    it('a recv that sees no data within idleTimeoutMs fails instead of hanging', async () => {
      const { client, server, close } = track(await makeTransport({ idleTimeoutMs: 40 }).pair());
      await client.send(new Uint8Array(3));
      await assert.rejects(server.recv(8), (e: Error) => e instanceof TransportError && /no data for 40 ms.*\(have 3\)/.test(e.message));
      await close();
    });

    it('keeps the label set last', async () => {
      const { client, close } = track(await makeTransport().pair());
      assert.equal(client.label, 'default');
      client.setLabel('online/relu1');
      assert.equal(client.label, 'online/relu1');
      await close();
    });
  });
}
