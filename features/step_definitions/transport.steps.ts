import { After, Given, Then, When, type DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type net from 'node:net';
import { bytesEqual, randomBytes, toHex } from '../../core/bytes.ts';
import type { Channel } from '../../core/channel.ts';
import { CountingChannel, type TrafficStats } from '../../core/channel/counting.ts';
import { ShapingChannel } from '../../core/channel/shaping.ts';
import { AesCtrPrg } from '../../core/crypto/aes.ts';
import { TransportError } from '../../core/errors.ts';
import { parseConfig } from '../../core/config.ts';
import { wire } from '../../core/container.ts';
import type { PluginOptions } from '../../core/plugin.ts';
import type { ChannelPair, Transport } from '../../core/transport.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { encodeFrames, frameHeader } from '../../plugins/transport-tcp/frame.ts';
import { TcpTransport, type TcpListener } from '../../plugins/transport-tcp/tcp-transport.ts';
import { rawSocket, serve, unresponsiveServer, waitFor, writeInChunks } from '../../test/tcp-helpers.ts';
import type { GazelleWorld } from '../support/world.ts';

/** Everything a transport scenario opened, closed after it whatever happened. */
interface TransportScenario {
  pair?: ChannelPair;
  counted?: { client: CountingChannel; server: CountingChannel };
  listener?: TcpListener;
  outcomes?: Promise<unknown>[];
  sockets: net.Socket[];
  cleanups: (() => Promise<void>)[];
  expected?: Uint8Array[];
  seed?: string;
  connecting?: Promise<unknown>;
  session?: Channel;
  elapsedMs?: number;
  /** Uniform integer in [0, n), from a PRG whose seed is in `seed`. */
  uniform?: (n: number) => number;
  blackholePort?: number;
  shaped?: { client: Channel; server: Channel };
}

const KEY = 'transport.scenario';
function scenario(world: GazelleWorld): TransportScenario {
  let s = world.state.get(KEY) as TransportScenario | undefined;
  if (!s) world.state.set(KEY, (s = { sockets: [], cleanups: [] }));
  return s;
}

/** The transport plugin `name` with `options`, through the wiring; released after the scenario. */
async function transport(world: GazelleWorld, name: 'tcp' | 'in-memory', options: PluginOptions = {}): Promise<Transport> {
  const wiring = await wire(parseConfig({ plugins: { transport: { name, options } } }), builtinRegistry(), ['transport']);
  scenario(world).cleanups.push(() => wiring.dispose());
  return wiring.get('transport');
}

/** The `tcp` plugin with `options`, as its own class: the scenarios read its listeners' session counts. */
async function tcp(world: GazelleWorld, options: PluginOptions = {}): Promise<TcpTransport> {
  const wired = await transport(world, 'tcp', options);
  assert.ok(wired instanceof TcpTransport, `the tcp plugin is a ${wired.constructor.name}`);
  return wired;
}

After(async function (this: GazelleWorld) {
  const s = this.state.get(KEY) as TransportScenario | undefined;
  if (!s) return;
  for (const socket of s.sockets) socket.destroy();
  await s.pair?.close();
  await s.listener?.close();
  for (const cleanup of s.cleanups) await cleanup();
});

function transportError(error: unknown, text: string): void {
  assert.ok(error instanceof TransportError, `expected a TransportError, got ${String(error)}`);
  assert.ok(error.message.includes(text), `the message "${error.message}" does not say "${text}"`);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('expected a failure, but it succeeded'),
    (error: unknown) => error,
  );
}

// --- counting -----------------------------------------------------------------------------------

Given('a TCP channel pair counted at both ends', async function (this: GazelleWorld) {
  const s = scenario(this);
  s.pair = await (await tcp(this, { idleTimeoutMs: 2000 })).pair();
  s.counted = { client: new CountingChannel(s.pair.client), server: new CountingChannel(s.pair.server) };
});

When('the parties exchange these messages:', async function (this: GazelleWorld, table: DataTable) {
  const { client, server } = scenario(this).counted!;
  for (const { label, from, bytes } of table.hashes() as { label: string; from: string; bytes: string }[]) {
    client.setLabel(label);
    server.setLabel(label);
    const [sender, receiver] = from === 'client' ? [client, server] : [server, client];
    const message = randomBytes(Number(bytes));
    await sender.send(message.slice());
    assert.ok(bytesEqual(await receiver.recv(message.length), message));
  }
});

function row(stats: TrafficStats): number[] {
  return [stats.sent.bytes, stats.sent.messages, stats.received.bytes, stats.received.messages, stats.rounds];
}

Then('the client counts:', function (this: GazelleWorld, table: DataTable) {
  const stats = scenario(this).counted!.client.stats();
  for (const r of table.hashes()) {
    const expected = ['sent bytes', 'sent messages', 'received bytes', 'received messages', 'rounds'].map((k) => Number(r[k]));
    const actual = r.label === 'total' ? stats.total : stats.byLabel[r.label!];
    assert.ok(actual, `no counts under label ${r.label}`);
    assert.deepEqual(row(actual), expected, `counts under ${r.label}`);
  }
});

