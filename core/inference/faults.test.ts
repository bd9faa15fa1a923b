/**
 * Bad input and broken peers (issue 11 item 8): an image of the wrong shape or range, a protocol,
 * architecture or parameter mismatch, a peer that disconnects or sends garbage at any step. Each
 * side that can report it gets a clear typed error, nothing hangs, and every node-seal object of
 * the session is released (counted in the HE workers).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Channel, MessageKind } from '../channel.ts';
import { ChannelDecorator } from '../channel/channel-decorator.ts';
import { parseConfig, type GazelleConfig } from '../config.ts';
import { ConfigError, GazelleError, ModelError, ProtocolError, TransportError } from '../errors.ts';
import { quantiseInput } from '../model/input.ts';
import type { Model } from '../model/model.ts';
import { randomImages, randomModel } from '../model/networks.ts';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { CutChannel } from '../../test/support/cut-channel.ts';
import { InferenceClient } from './client.ts';
import { PROTOCOL_VERSION } from './handshake.ts';
import { HeThread } from './he-thread.ts';
import { recvJson, sendJson } from './messages.ts';
import { InferenceServer } from './server.ts';
import { ServerHe } from './server-he.ts';

const registry = builtinRegistry();
// Real node-seal, with the small preset (its margin is below 40 bits, accepted for speed here).
const config: GazelleConfig = parseConfig({ profile: 'test', plugins: { he: { name: 'seal-bfv', options: { preset: 'fast', acceptLowerMargin: true } } } });

/** Replaces the bytes of the `target`-th received message with garbage of the same length. */
class GarbleChannel extends ChannelDecorator {
  #seen = 0;

  constructor(
    inner: Channel,
    private readonly target: number,
  ) {
    super(inner);
  }

