/**
 * Clients that misbehave towards an inference server on TCP, each in one way, for the service
 * tests and the serving feature. Each waits for the server's announcement (the server speaks
 * first), misbehaves, and returns; the server's log then says what it saw.
 */
import type net from 'node:net';
import { Worker } from 'node:worker_threads';
import { recvJson, sendJson } from '../../core/inference/messages.ts';
import { encodeFrames, frameHeader } from '../../plugins/transport-tcp/frame.ts';
import { TcpTransport } from '../../plugins/transport-tcp/tcp-transport.ts';
import { rawSocket } from '../tcp-helpers.ts';

/** A raw socket to `port`, once the server's announcement has arrived. */
async function afterAnnouncement(port: number): Promise<net.Socket> {
  const socket = await rawSocket(port);
  await new Promise((resolve) => socket.once('data', resolve));
  return socket;
}

export interface HostileClient {
  readonly name: string;
  /** What the server's logged error says (a pattern of its message). */
  readonly cause: RegExp;
  /** `idleTimeoutMs`: the server's, for the message of a silent peer. */
  run(port: number): Promise<void>;
}

export function hostileClients(idleTimeoutMs: number, maxFrameBytes: number): HostileClient[] {
  return [
    {
      name: 'sends garbage instead of frames',
      cause: /malformed frame header 474554202f204854: bad magic/,
      run: async (port) => void (await afterAnnouncement(port)).end('GET / HTTP/1.1\r\n\r\n'),
    },
    {
      name: 'stops in the middle of a frame',
      cause: /closed the connection in the middle of a frame \(received 10 of 100 payload bytes\): truncated frame/,
      // A frame of 100 bytes that starts a 50-byte reply, cut after 10.
      run: async (port) => void (await afterAnnouncement(port)).end(Buffer.concat([frameHeader(100), Buffer.from([50, 0, 0, 0]), Buffer.alloc(6)])),
    },
    {
      name: 'announces a frame larger than the server accepts',
      cause: new RegExp(`incoming frame of 4294967280 bytes exceeds maxFrameBytes = ${maxFrameBytes}`),
      run: async (port) => void (await afterAnnouncement(port)).write(frameHeader(0xffff_fff0)),
    },
    {
      name: 'announces a message of 4 GB',
      cause: /client reply: the peer announces 4294967280 bytes, more than the 1048576 allowed/,
      run: async (port) => {
        const length = Buffer.alloc(4);
        length.writeUInt32LE(0xffff_fff0);
        (await afterAnnouncement(port)).write(encodeFrames(length, 1024));
      },
    },
    {
      name: "says nothing after the server's announcement",
      cause: new RegExp(`no data for ${idleTimeoutMs} ms while waiting for 4 bytes \\(have 0\\); the peer is stalled or gone`),
      run: async (port) => void (await afterAnnouncement(port)),
    },
    {
      name: 'answers in another protocol version',
      cause: /the client speaks protocol "gazelle-inference\/0"; this server speaks gazelle-inference\/1/,
      run: async (port) => {
        const channel = await new TcpTransport().connect({ port });
        const theirs = (await recvJson(channel, 1 << 20, 'announcement')) as { architectureFingerprint: string };
        await sendJson(channel, { protocol: 'gazelle-inference/0', reveal: 'logits', architectureFingerprint: theirs.architectureFingerprint });
        await channel.close();
      },
    },
  ];
}

/**
 * A server that says `announcement` (as the inference server's first message) to every client,
 * then waits for the client to leave. It runs in a worker thread, so that it answers while this
 * thread is blocked (a step running the CLI synchronously).
 */
export async function scriptedServer(announcement: unknown): Promise<{ port: number; close: () => Promise<void> }> {
  const json = Buffer.from(JSON.stringify(announcement));
  const message = Buffer.alloc(4 + json.length);
  message.writeUInt32LE(json.length);
  json.copy(message, 4);
  const worker = new Worker(
    `const net = require('node:net');
     const { parentPort, workerData } = require('node:worker_threads');
     const server = net.createServer((socket) => {
       socket.on('error', () => {});
       socket.resume();
       socket.write(Buffer.from(workerData));
     });
     server.listen({ host: '127.0.0.1', port: 0 }, () => parentPort.postMessage(server.address().port));`,
    { eval: true, workerData: encodeFrames(message, 1 << 20) },
  );
  const port = await new Promise<number>((resolve, reject) => worker.once('message', resolve).once('error', reject));
  return { port, close: async () => void (await worker.terminate()) };
}