Then("the server counts the mirror image of the client's counts", function (this: GazelleWorld) {
  const { client, server } = scenario(this).counted!;
  const mirror = (t: TrafficStats): TrafficStats => ({ sent: t.received, received: t.sent, rounds: t.rounds });
  const c = client.stats();
  const s = server.stats();
  assert.deepEqual(s.total, mirror(c.total));
  assert.deepEqual(Object.keys(s.byLabel).sort(), Object.keys(c.byLabel).sort());
  for (const label of Object.keys(c.byLabel)) assert.deepEqual(s.byLabel[label], mirror(c.byLabel[label]!), label);
});

// --- fragmentation -------------------------------------------------------------------------------

Given('a TCP server that accepts frames of at most {int} bytes', async function (this: GazelleWorld, maxFrameBytes: number) {
  const s = scenario(this);
  const seed = randomBytes(16);
  s.seed = toHex(seed);
  const prg = new AesCtrPrg(seed);
  s.uniform = (n) => {
    const b = prg.next(4);
    return ((b[0]! | (b[1]! << 8) | (b[2]! << 16)) >>> 0) % n;
  };
  const served = await serve(await tcp(this, { maxFrameBytes, idleTimeoutMs: 3000 }), async (channel) => {
    for (const m of s.expected!) assert.ok(bytesEqual(await channel.recv(m.length), m), `a message differs (seed ${s.seed})`);
  });
  s.listener = served.listener;
  s.outcomes = served.outcomes;
});

When(
  'a raw socket writes {int} random messages of up to {int} bytes as frames, cut into random chunks of {int} to {int} bytes with random delays',
  async function (this: GazelleWorld, count: number, maxBytes: number, minChunk: number, maxChunk: number) {
    const s = scenario(this);
    const uniform = s.uniform!;
    s.expected = Array.from({ length: count }, () => randomBytes(1 + uniform(maxBytes)));
    // Senders may use any frame size up to the receiver's limit: vary it per message.
    const wire = Buffer.concat(s.expected.map((m) => encodeFrames(m, 1 + uniform(300))));
    const chunking = Array.from({ length: 64 }, () => ({ size: minChunk + uniform(maxChunk - minChunk + 1), delayMs: uniform(8) === 0 ? 1 : 0 }));
    const socket = await rawSocket(s.listener!.address.port);
    s.sockets.push(socket);
    await writeInChunks(socket, wire, chunking);
  },
);

Then('the server reads exactly those messages', async function (this: GazelleWorld) {
  const s = scenario(this);
  assert.equal(await s.outcomes![0], 'ok', `seed ${s.seed}`);
});

// --- misbehaving peers ---------------------------------------------------------------------------

Given(
  'a TCP server with an idle timeout of {int} ms and frames of at most {int} bytes, whose sessions wait for {int} bytes',
  async function (this: GazelleWorld, idleTimeoutMs: number, maxFrameBytes: number, length: number) {
    const s = scenario(this);
    const served = await serve(await tcp(this, { idleTimeoutMs, maxFrameBytes }), async (channel) => void (await channel.recv(length)));
    s.listener = served.listener;
    s.outcomes = served.outcomes;
  },
);

const MISBEHAVIOURS: Record<string, (socket: net.Socket) => void> = {
  'sends a frame header announcing 100 bytes, 10 bytes, then closes': (socket) =>
    void socket.end(Buffer.concat([frameHeader(100), Buffer.alloc(10)])),
  'sends "GET / HTTP/1.1"': (socket) => void socket.write('GET / HTTP/1.1\r\n\r\n'),
  'sends a frame header announcing 2048 bytes': (socket) => void socket.write(frameHeader(2048)),
  'sends a 10-byte frame, then disconnects': (socket) => void socket.end(encodeFrames(new Uint8Array(10), 1024)),
  'connects and sends nothing': () => {},
};

When(/^a raw peer (.+)$/, async function (this: GazelleWorld, misbehaviour: string) {
  const s = scenario(this);
  const act = MISBEHAVIOURS[misbehaviour];
  assert.ok(act, `unknown misbehaviour "${misbehaviour}"`);
  const socket = await rawSocket(s.listener!.address.port);
  s.sockets.push(socket);
  act(socket);
});

Then('the session fails with a TransportError saying {string}', async function (this: GazelleWorld, text: string) {
  transportError(await scenario(this).outcomes![0], text);
});

// --- connecting ----------------------------------------------------------------------------------

When('a client connects to a port where nothing listens', async function (this: GazelleWorld) {
  const s = scenario(this);
  // Bind a port, then free it: nothing listens there now.
  const client = await tcp(this);
  const probe = await client.listen({ port: 0 }, () => {});
  await probe.close();
  s.connecting = rejection(client.connect({ port: probe.address.port }));
});

Given('a server that completes no more TCP handshakes', async function (this: GazelleWorld) {
  const s = scenario(this);
  const server = await unresponsiveServer();
  s.cleanups.push(server.release);
  s.blackholePort = server.port;
});

