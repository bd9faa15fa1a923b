/**
 * What bounds a listener against many, slow or hostile clients: the session cap (refused with a
 * reason the client reports), draining, the bytes one connection and all connections together
 * hold received and unread, and a peer that stops reading what it is sent.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { bytesEqual, randomBytes } from '../../core/bytes.ts';
import { SessionRefusedError, TransportError } from '../../core/errors.ts';
import { closeAfterEach } from '../../test/cleanup.ts';
import { rawSocket, waitFor } from '../../test/tcp-helpers.ts';
import { encodeFrames, FrameDecoder, MAX_REFUSAL_BYTES, refusalFrame } from './frame.ts';
import { ReceiveBudget } from './receive-budget.ts';
import type { TcpChannel } from './tcp-channel.ts';
import { TcpTransport } from './tcp-transport.ts';

const track = closeAfterEach();

/** A listener whose sessions echo one message back after `gate` opens; returns the gate opener. */
async function gatedEcho(transport: TcpTransport, length: number, hooks = {}) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const listener = track(
    await transport.listen(
      { port: 0 },
      async (channel) => {
        const message = await channel.recv(length);
        await gate;
        await channel.send(message.slice());
      },
      hooks,
    ),
  );
  return { listener, open };
}

describe('tcp listener: session cap and draining', () => {
  it('refuses a connection beyond maxSessions with a reason the client reports, and serves again once a session ends', async () => {
    const refusals: string[] = [];
    const transport = new TcpTransport({ maxSessions: 2 });
    const { listener, open } = await gatedEcho(transport, 3, { onRefused: (reason: string) => refusals.push(reason) });
    const clients = [track(await transport.connect(listener.address)), track(await transport.connect(listener.address))];
    await Promise.all(clients.map((c) => c.send(Uint8Array.of(1, 2, 3))));
    await waitFor(() => listener.sessions.active === 2, 'two sessions');
    const third = track(await transport.connect(listener.address));
    const refused = await third.recv(1).then(
      () => assert.fail('the third client was served'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof SessionRefusedError, String(refused));
    assert.match(refused.message, /the server refused the session: busy: 2 sessions running, the most this server runs at once \(maxSessions\); try again later/);
    assert.equal(refused.reason, refusals[0]);
    assert.equal(listener.sessions.refused, 1);
    open();
    for (const c of clients) assert.deepEqual([...(await c.recv(3))], [1, 2, 3]);
    await waitFor(() => listener.sessions.active === 0, 'the sessions to end');
    const later = track(await transport.connect(listener.address));
    await later.send(Uint8Array.of(7, 8, 9));
    assert.deepEqual([...(await later.recv(3))], [7, 8, 9]);
    await later.close();
    await waitFor(() => listener.sessions.active === 0, 'the last session to end');
    assert.deepEqual(listener.sessions, { active: 0, completed: 3, failed: 0, refused: 1 });
  });

  it('drain: running sessions finish, new connections are refused saying so, then the port closes', async () => {
    const transport = new TcpTransport();
    const { listener, open } = await gatedEcho(transport, 2);
    const running = track(await transport.connect(listener.address));
    await running.send(Uint8Array.of(4, 5));
    await waitFor(() => listener.sessions.active === 1, 'the session to start');
    let drained = false;
    const draining = listener.drain().then(() => void (drained = true));
    const late = track(await transport.connect(listener.address));
    await assert.rejects(late.recv(1), (e: Error) => e instanceof SessionRefusedError && /the server is shutting down/.test(e.message));
    assert.equal(drained, false, 'drain waits for the running session');
    open();
    assert.deepEqual([...(await running.recv(2))], [4, 5]);
    await draining;
    await assert.rejects(transport.connect(listener.address), /connection refused/);
    assert.deepEqual(listener.sessions, { active: 0, completed: 1, failed: 0, refused: 1 });
  });
});

describe('tcp listener: buffered bytes', () => {
  it('a message longer than maxBufferedBytes is refused at once, naming the limit', async () => {
    const outcome: Promise<unknown>[] = [];
    const transport = new TcpTransport({ maxBufferedBytes: 64 * 1024 });
    const listener = track(await transport.listen({ port: 0 }, (channel) => void outcome.push(channel.recv(64 * 1024 + 1).catch((e: unknown) => e))));
    const client = track(await transport.connect(listener.address));
    await waitFor(() => outcome.length === 1, 'the session');
    const error = (await outcome[0]) as Error;
    assert.ok(error instanceof TransportError && /a message of 65537 bytes is more than maxBufferedBytes = 65536/.test(error.message), String(error));
    await client.close();
  });

  it('a peer flooding a session that is not reading fills only the read-ahead, not memory', async () => {
    const transport = new TcpTransport({ maxBufferedBytes: 1 << 20 });
    let channel: TcpChannel | undefined;
    let release!: () => void;
    const listener = track(
      await transport.listen({ port: 0 }, async (c) => {
        channel = c as TcpChannel;
        await new Promise<void>((resolve) => (release = resolve));
      }),
    );
    const socket = track(await rawSocket(listener.address.port));
    const flood = encodeFrames(new Uint8Array(32 << 20), 1 << 20);
    socket.write(flood);
    await waitFor(() => channel !== undefined && channel.receivedBytes > 0, 'the first bytes');
    await sleep(300);
    // 256 KiB of read-ahead under the listener's budget, plus at most one socket read (64 KiB).
    assert.ok(channel!.receivedBytes <= (256 + 64) * 1024, `${channel!.receivedBytes} bytes held`);
    release();
  });

  it('sessions together hold at most maxTotalBufferedBytes (plus read-ahead), and all of them complete', async () => {
    const message = 1 << 20;
    const transport = new TcpTransport({ maxBufferedBytes: message, maxTotalBufferedBytes: (3 * message) / 2 });
    const channels: TcpChannel[] = [];
    let maxReserved = 0;
    let maxHeld = 0;
    const listener = track(
      await transport.listen({ port: 0 }, async (channel) => {
        channels.push(channel as TcpChannel);
        const received = await channel.recv(message);
        await channel.send(received.subarray(0, 32).slice());
      }),
    );
    const sample = setInterval(() => {
      maxReserved = Math.max(maxReserved, listener.reservedBytes);
      maxHeld = Math.max(maxHeld, channels.reduce((sum, c) => sum + c.receivedBytes, 0));
    }, 1);
    try {
      const payloads = Array.from({ length: 4 }, () => randomBytes(message));
      const results = await Promise.all(
        payloads.map(async (payload) => {
          const client = track(await transport.connect(listener.address));
          await client.send(payload.slice());
          return bytesEqual(await client.recv(32), payload.subarray(0, 32));
        }),
      );
      assert.deepEqual(results, [true, true, true, true]);
    } finally {
      clearInterval(sample);
    }
    assert.ok(maxReserved <= (3 * message) / 2, `reserved ${maxReserved}`);
    assert.ok(maxReserved >= message, 'the sessions did reserve');
    assert.ok(maxHeld <= (3 * message) / 2 + 4 * (256 + 64) * 1024, `held ${maxHeld} bytes at once`);
    assert.equal(listener.reservedBytes, 0, 'every reservation returned');
  });
});

describe('tcp channel: a peer that stops reading', () => {
  it('a send the peer does not read fails after the idle timeout instead of holding the session', async () => {
    const transport = new TcpTransport({ idleTimeoutMs: 300 });
    const outcome: Promise<unknown>[] = [];
    const listener = track(await transport.listen({ port: 0 }, (channel) => void outcome.push(channel.send(new Uint8Array(64 << 20)).then(() => 'sent', (e: unknown) => e))));
    const socket = track(await rawSocket(listener.address.port));
    socket.pause(); // reads nothing
    await waitFor(() => outcome.length === 1, 'the session');
    const error = (await outcome[0]) as Error;
    assert.ok(error instanceof TransportError && /the peer read nothing for 300 ms \(\d+ bytes waiting to go out\); it is stalled or gone/.test(error.message), String(error));
  });

  it('a slow reader that keeps reading is not a stalled one', async () => {
    const transport = new TcpTransport({ idleTimeoutMs: 300, maxFrameBytes: 1 << 20 });
    const { client, server, close } = track(await transport.pair());
    const data = randomBytes(24 << 20);
    const sending = server.send(data.slice());
    const parts: Uint8Array[] = [];
    // 24 MiB in 1 MiB pieces, 60 ms apart: over a second in all, never 300 ms without progress.
    for (let i = 0; i < 24; i++) {
      parts.push((await client.recv(1 << 20)).slice());
      await sleep(60);
    }
    await sending;
    assert.ok(bytesEqual(Buffer.concat(parts), data));
    await close();
  });
});

describe('receive budget', () => {
  it('grants all-or-nothing in arrival order, never beyond its capacity, and every wait ends (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ bytes: fc.integer({ min: 0, max: 100 }), abort: fc.boolean() }), { minLength: 1, maxLength: 12 }), async (requests) => {
        const budget = new ReceiveBudget(100);
        const controllers = requests.map(() => new AbortController());
        const granted: number[] = [];
        const settled = requests.map(({ bytes }, i) =>
          budget.reserve(bytes, controllers[i]!.signal).then(
            () => {
              assert.ok(budget.reserved <= budget.capacity, `${budget.reserved} reserved`);
              granted.push(i);
            },
            () => {},
          ),
        );
        requests.forEach(({ abort }, i) => abort && controllers[i]!.abort(new Error('gone')));
        // Holders give their bytes back one at a time, in the order they got them.
        for (let released = 0; ; released++) {
          await sleep(0);
          if (released >= granted.length) break;
          budget.release(requests[granted[released]!]!.bytes);
        }
        await Promise.all(settled);
        requests.forEach((_, i) => assert.ok(granted.includes(i) || controllers[i]!.signal.aborted, `request ${i} neither granted nor aborted`));
        assert.deepEqual(granted, [...granted].sort((a, b) => a - b), 'arrival order');
        assert.equal(budget.reserved, 0);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a reservation larger than its capacity', async () => {
    await assert.rejects(new ReceiveBudget(10).reserve(11, new AbortController().signal), RangeError);
  });
});

describe('refusal frames', () => {
  it('carry the reason to the decoder, split anywhere; nothing after them is decoded', () => {
    const reason = 'busy: 8 sessions running — try again later';
    const wire = Buffer.concat([refusalFrame(reason), encodeFrames(Uint8Array.of(1, 2, 3), 10)]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const reasons: string[] = [];
      const payload: Uint8Array[] = [];
      const decoder = new FrameDecoder('test', 1 << 20, (p) => payload.push(p), (r) => reasons.push(r));
      decoder.push(wire.subarray(0, cut));
      decoder.push(wire.subarray(cut));
      assert.deepEqual(reasons, [reason]);
      assert.deepEqual(payload, []);
    }
  });

  it('a refusal longer than the limit is a malformed frame; a long reason is cut to fit', () => {
    const header = refusalFrame('x').subarray(0, 8);
    header.writeUInt32BE(MAX_REFUSAL_BYTES + 1, 4);
    assert.throws(() => new FrameDecoder('test', 1 << 20, () => {}).push(header), /refusal of 1025 bytes \(at most 1024\)/);
    assert.equal(refusalFrame('é'.repeat(2000)).length, 8 + 1024);
  });
});
