import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { ProtocolError } from '../../core/errors.ts';
import { MemoryTransport } from '../transport-memory/memory-transport.ts';
import { ChouOrlandiBaseOt, POINT_BYTES } from './chou-orlandi.ts';

const ot = new ChouOrlandiBaseOt();

/** The first message of a sender: count, then the point S. */
function senderMessage(count: number, point: Uint8Array): Uint8Array {
  const message = new Uint8Array(4 + POINT_BYTES);
  new DataView(message.buffer).setUint32(0, count, true);
  message.set(point, 4);
  return message;
}

function isCanonicalNonIdentity(bytes: Uint8Array): boolean {
  try {
    return !ristretto255.Point.fromBytes(bytes).is0();
  } catch {
    return false;
  }
}

/** Random bytes (almost never a point), valid points, and valid points with one bit flipped. */
const validPoint = fc.bigInt({ min: 1n, max: 2n ** 250n }).map((k) => ristretto255.Point.BASE.multiply(k).toBytes());
const anyPoint = fc.oneof(
  fc.uint8Array({ minLength: POINT_BYTES, maxLength: POINT_BYTES }),
  validPoint,
  fc.tuple(validPoint, fc.nat({ max: 8 * POINT_BYTES - 1 })).map(([p, bit]) => ((p[bit >>> 3]! ^= 1 << (bit & 7)), p)),
);

describe('chou-orlandi base OT', () => {
  it('the receiver gets exactly m_c of each random pair, and m0 ≠ m1', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 6, max: 1 }), async (choices) => {
        const { client, server, close } = await new MemoryTransport().pair();
        const [{ m0, m1 }, got] = await Promise.all([ot.send(server, choices.length), ot.receive(client, choices)]);
        for (let i = 0; i < choices.length; i++) {
          const at = (x: Uint8Array) => x.subarray(16 * i, 16 * i + 16);
          assert.deepEqual(at(got), at(choices[i] ? m1 : m0));
          assert.notDeepEqual(at(m0), at(m1));
        }
        await close();
      }),
      { numRuns: 12 },
    );
  });

  it('a batch of 128, as IKNP runs it, in one exchange each way', async () => {
    const { client, server, close } = await new MemoryTransport().pair();
    const choices = Uint8Array.from({ length: 128 }, (_, i) => (i * 7) % 3 & 1);
    const [{ m0, m1 }, got] = await Promise.all([ot.send(server, 128), ot.receive(client, choices)]);
    for (let i = 0; i < 128; i++) assert.deepEqual(got.subarray(16 * i, 16 * i + 16), (choices[i] ? m1 : m0).subarray(16 * i, 16 * i + 16));
    await close();
  });

  it('any 32 bytes as the sender point: the receiver runs on a valid point and throws ProtocolError otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(anyPoint, async (point) => {
        const { client, server, close } = await new MemoryTransport().pair();
        await server.send(senderMessage(2, point));
        const result = ot.receive(client, Uint8Array.of(0, 1));
        if (isCanonicalNonIdentity(point)) assert.equal((await result).length, 32);
        else await assert.rejects(result, ProtocolError);
        await close();
      }),
      { numRuns: 40 },
    );
  });

  it('the identity, a non-canonical encoding and a wrong count are ProtocolErrors', async () => {
    const valid = ristretto255.Point.BASE.toBytes();
    const nonCanonical = new Uint8Array(POINT_BYTES).fill(0xff);
    for (const [count, point, pattern] of [
      [1, new Uint8Array(POINT_BYTES), /identity/],
      [1, nonCanonical, /not a valid ristretto255 encoding/],
      [2, valid, /runs 2 OTs but this receiver has 1/],
    ] as const) {
      const { client, server, close } = await new MemoryTransport().pair();
      await server.send(senderMessage(count, point));
      await assert.rejects(ot.receive(client, Uint8Array.of(1)), (e: unknown) => e instanceof ProtocolError && pattern.test((e as Error).message));
      await close();
    }
  });

  it('a bad receiver point is a ProtocolError on the sender', async () => {
    for (const bad of [new Uint8Array(POINT_BYTES), new Uint8Array(POINT_BYTES).fill(0xff)]) {
      const { client, server, close } = await new MemoryTransport().pair();
      const sending = ot.send(server, 2);
      await client.recv(4 + POINT_BYTES);
      const points = new Uint8Array(2 * POINT_BYTES);
      points.set(ristretto255.Point.BASE.toBytes());
      points.set(bad, POINT_BYTES);
      await client.send(points);
      await assert.rejects(sending, (e: unknown) => e instanceof ProtocolError && /receiver point 1/.test((e as Error).message));
      await close();
    }
  });
});