When('a client connects to it with a connect timeout of {int} ms', async function (this: GazelleWorld, connectTimeoutMs: number) {
  const s = scenario(this);
  s.connecting = rejection((await tcp(this, { connectTimeoutMs })).connect({ port: s.blackholePort! }));
});

Then('the connect fails with a TransportError saying {string}', async function (this: GazelleWorld, text: string) {
  transportError(await scenario(this).connecting, text);
});

// --- close ---------------------------------------------------------------------------------------

Given('a TCP channel pair', async function (this: GazelleWorld) {
  scenario(this).pair = await (await tcp(this, { idleTimeoutMs: 2000 })).pair();
});

When('the client closes its channel', async function (this: GazelleWorld) {
  await scenario(this).pair!.client.close();
});

Then('a send on the client fails with a TransportError saying {string}', async function (this: GazelleWorld, text: string) {
  transportError(await rejection(scenario(this).pair!.client.send(new Uint8Array(1))), text);
});

Then('a recv on the server fails with a TransportError saying {string}', async function (this: GazelleWorld, text: string) {
  transportError(await rejection(scenario(this).pair!.server.recv(1)), text);
});

// --- independent sessions ------------------------------------------------------------------------

/** Echo protocol: a length byte, then that many bytes, answered inverted. */
async function echo(channel: Channel): Promise<void> {
  const n = (await channel.recv(1))[0]!;
  const body = await channel.recv(n);
  await channel.send(body.map((b) => b ^ 0xff));
}

Given('a TCP echo server', async function (this: GazelleWorld) {
  const s = scenario(this);
  const served = await serve(await tcp(this, { idleTimeoutMs: 3000 }), echo);
  s.listener = served.listener;
  s.outcomes = served.outcomes;
});

When('a client starts a session', async function (this: GazelleWorld) {
  const s = scenario(this);
  s.session = await (await tcp(this)).connect(s.listener!.address);
  s.cleanups.push(() => s.session!.close());
  await s.session.send(Uint8Array.of(3, 10, 20)); // length and part of the body; the rest comes later
});

When('a raw socket sends garbage to the server', async function (this: GazelleWorld) {
  const s = scenario(this);
  const socket = await rawSocket(s.listener!.address.port);
  s.sockets.push(socket);
  socket.write('\u0000\u0001 definitely not a frame header');
});

Then('the server drops the garbage connection', async function (this: GazelleWorld) {
  const s = scenario(this);
  const socket = s.sockets.at(-1)!;
  if (!socket.closed) await new Promise((resolve) => socket.once('close', resolve));
  transportError(await s.outcomes![1], 'malformed frame header');
});

Then("the client's session completes", async function (this: GazelleWorld) {
  const s = scenario(this);
  await s.session!.send(Uint8Array.of(30));
  assert.deepEqual([...(await s.session!.recv(3))], [10 ^ 0xff, 20 ^ 0xff, 30 ^ 0xff]);
  assert.equal(await s.outcomes![0], 'ok');
});

Then('a new session completes', async function (this: GazelleWorld) {
  const s = scenario(this);
  const channel = await (await tcp(this)).connect(s.listener!.address);
  await channel.send(Uint8Array.of(1, 0x0f));
  assert.deepEqual([...(await channel.recv(1))], [0xf0]);
  await channel.close();
  assert.equal(await s.outcomes![2], 'ok');
});

Then('the server counts {int} completed sessions and {int} failed', async function (this: GazelleWorld, completed: number, failed: number) {
  const { listener } = scenario(this);
  await scenario(this).session!.close(); // the first session ends when its client leaves
  await waitFor(() => listener!.sessions.active === 0, 'the sessions to end');
  assert.deepEqual(listener!.sessions, { active: 0, completed, failed, refused: 0 });
});

// --- shaping -------------------------------------------------------------------------------------

Given(
  'a {word} channel pair shaped to {int} ms one-way latency and {int} MB\\/s',
  async function (this: GazelleWorld, kind: string, latencyMs: number, mbPerSecond: number) {
    const s = scenario(this);
    s.pair = await (await (kind === 'TCP' ? transport(this, 'tcp', { idleTimeoutMs: 3000 }) : transport(this, 'in-memory'))).pair();
    const options = { latencyMs, bandwidthBytesPerSecond: mbPerSecond * 1e6 };
    s.shaped = { client: new ShapingChannel(s.pair.client, options), server: new ShapingChannel(s.pair.server, options) };
  },
);

When('the client sends {int} MB and the server receives it', async function (this: GazelleWorld, mb: number) {
  const s = scenario(this);
  const { client, server } = s.shaped!;
  const message = randomBytes(mb * 1e6);
  const start = performance.now();
  const [received] = await Promise.all([server.recv(message.length), client.send(message.slice())]);
  s.elapsedMs = performance.now() - start;
  assert.ok(bytesEqual(received, message));
});

Then('the transfer took at least {int} ms and less than {int} ms', function (this: GazelleWorld, atLeast: number, below: number) {
  const { elapsedMs } = scenario(this);
  assert.ok(elapsedMs! >= atLeast && elapsedMs! < below, `took ${elapsedMs!.toFixed(1)} ms`);
});
