/**
 * The inference service over real TCP (issue 12): concurrent clients get the reference's results,
 * a client that leaves, stalls, sends garbage, a half frame, an oversized length or a wrong
 * protocol version ends only its own session (logged with its cause; its node-seal objects
 * released), clients beyond the session cap are refused saying why, and the log carries no secret.
 * Real node-seal (the small preset: the HE itself is not the point, the objects it allocates are).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Channel } from '../channel.ts';
import { RecordingChannel } from '../channel/recording.ts';
import { parseConfig, type GazelleConfig } from '../config.ts';
import { GazelleError, SessionRefusedError } from '../errors.ts';
import { quantiseInput } from '../model/input.ts';
import type { Model } from '../model/model.ts';
import { randomImages, randomModel } from '../model/networks.ts';
import { referenceInference } from '../model/reference.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { TcpTransport } from '../../plugins/transport-tcp/tcp-transport.ts';
import { waitFor } from '../../test/tcp-helpers.ts';
import { CutChannel } from '../../test/support/cut-channel.ts';
import { hostileClients } from '../../test/support/hostile-clients.ts';
import { findSecrets } from '../../test/support/log-secrets.ts';
import { InferenceClient } from './client.ts';
import { HeThread } from './he-thread.ts';
import { InferenceService } from './service.ts';
import type { ServiceEvent } from './service-log.ts';

const registry = builtinRegistry();
/** Long enough for a legitimate client on a loaded machine; the silent peer's test waits this long. */
const IDLE_MS = 10_000;
const tcp = { maxSessions: 3, idleTimeoutMs: IDLE_MS, maxFrameBytes: 1 << 20 };
const config: GazelleConfig = parseConfig({
  profile: 'test',
  plugins: { he: { name: 'seal-bfv', options: { preset: 'fast', acceptLowerMargin: true } }, transport: { name: 'tcp', options: tcp } },
});

