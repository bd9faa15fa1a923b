/**
 * Serving steps: `gazelle serve` as a child process (through the launcher, as an operator runs it),
 * clients in this process (InferenceClient over TCP) or as `gazelle infer --connect` processes, and
 * misbehaving clients from test/support/hostile-clients.ts. Test profile, plaintext HE double.
 */
import { After, Given, Then, When, type DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ServeProcess, type LoggedEvent } from '../../bench/serve-process.ts';
import type { Channel } from '../../core/channel.ts';
import { RecordingChannel } from '../../core/channel/recording.ts';
import { parseConfig } from '../../core/config.ts';
import { SessionRefusedError } from '../../core/errors.ts';
import { InferenceClient, type ClientSession } from '../../core/inference/client.ts';
import { readImageForModel } from '../../core/image/read-image.ts';
import { quantiseInput } from '../../core/model/input.ts';
import type { Model } from '../../core/model/model.ts';
import { randomImages } from '../../core/model/networks.ts';
import { loadModel } from '../../core/model/model-store.ts';
import { referenceInference } from '../../core/model/reference.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { TcpTransport } from '../../plugins/transport-tcp/tcp-transport.ts';
import { findSecrets } from '../../test/support/log-secrets.ts';
import { hostileClients, scriptedServer } from '../../test/support/hostile-clients.ts';
import { PLACEHOLDER } from './cli.steps.ts';
import type { GazelleWorld } from '../support/world.ts';

const KEY = 'serving.scene';
const SLOW = { timeout: 240_000 };
const TEST_PLUGINS = ['--profile', 'test', '--use', 'he=insecure-plain-he'];
const registry = builtinRegistry();
const config = parseConfig({ profile: 'test', plugins: { he: 'insecure-plain-he', transport: { name: 'tcp', options: { idleTimeoutMs: 120_000 } } } });
const transport = new TcpTransport(config.plugins.transport!.options);

interface Scene {
  server?: ServeProcess;
  idleTimeoutMs: number;
  model?: Model;
  /** One client (its HE worker) for the scenario's in-process sessions; a promise, so that sessions opened at once share it. */
  client?: Promise<InferenceClient>;
  /** Channels this scenario opened (closed in After). */
  readonly channels: Channel[];
  checked: number;
  held?: ClientSession;
  recordings: RecordingChannel[];
  inputs: Int32Array[];
  fake?: { port: number; close: () => Promise<void> };
  expectedCauses: string[];
}

function scene(world: GazelleWorld): Scene {
  let s = world.state.get(KEY) as Scene | undefined;
  if (!s) world.state.set(KEY, (s = { channels: [], checked: 0, recordings: [], inputs: [], idleTimeoutMs: 0, expectedCauses: [] }));
  return s;
}

function server(world: GazelleWorld): ServeProcess {
  const s = scene(world).server;
  assert.ok(s, 'no server started in this scenario');
  return s;
}

function client(world: GazelleWorld): Promise<InferenceClient> {
  const s = scene(world);
  s.client ??= InferenceClient.start({ config, registry });
  return s.client;
}

function images(world: GazelleWorld, count: number, seed: string): Int32Array[] {
  const { architecture } = scene(world).model!;
  return randomImages(architecture.input.shape, count, seed).map((image) => quantiseInput(architecture, image));
}

/** Open a session with the server (recorded, for the secrets scan). */
async function open(world: GazelleWorld): Promise<ClientSession> {
  const s = scene(world);
  const channel = await transport.connect({ port: server(world).port });
  s.channels.push(channel);
  const recording = new RecordingChannel(channel, 'client');
  s.recordings.push(recording);
  return (await client(world)).connect(recording);
}

/** Classify `inputs` in `session`, checking each against the reference, then end the session. */
async function classifyChecked(world: GazelleWorld, session: ClientSession, inputs: Int32Array[]): Promise<void> {
  const s = scene(world);
  try {
    for (const x of inputs) {
      const result = await session.classify(x);
      assert.deepEqual(result.logits, referenceInference(s.model!, x).logits, 'logits bit for bit');
      s.inputs.push(x);
      s.checked++;
    }
  } finally {
    await session.close();
  }
}

const ended = (events: readonly LoggedEvent[]) => events.filter((e): e is Extract<LoggedEvent, { event: 'session-end' }> => e.event === 'session-end');
const errors = (events: readonly LoggedEvent[]) => events.filter((e): e is Extract<LoggedEvent, { event: 'session-error' }> => e.event === 'session-error');

