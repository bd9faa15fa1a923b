import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { bytesEqual, randomBytes } from '../../core/bytes.ts';
import { parseConfig } from '../../core/config.ts';
import { wire } from '../../core/container.ts';
import { ConfigError, TransportError } from '../../core/errors.ts';
import { builtinRegistry } from '../index.ts';
import { channelContract } from '../../test/channel-contract.ts';
import { closeAfterEach } from '../../test/cleanup.ts';
import { rawSocket, serve, unresponsiveServer, waitFor, writeInChunks } from '../../test/tcp-helpers.ts';
import { FRAME_HEADER_BYTES, encodeFrames, frameHeader } from './frame.ts';
import plugin from './index.ts';
import { DEFAULT_TCP_OPTIONS } from './tcp-options.ts';
import { TcpTransport } from './tcp-transport.ts';

channelContract('tcp', (options) => new TcpTransport(options));

const track = closeAfterEach();

const isTransportError = (pattern: RegExp) => (e: Error) => e instanceof TransportError && pattern.test(e.message);

describe('tcp transport: framing', () => {
  it('splits a large send into frames of at most maxFrameBytes', async () => {
    const received: Buffer[] = [];
    const server = track(net.createServer((socket) => socket.on('data', (chunk) => received.push(chunk))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const channel = track(await new TcpTransport({ maxFrameBytes: 1000 }).connect({ port: (server.address() as net.AddressInfo).port }));
    const data = new Uint8Array(10_500).map((_, i) => i);
    await channel.send(data.slice());
    await channel.close();
    await new Promise((resolve) => server.close(resolve));
    const wire = Buffer.concat(received);
    const lengths: number[] = [];
    for (let offset = 0; offset < wire.length; offset += FRAME_HEADER_BYTES + lengths.at(-1)!) {
      lengths.push(wire.readUInt32BE(offset + 4));
    }
    assert.deepEqual(lengths, [...Array(10).fill(1000), 500]);
    assert.ok(bytesEqual(wire, encodeFrames(data, 1000)));
  });

  it('flush resolves once everything sent has reached the kernel', async () => {
    const { client, server, close } = track(await new TcpTransport().pair());
    const data = randomBytes(5_000_000);
    const receiving = server.recv(data.length);
    await client.send(data.slice());
    await client.flush();
    assert.equal(client.bufferedBytes, 0);
    assert.equal(Buffer.compare(await receiving, data), 0);
    await client.close();
    await client.flush(); // after close: nothing left to flush
    await close();
  });

  it('frames survive arbitrary fragmentation of the TCP stream, with delays (property)', async () => {
    const inbox: { expected: Uint8Array[]; result: (ok: boolean | Error) => void }[] = [];
    const transport = new TcpTransport({ maxFrameBytes: 512, idleTimeoutMs: 2000 });
    const listener = track(
      await transport.listen({ port: 0 }, async (channel) => {
        const job = inbox.shift()!;
        try {
          let ok = true;
          for (const m of job.expected) ok &&= bytesEqual(await channel.recv(m.length), m);
          job.result(ok);
        } catch (error) {
          job.result(error as Error);
        }
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 1500 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 512 }),
        fc.array(fc.record({ size: fc.integer({ min: 1, max: 700 }), delayMs: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 1,
          maxLength: 20,
        }),
        async (messages, frameBytes, chunking) => {
          const outcome = new Promise<boolean | Error>((result) => inbox.push({ expected: messages, result }));
          const wire = Buffer.concat(messages.map((m) => encodeFrames(m, frameBytes)));
          const socket = track(await rawSocket(listener.address.port));
          await writeInChunks(socket, wire, chunking);
          assert.equal(await outcome, true);
          socket.destroy();
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('tcp transport: failures are TransportErrors', () => {
  it('a peer that closes in the middle of a frame: truncated frame', async () => {
    const { listener, port, outcomes } = track(await serve(new TcpTransport(), async (channel) => void (await channel.recv(100))));
    const socket = track(await rawSocket(port));
    socket.end(Buffer.concat([frameHeader(100), Buffer.alloc(10)]));
    const error = (await outcomes[0]) as Error;
    assert.ok(isTransportError(/closed the connection in the middle of a frame \(received 10 of 100 payload bytes\): truncated frame/)(error), error.message);
    await listener.close();
  });

  it('a peer that closes inside a frame header: truncated frame', async () => {
    const { listener, port, outcomes } = track(await serve(new TcpTransport(), async (channel) => void (await channel.recv(1))));
    const socket = track(await rawSocket(port));
    socket.end(frameHeader(5).subarray(0, 3));
    const error = (await outcomes[0]) as Error;
    assert.ok(isTransportError(/received 3 of 8 header bytes\): truncated frame/)(error), error.message);
    await listener.close();
  });

  it('a malformed frame header (not this protocol)', async () => {
    const { listener, port, outcomes } = track(await serve(new TcpTransport(), async (channel) => void (await channel.recv(4))));
    const socket = track(await rawSocket(port));
    socket.write('GET / HTTP/1.1\r\n\r\n');
    const error = (await outcomes[0]) as Error;
    assert.ok(isTransportError(/malformed frame header 474554202f204854: bad magic/)(error), error.message);
    socket.destroy();
    await listener.close();
  });

  for (const [what, patch, pattern] of [
    ['an unknown version', (h: Buffer) => void (h[2] = 9), /unsupported version 9/],
    ['an unknown frame type', (h: Buffer) => void (h[3] = 2), /unknown frame type 2/],
    ['an empty frame', (h: Buffer) => void h.writeUInt32BE(0, 4), /empty frame/],
  ] as const) {
    it(`a frame header with ${what} is malformed`, async () => {
      const { listener, port, outcomes } = track(await serve(new TcpTransport(), async (channel) => void (await channel.recv(4))));
      const socket = track(await rawSocket(port));
      const header = frameHeader(4);
      patch(header);
      socket.write(header);
      assert.ok(isTransportError(pattern)((await outcomes[0]) as Error));
      socket.destroy();
      await listener.close();
    });
  }

  it('a frame over the receiver`s maxFrameBytes (peer configured with a larger limit)', async () => {
    const { listener, port, outcomes } = track(await serve(new TcpTransport({ maxFrameBytes: 1024 }), async (channel) => void (await channel.recv(4096))));
    const client = track(await new TcpTransport({ maxFrameBytes: 4096 }).connect({ port }));
    await client.send(new Uint8Array(4096));
    const error = (await outcomes[0]) as Error;
    assert.ok(isTransportError(/incoming frame of 4096 bytes exceeds maxFrameBytes = 1024/)(error), error.message);
    // The server dropped the connection: the client's next recv fails too, it does not hang.
    await assert.rejects(client.recv(1), TransportError);
    await client.close();
    await listener.close();
  });

  it('a peer that resets the connection mid-message: the pending recv fails', async () => {
    const { listener, port, outcomes } = track(await serve(new TcpTransport(), async (channel) => void (await channel.recv(100))));
    const socket = track(await rawSocket(port));
    socket.write(encodeFrames(new Uint8Array(10), 100));
    await waitFor(() => listener.sessions.active === 1, 'the server to accept');
    socket.resetAndDestroy();
    const error = (await outcomes[0]) as Error;
    // Linux reports an RST that races the read as ECONNRESET or as end of stream: both must fail cleanly.
    assert.ok(isTransportError(/(connection lost \(ECONNRESET\)|the peer closed the connection) \(had 10 of 100 bytes: truncated message\)/)(error), error.message);
    await listener.close();
  });

  it('a send blocked on back-pressure fails when the peer resets the connection', async () => {
    const server = track(net.createServer((socket) => {
      socket.pause(); // read nothing, so the sender blocks, then reset
      setTimeout(() => socket.resetAndDestroy(), 50);
    }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const channel = track(await new TcpTransport().connect({ port: (server.address() as net.AddressInfo).port }));
    await assert.rejects(channel.send(new Uint8Array(64 * 1024 * 1024)), isTransportError(/connection lost \((ECONNRESET|EPIPE)\)/));
    await assert.rejects(channel.send(new Uint8Array(1)), isTransportError(/cannot send: .*connection lost/));
    await channel.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('listening on a port in use, or a port out of range', async () => {
    const transport = new TcpTransport();
    const first = track(await transport.listen({ port: 0 }, () => {}));
    await assert.rejects(transport.listen({ port: first.address.port }, () => {}), isTransportError(/cannot listen on 127\.0\.0\.1:\d+: the address is in use/));
    await first.close();
    await assert.rejects(transport.listen({ port: 65536 }, () => {}), RangeError);
    await assert.rejects(transport.connect({ port: 0 }), RangeError);
  });

  it('connect to a port where nothing listens: connection refused', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await assert.rejects(new TcpTransport().connect({ port }), isTransportError(/cannot connect to 127\.0\.0\.1:\d+: connection refused/));
  });

  it('connect to a server that never answers: timeout', async () => {
    const blackhole = await unresponsiveServer();
    try {
      await assert.rejects(
        new TcpTransport({ connectTimeoutMs: 100 }).connect({ port: blackhole.port }),
        isTransportError(/connect to 127\.0\.0\.1:\d+ timed out after 100 ms/),
      );
    } finally {
      await blackhole.release();
    }
  });

  it('a send larger than the buffers waits for the receiver (back-pressure), then completes', async () => {
    const { client, server, close } = track(await new TcpTransport().pair());
    const data = randomBytes(64 * 1024 * 1024);
    let sent = false;
    const sending = client.send(data.slice()).then(() => void (sent = true));
    await sleep(100);
    assert.equal(sent, false, 'the send resolved although the receiver holds only its buffers');
    const received = await server.recv(data.length);
    await sending;
    assert.equal(Buffer.compare(received, data), 0);
    await close();
  });
});

describe('tcp transport: sessions are independent', () => {
  it('keeps serving good sessions while another sends garbage', async () => {
    const errors: string[] = [];
    const listener = track(
      await new TcpTransport({ idleTimeoutMs: 2000 }).listen(
        { port: 0 },
        async (channel) => {
          const n = (await channel.recv(1))[0]!;
          const body = await channel.recv(n);
          await channel.send(body.map((b) => b ^ 0xff));
        },
        { onSessionError: (error) => void errors.push((error as Error).message) },
      ),
    );
    const transport = new TcpTransport();
    const good = track(await transport.connect(listener.address));
    await good.send(Uint8Array.of(3, 1, 2)); // a session in progress ...
    const garbage = track(await rawSocket(listener.address.port));
    garbage.write(Buffer.from('\x00\x01 definitely not a frame header'));
    await new Promise((resolve) => garbage.once('close', resolve)); // ... the server drops the bad one
    await good.send(Uint8Array.of(3));
    assert.deepEqual([...(await good.recv(3))], [0xfe, 0xfd, 0xfc]);
    const later = track(await transport.connect(listener.address));
    await later.send(Uint8Array.of(1, 7));
    assert.deepEqual([...(await later.recv(1))], [0xf8]);
    await Promise.all([good.close(), later.close()]);
    await waitFor(() => listener.sessions.active === 0, 'the sessions to end');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /malformed frame header/);
    assert.deepEqual(listener.sessions, { active: 0, completed: 2, failed: 1, refused: 0 });
    await listener.close();
  });

  it('closing the listener ends open sessions: their pending recv fails', async () => {
    const { listener, port, outcomes } = track(await serve(new TcpTransport(), async (channel) => void (await channel.recv(1))));
    const client = track(await new TcpTransport().connect({ port }));
    await waitFor(() => listener.sessions.active === 1, 'the server to accept');
    await listener.close();
    assert.ok(isTransportError(/closed locally/)((await outcomes[0]) as Error));
    await assert.rejects(client.recv(1), isTransportError(/peer closed/));
    await client.close();
  });
});

describe('tcp transport plugin', () => {
  it('is registered as a semi-honest transport and takes its options from the configuration', () => {
    const transport = plugin.create({ maxFrameBytes: 2048, idleTimeoutMs: 5, connectTimeoutMs: 7 }, undefined as never) as TcpTransport;
    assert.equal(transport.name, 'tcp');
    assert.equal(plugin.security, 'semi-honest');
    assert.deepEqual(transport.options, { ...DEFAULT_TCP_OPTIONS, maxFrameBytes: 2048, idleTimeoutMs: 5, connectTimeoutMs: 7 });
  });

  it('is selected and configured from a configuration file`s plugins.transport entry', async () => {
    const options = { maxFrameBytes: 65536, idleTimeoutMs: 30000, connectTimeoutMs: 2000, maxSessions: 3, maxBufferedBytes: 1 << 20, maxTotalBufferedBytes: 2 << 20 };
    const wiring = await wire(parseConfig({ plugins: { transport: { name: 'tcp', options } } }), builtinRegistry(), ['transport']);
    const transport = wiring.get('transport');
    assert.ok(transport instanceof TcpTransport);
    assert.deepEqual(transport.options, options);
    await wiring.dispose();
    const bad = parseConfig({ plugins: { transport: { name: 'tcp', options: { idleTimeoutMs: 'soon' } } } });
    await assert.rejects(wire(bad, builtinRegistry(), ['transport']), (e: Error) => e instanceof ConfigError && /"idleTimeoutMs"/.test(e.message));
  });

  for (const bad of [
    { maxFrameBytes: 0 },
    { maxFrameBytes: 2 ** 32 },
    { idleTimeoutMs: 1.5 },
    { connectTimeoutMs: '10' },
    { frameSize: 1 },
    { maxSessions: 0 },
    { maxBufferedBytes: 100 },
    { maxBufferedBytes: 1 << 20, maxTotalBufferedBytes: 1 << 19 },
  ]) {
    it(`rejects ${JSON.stringify(bad)} with a ConfigError`, () => {
      assert.throws(() => plugin.create(bad, undefined as never), ConfigError);
    });
  }
});