describe('inference service: concurrent sessions over TCP, each isolated', () => {
  let clientHe: HeThread;
  let client: InferenceClient;
  let service: InferenceService;
  let model: Model;
  let inputs: Int32Array[];
  let baseline: number[];
  const log: ServiceEvent[] = [];
  const logText: string[] = [];
  const transport = new TcpTransport(tcp);

  before(async () => {
    ({ model } = randomModel('C', 'service'));
    inputs = randomImages(model.architecture.input.shape, 3, 'service').map((image) => quantiseInput(model.architecture, image));
    clientHe = await HeThread.start('client-he', config, registry.source);
    client = await InferenceClient.start({ config, registry, he: clientHe });
    service = await InferenceService.start({
      config,
      registry,
      model,
      address: { port: 0 },
      heWorkers: 2,
      log: {
        write: (event) => {
          log.push(event);
          logText.push(JSON.stringify(event));
        },
      },
    });
    baseline = await service.liveObjects();
  });
  after(async () => {
    await service?.close();
    await client?.close();
    await clientHe?.close();
  });

  /** A session from this process's client: classify `images`, compare each with the reference. */
  async function classifyChecked(images: Int32Array[], wrap: (c: Channel) => Channel = (c) => c): Promise<void> {
    const channel = await transport.connect(service.address);
    try {
      const session = await client.connect(wrap(channel));
      try {
        for (const x of images) {
          const result = await session.classify(x);
          assert.deepEqual(result.logits, referenceInference(model, x).logits, 'logits bit for bit');
        }
      } finally {
        await session.close();
      }
    } finally {
      await channel.close();
    }
  }

  const errorsLogged = () => log.filter((e): e is Extract<ServiceEvent, { event: 'session-error' }> => e.event === 'session-error');
  async function serverSettled(failed: number): Promise<void> {
    await waitFor(() => service.sessions.active === 0, 'no session running', 30_000);
    assert.equal(service.sessions.failed, failed, `failed sessions; logged errors: ${errorsLogged().map((e) => e.error.message).join(' | ')}`);
    assert.deepEqual(await service.liveObjects(), baseline, 'node-seal objects alive in each HE worker');
  }

  /** Messages (sends and receives) of a clean one-inference session, counted at the client. */
  let messagesPerSession = 0;

  it('two concurrent clients both get the plaintext reference`s logits; the log has each session`s phases', async () => {
    let recorded: RecordingChannel | undefined;
    await Promise.all([classifyChecked(inputs.slice(0, 2)), classifyChecked(inputs.slice(1, 2), (c) => (recorded = new RecordingChannel(c, 'client')))]);
    messagesPerSession = recorded!.transcript().messages.length;
    await serverSettled(0);
    const ends = log.filter((e) => e.event === 'session-end');
    assert.deepEqual(ends.map((e) => e.inferences).sort(), [1, 2]);
    for (const end of ends) {
      const phases = log.filter((e) => e.event === 'phase' && e.session === end.session).map((e) => (e.event === 'phase' ? `${e.phase}${e.inference ?? ''}` : ''));
      const inferences = end.inferences === 2 ? ['offline1', 'online1', 'offline2', 'online2'] : ['offline1', 'online1'];
      assert.deepEqual(phases, ['handshake', 'he-keys', 'base-ot', ...inferences]);
    }
  });

  it('a client that leaves mid-protocol ends only its own session', async () => {
    // The good client runs while the other leaves in the middle of its inference.
    assert.ok(messagesPerSession > 20, `a session has ${messagesPerSession} messages`);
    const leaving = classifyChecked(inputs.slice(0, 1), (c) => new CutChannel(c, Math.floor(messagesPerSession * 0.6))).then(
      () => assert.fail('the leaving client finished'),
      (error: unknown) => error,
    );
    await Promise.all([classifyChecked(inputs), leaving]);
    assert.ok((await leaving) instanceof GazelleError);
    await serverSettled(1);
    assert.match(errorsLogged()[0]!.error.message, /closed the connection/);
  });

  it('garbage, a half frame, an oversized frame, an oversized message, a silent peer, a wrong protocol version: each ends its own session with its cause logged', async () => {
    const before = errorsLogged().length;
    const failedSoFar = service.sessions.failed;
    const hostile = hostileClients(IDLE_MS, tcp.maxFrameBytes);
    // The silent peer waits out the idle timeout while the others, one after the other, end theirs (the session cap is 3).
    const silent = hostile.find((h) => /says nothing/.test(h.name))!;
    await silent.run(service.address.port);
    for (const [i, client] of hostile.filter((h) => h !== silent).entries()) {
      await client.run(service.address.port);
      await waitFor(() => service.sessions.failed === failedSoFar + i + 1, 'the hostile session to end', 30_000);
    }
    await serverSettled(failedSoFar + hostile.length);
    const messages = errorsLogged().slice(before).map((e) => e.error.message);
    for (const { name, cause } of hostile) assert.ok(messages.some((m) => cause.test(m)), `${name}: no logged error matches ${cause}; logged: ${messages.join(' | ')}`);
    // ... and the server keeps serving.
    await classifyChecked(inputs.slice(0, 1));
  });

  it('more clients than maxSessions: the extra one is refused saying why, and served once a session ends', async () => {
    const holders = await Promise.all(Array.from({ length: tcp.maxSessions }, () => transport.connect(service.address)));
    await waitFor(() => service.sessions.active === tcp.maxSessions, 'the sessions to start');
    const extra = await transport.connect(service.address);
    await assert.rejects(client.connect(extra), (e: Error) => e instanceof SessionRefusedError && /busy: 3 sessions running/.test(e.message));
    await extra.close();
    assert.ok(log.some((e) => e.event === 'session-refused' && /busy/.test(e.reason)));
    await Promise.all(holders.map((h) => h.close()));
    await waitFor(() => service.sessions.active === 0, 'the held sessions to end', 30_000);
    await classifyChecked(inputs.slice(0, 1));
  });

  it('the log holds no weight, pixel, key, ciphertext, label or share, and the search finds them when they are there', async () => {
    let recorded: RecordingChannel | undefined;
    await classifyChecked(inputs.slice(0, 2), (c) => (recorded = new RecordingChannel(c, 'client')));
    const wire = recorded!.transcript().messages.filter((m) => m.kind !== 'control' && m.bytes.length >= 16);
    const secrets = {
      bytes: new Map<string, Uint8Array[]>(
        ['he-keys', 'ciphertext', 'input-labels', 'gc-table', 'ot-extension', 'share', 'base-ot'].map((kind) => [kind, wire.filter((m) => m.kind === kind).map((m) => m.bytes)]),
      ),
      integers: new Map<string, ArrayLike<number>[]>([
        ['weights', [...model.weights.values()].flatMap((w) => [w.weights, w.bias])],
        ['images', inputs],
        ['logits', inputs.map((x) => referenceInference(model, x).logits)],
      ]),
    };
    assert.ok((secrets.bytes.get('he-keys') ?? []).length > 0 && (secrets.bytes.get('ciphertext') ?? []).length > 0, 'the transcript has keys and ciphertexts');
    const text = logText.join('\n');
    assert.deepEqual(findSecrets(text, secrets), []);
    // A leaky log line of each kind is caught.
    const keys = secrets.bytes.get('he-keys')![0]!;
    const layer = [...model.weights.values()][0]!.weights;
    const leaks = [
      JSON.stringify({ event: 'debug', keys: Buffer.from(keys.subarray(100, 140)).toString('hex') }),
      JSON.stringify({ event: 'debug', share: Buffer.from(secrets.bytes.get('ciphertext')![0]!.subarray(7, 60)).toString('base64') }),
      JSON.stringify({ event: 'debug', weights: [...layer.subarray(3, 9)] }),
      JSON.stringify({ event: 'debug', input: [...inputs[0]!.subarray(300, 306)] }),
    ];
    for (const leak of leaks) assert.ok(findSecrets(`${text}\n${leak}`, secrets).length > 0, `not caught: ${leak}`);
  });
});