Given('"gazelle serve" runs network {string} with {string}', SLOW, async function (this: GazelleWorld, name: string, options: string) {
  const s = scene(this);
  s.model = loadModel(name);
  const args = options.split(/\s+/);
  s.idleTimeoutMs = Number(args[args.indexOf('--idle-timeout') + 1]) * 1000;
  s.server = await ServeProcess.start(['--model', name, '--port', '0', '--workers', '1', ...args, ...TEST_PLUGINS]);
  this.state.set(`${PLACEHOLDER}server`, `127.0.0.1:${s.server.port}`);
});

Given('a server that announces protocol {string}', async function (this: GazelleWorld, protocol: string) {
  // A server of another version, scripted: a version is the first thing a server says.
  const s = scene(this);
  s.fake = await scriptedServer({ protocol });
  this.state.set(`${PLACEHOLDER}server`, `127.0.0.1:${s.fake.port}`);
});

When('two clients classify {int} random images each at the same time', SLOW, async function (this: GazelleWorld, count: number) {
  const sessions = await Promise.all([open(this), open(this)]);
  await Promise.all(sessions.map((session, i) => classifyChecked(this, session, images(this, count, `serving ${i}`))));
});

When(
  'a "gazelle infer --connect" client is killed once the server has its HE keys, while another client classifies {int} random images',
  SLOW,
  async function (this: GazelleWorld, count: number) {
    const s = server(this);
    const good = await open(this);
    const first = s.events.find((e) => e.event === 'session-start')!;
    const victim = spawn(
      process.execPath,
      ['--import', 'tsx', resolve('cli/main.ts'), 'infer', '--connect', `127.0.0.1:${s.port}`, '--image', 'data/mnist/t10k-images-idx3-ubyte.gz:0', ...TEST_PLUGINS],
      { stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    const exited = new Promise((resolve) => victim.once('exit', resolve));
    try {
      await s.waitFor((e) => e.event === 'phase' && e.phase === 'he-keys' && e.session !== (first as { session: string }).session, "the killed client's HE keys");
    } finally {
      victim.kill('SIGKILL');
      await exited;
    }
    await classifyChecked(this, good, images(this, count, 'serving survivor'));
  },
);

When('clients misbehave, each in its own session:', SLOW, async function (this: GazelleWorld, table: DataTable) {
  const s = scene(this);
  const port = server(this).port;
  const known = hostileClients(s.idleTimeoutMs, 4 * 1024 * 1024);
  const rows = table.hashes() as { misbehaviour: string; cause: string }[];
  s.expectedCauses = rows.map((r) => r.cause);
  const clients = rows.map(({ misbehaviour }) => {
    const hostile = known.find((h) => h.name === misbehaviour);
    assert.ok(hostile, `no such misbehaving client: ${misbehaviour}`);
    return hostile;
  });
  // The silent one waits out the idle timeout while the others, one after the other, end theirs (the cap is 3).
  const silent = clients.filter((c) => /says nothing/.test(c.name));
  for (const c of silent) await c.run(port);
  for (const c of clients.filter((c) => !silent.includes(c))) {
    const failed = errors(server(this).events).length;
    await c.run(port);
    await server(this).waitFor(() => errors(server(this).events).length > failed, `the session that ${c.name} to end`);
  }
});

Then("the log shows each session's error with its cause", SLOW, async function (this: GazelleWorld) {
  const s = server(this);
  const causes = scene(this).expectedCauses;
  await s.waitFor(() => errors(s.events).length >= causes.length, `${causes.length} session errors`);
  const messages = errors(s.events).map((e) => e.error.message);
  for (const cause of causes) assert.ok(messages.some((m) => m.includes(cause)), `no logged error says ${cause}; logged: ${messages.join(' | ')}`);
});

Given('{int} clients hold sessions open', SLOW, async function (this: GazelleWorld, count: number) {
  const s = scene(this);
  for (let i = 0; i < count; i++) s.channels.push(await transport.connect({ port: server(this).port }));
  await server(this).waitFor(() => server(this).events.filter((e) => e.event === 'session-start').length >= count, `${count} sessions to start`);
});

Given('a client has set up its session', SLOW, async function (this: GazelleWorld) {
  scene(this).held = await open(this);
  await server(this).waitFor((e) => e.event === 'phase' && e.phase === 'base-ot', 'the session set up');
});

When('the server receives SIGTERM', SLOW, async function (this: GazelleWorld) {
  server(this).child.kill('SIGTERM');
  await server(this).waitFor((e) => e.event === 'draining', 'the server to start draining');
});

Then('a new client is refused with {string}', SLOW, async function (this: GazelleWorld, reason: string) {
  const channel = await transport.connect({ port: server(this).port });
  scene(this).channels.push(channel);
  await assert.rejects((await client(this)).connect(channel), (e: Error) => e instanceof SessionRefusedError && e.message.includes(reason));
});

Then('the running client still classifies {int} random image(s) correctly', SLOW, async function (this: GazelleWorld, count: number) {
  const s = scene(this);
  await classifyChecked(this, s.held!, images(this, count, 'serving draining'));
});

Then('the server exits with code {int} after logging {string}', SLOW, async function (this: GazelleWorld, code: number, event: string) {
  const s = server(this);
  assert.equal((await s.exited).code, code, s.otherLines.join('\n'));
  assert.equal(s.events.at(-1)?.event, event);
});

Then('a client that comes next classifies {int} random image(s) correctly', SLOW, async function (this: GazelleWorld, count: number) {
  await classifyChecked(this, await open(this), images(this, count, 'serving next'));
});

Then('every client got the plaintext reference\'s result bit for bit', function (this: GazelleWorld) {
  // classifyChecked compared each result as it came; here: that there were results.
  assert.ok(scene(this).checked > 0, 'no result was checked');
});

Then('the log shows {int} sessions ended, each with its handshake, HE keys, base OTs and {int} offline and online phases', SLOW, async function (this: GazelleWorld, sessions: number, inferences: number) {
  const s = server(this);
  await s.waitFor(() => ended(s.events).length >= sessions, `${sessions} sessions to end`);
  const expected = ['handshake', 'he-keys', 'base-ot', ...Array.from({ length: inferences }, (_, i) => [`offline${i + 1}`, `online${i + 1}`]).flat()];
  for (const end of ended(s.events)) {
    const phases = s.events.filter((e) => e.event === 'phase' && e.session === end.session).map((e) => (e.event === 'phase' ? `${e.phase}${e.inference ?? ''}` : ''));
    assert.deepEqual(phases, expected);
  }
});

Then("the JSON result is the plaintext reference's for image {string}, with the server's model fingerprint", function (this: GazelleWorld, image: string) {
  const { architecture } = scene(this).model!;
  const expected = referenceInference(scene(this).model!, quantiseInput(architecture, readImageForModel(image, architecture.input.shape)));
  const result = JSON.parse(this.lastCommand!.stdout) as { mode: string; label: number; logits: number[]; model: { fingerprint: string } };
  assert.equal(result.mode, 'connect');
  assert.deepEqual(result.logits, [...expected.logits]);
  assert.equal(result.label, expected.label);
  const listening = server(this).events.find((e) => e.event === 'listening') as Extract<LoggedEvent, { event: 'listening' }>;
  assert.equal(result.model.fingerprint, listening.modelFingerprint);
});

Then('the log shows a session error saying the connection was cut', SLOW, async function (this: GazelleWorld) {
  const s = server(this);
  const error = await s.waitFor((e) => e.event === 'session-error', 'the killed session to end');
  assert.match((error as { error: { message: string } }).error.message, /the peer closed the connection|connection lost \(ECONNRESET\)/);
});

Then('after the next session the server holds as many native objects as after the first', SLOW, async function (this: GazelleWorld) {
  const s = server(this);
  const before = ended(s.events).length;
  await classifyChecked(this, await open(this), images(this, 1, 'serving after'));
  await s.waitFor(() => ended(s.events).length > before, 'the next session to end');
  const all = ended(s.events);
  assert.equal(all.at(-1)!.resources.liveObjects, all[0]!.resources.liveObjects, 'live native objects');
});

Then('the log shows the refusal', SLOW, async function (this: GazelleWorld) {
  const refusal = await server(this).waitFor((e) => e.event === 'session-refused', 'the refusal');
  assert.match((refusal as { reason: string }).reason, /busy/);
});

Then('the log holds no secret of either party', function (this: GazelleWorld) {
  const s = scene(this);
  const wire = s.recordings.flatMap((r) => r.transcript().messages).filter((m) => m.kind !== 'control' && m.bytes.length >= 16);
  const kinds = [...new Set(wire.map((m) => m.kind))];
  assert.ok(kinds.includes('he-keys') && kinds.includes('ciphertext') && kinds.includes('share'), `recorded kinds: ${kinds.join(', ')}`);
  const found = findSecrets(server(this).logLines.join('\n'), {
    bytes: new Map(kinds.map((kind) => [kind, wire.filter((m) => m.kind === kind).map((m) => m.bytes)])),
    integers: new Map<string, ArrayLike<number>[]>([
      ['weights', [...s.model!.weights.values()].flatMap((w) => [w.weights, w.bias])],
      ['images', s.inputs],
      ['logits', s.inputs.map((x) => referenceInference(s.model!, x).logits)],
    ]),
  });
  assert.deepEqual(found, []);
});

After(SLOW, async function (this: GazelleWorld) {
  const s = this.state.get(KEY) as Scene | undefined;
  if (!s) return;
  await Promise.all(s.channels.map((c) => c.close()));
  await (await s.client?.catch(() => undefined))?.close();
  await s.server?.kill();
  await s.fake?.close();
});