  override async recv(length: number, kind?: MessageKind): Promise<Uint8Array> {
    const data = await super.recv(length, kind);
    if (this.#seen++ === this.target) data.fill(0xa5);
    return data;
  }
}

function withinSeconds<T>(seconds: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hung for ${seconds} s`)), seconds * 1000)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

describe('private inference: bad input and broken peers', () => {
  let serverHe: ServerHe;
  let clientHe: HeThread;
  let model: Model;
  let input: Int32Array;
  let server: InferenceServer;
  let client: InferenceClient;
  const live = async () => [...(await serverHe.liveObjects()), await clientHe.request('live-objects', {})];
  let baseline: number[];

  before(async () => {
    [serverHe, clientHe] = await Promise.all([ServerHe.start(config, registry.source, 2), HeThread.start('client-he', config, registry.source)]);
    ({ model } = randomModel('C', 'faults'));
    input = quantiseInput(model.architecture, randomImages(model.architecture.input.shape, 1, 'faults')[0]!);
    server = await InferenceServer.start({ config, registry, model, heWorkers: serverHe });
    client = await InferenceClient.start({ config, registry, he: clientHe });
    baseline = await live();
  });
  after(async () => {
    await Promise.all([server?.close(), client?.close()]);
    await Promise.all([serverHe?.close(), clientHe?.close()]);
  });

  /** One session over an in-memory pair, the client's end wrapped; returns both parties' outcomes. */
  async function session(wrap: (channel: Channel) => Channel, inputs: Int32Array[] = [input]) {
    const pair = await new MemoryTransport().pair();
    const serving = server.serve(pair.server).finally(() => pair.server.close());
    const using = (async () => {
      const s = await client.connect(wrap(pair.client));
      try {
        for (const x of inputs) await s.classify(x);
      } finally {
        await s.close();
      }
    })().finally(() => pair.client.close());
    const [serverOutcome, clientOutcome] = await withinSeconds(60, Promise.allSettled([serving, using]));
    return { server: serverOutcome, client: clientOutcome };
  }

  it('a clean session classifies and releases everything', async () => {
    const outcome = await session((c) => c);
    assert.equal(outcome.server.status, 'fulfilled');
    assert.equal(outcome.client.status, 'fulfilled');
    assert.deepEqual(await live(), baseline, 'node-seal objects alive in each HE worker');
  });

  it('an input of the wrong shape or range is refused before anything is sent; the session goes on', async () => {
    const pair = await new MemoryTransport().pair();
    const serving = server.serve(pair.server);
    const s = await client.connect(pair.client);
    await assert.rejects(s.classify(input.subarray(1)), (e: unknown) => e instanceof ModelError && /expected 784 quantised values \(1×28×28\), got 783/.test((e as Error).message));
    const out = Int32Array.from(input);
    out[5] = model.architecture.input.max + 1;
    await assert.rejects(s.classify(out), (e: unknown) => e instanceof ModelError && /value 5 is \d+, outside the model's input range/.test((e as Error).message));
    await s.classify(input);
    await s.close();
    assert.equal((await serving).inferences, 1);
    assert.deepEqual(await live(), baseline);
  });

  it('a peer speaking another protocol version is refused, naming both versions', async () => {
    // A server from the future.
    let pair = await new MemoryTransport().pair();
    void sendJson(pair.server, { ...server.announcement, protocol: 'gazelle-inference/2' });
    await assert.rejects(client.connect(pair.client), (e: unknown) => e instanceof ProtocolError && (e as Error).message.includes(`the server speaks protocol "gazelle-inference/2"; this client speaks ${PROTOCOL_VERSION}`));
    await pair.close();
    // A client from the future.
    pair = await new MemoryTransport().pair();
    const serving = server.serve(pair.server);
    await recvJson(pair.client, 1 << 20, 'announcement');
    await sendJson(pair.client, { protocol: 'gazelle-inference/0', reveal: 'logits', architectureFingerprint: server.announcement.architectureFingerprint });
    await assert.rejects(serving, (e: unknown) => e instanceof ProtocolError && (e as Error).message.includes(`the client speaks protocol "gazelle-inference/0"; this server speaks ${PROTOCOL_VERSION}`));
    await pair.close();
    assert.deepEqual(await live(), baseline);
  });

  it('a server with another architecture or other HE parameters is refused by the client', async () => {
    const other = randomModel('A', 'faults').model;
    let pair = await new MemoryTransport().pair();
    const serving = server.serve(pair.server).catch((e: unknown) => e);
    await assert.rejects(client.connect(pair.client, { expect: other.architecture }), (e: unknown) => e instanceof ConfigError && /the server serves model "C"/.test((e as Error).message));
    await pair.close();
    assert.ok((await serving) instanceof TransportError, 'the server sees the client leave');
    // A server configured with other HE parameters (its announcement, scripted).
    pair = await new MemoryTransport().pair();
    void sendJson(pair.server, { ...server.announcement, he: { ...server.announcement.he, params: { ...server.announcement.he.params, polyModulusDegree: 8192 } } });
    await assert.rejects(client.connect(pair.client), (e: unknown) => e instanceof ConfigError && /the server's HE is seal-bfv with n = 8192.*this client's is seal-bfv with n = 4096/.test((e as Error).message));
    await pair.close();
    assert.deepEqual(await live(), baseline);
  });

  it('a connection cut at any message fails both sides with typed errors, hangs nowhere, and leaks nothing', async () => {
    // Count the messages of a clean two-inference session, then cut at a spread of positions in it.
    let total = 0;
    await session((c) => {
      const counter = new CutChannel(c, Infinity);
      const count = (f: (...a: never[]) => Promise<unknown>) => (...a: never[]) => ((total++, f(...a)));
      counter.send = count(counter.send.bind(counter) as never) as never;
      counter.recv = count(counter.recv.bind(counter) as never) as never;
      return counter;
    }, [input, input]);
    const cuts = [0, 1, 2, 3, 5, 8, 13, Math.floor(total / 3), Math.floor(total / 2), Math.floor((2 * total) / 3), total - 3, total - 1];
    for (const cut of cuts) {
      const outcome = await session((c) => new CutChannel(c, cut), [input, input]);
      assert.equal(outcome.client.status, 'rejected', `cut at message ${cut} of ${total}: the client notices`);
      assert.equal(outcome.server.status, 'rejected', `cut at message ${cut} of ${total}: the server notices`);
      for (const side of [outcome.client, outcome.server]) {
        const reason = (side as PromiseRejectedResult).reason;
        assert.ok(reason instanceof GazelleError, `cut at ${cut}: typed error, got ${reason}`);
      }
      assert.deepEqual(await live(), baseline, `cut at ${cut}: every node-seal object released`);
    }
  });

  it('garbage in place of a message fails with a typed error, hangs nowhere, and leaks nothing', async () => {
    // Structural messages: the announcement, the run headers and sizes; later ones may be
    // undetectable in the semi-honest model (a flipped ciphertext decrypts to garbage), never a hang.
    for (const target of [0, 1, 2, 4, 6, 9]) {
      const outcome = await session((c) => new GarbleChannel(c, target));
      const failures = [outcome.client, outcome.server].filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
      if (target === 0) assert.ok(failures.length > 0, 'garbage instead of the announcement is caught');
      for (const f of failures) assert.ok(f.reason instanceof GazelleError, `garbage in message ${target}: typed error, got ${f.reason}`);
      assert.deepEqual(await live(), baseline, `garbage in message ${target}: every node-seal object released`);
    }
  });
});
