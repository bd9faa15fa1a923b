/** Misbehaving TCP peers for the transport tests and features. */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { Channel } from '../core/channel.ts';
import type { TcpListener, TcpTransport } from '../plugins/transport-tcp/tcp-transport.ts';

/** A raw socket connected to `port`, for writing bytes that bypass the framing. */
export async function rawSocket(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => {}); // the server may reset a misbehaving connection
  return socket;
}

/**
 * A listening socket that completes no more handshakes: a worker thread listens with backlog 1,
 * then blocks its event loop; two connections fill the accept queue, so the kernel drops the
 * SYNs of the next one and `connect` waits until its timeout.
 */
export async function unresponsiveServer(): Promise<{ port: number; release: () => Promise<void> }> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const net = require('node:net');
     const { parentPort, workerData } = require('node:worker_threads');
     const server = net.createServer();
     server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       Atomics.wait(workerData, 0, 0, 10000);
     });`,
    { eval: true, workerData: gate },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const fillers = [await rawSocket(port), await rawSocket(port)];
  return {
    port,
    release: async () => {
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
      for (const socket of fillers) socket.destroy();
      await worker.terminate();
    },
  };
}

/** A listener whose sessions run `handler`; `outcomes` yields how each session ended, in accept order. */
export async function serve(
  transport: TcpTransport,
  handler: (channel: Channel) => Promise<void>,
): Promise<{ listener: TcpListener; port: number; outcomes: Promise<unknown>[]; close: () => Promise<void> }> {
  const outcomes: Promise<unknown>[] = [];
  const settle: ((value: unknown) => void)[] = [];
  for (let i = 0; i < 8; i++) outcomes.push(new Promise((resolve) => settle.push(resolve)));
  let n = 0;
  const listener = await transport.listen({ port: 0 }, async (channel) => {
    const done = settle[n++]!;
    try {
      await handler(channel);
      done('ok');
    } catch (error) {
      done(error);
      throw error;
    }
  });
  return { listener, port: listener.address.port, outcomes, close: () => listener.close() };
}

/** Write `bytes` to `socket` in chunks of the given sizes (cycled), sleeping the given ms after each. */
export async function writeInChunks(socket: net.Socket, bytes: Uint8Array, chunking: readonly { size: number; delayMs: number }[]): Promise<void> {
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const { size, delayMs } = chunking[i % chunking.length]!;
    socket.write(bytes.subarray(offset, offset + size));
    offset += size;
    if (delayMs > 0) await sleep(delayMs);
  }
}

/** Poll `condition` every few ms; fails after `timeoutMs` (tests must not hang on a missed event). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(5);
  }
}
