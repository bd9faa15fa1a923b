/**
 * Private inference steps: a server (InferenceServer) and a client (InferenceClient) in this process,
 * each speaking only through its end of a connected pair, on the default (secure) configuration.
 * The HE workers start once per scenario and close in the After hook.
 */
import { After, Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Channel, MessageKind } from '../../core/channel.ts';
import { ChannelDecorator } from '../../core/channel/channel-decorator.ts';
import { parseConfig } from '../../core/config.ts';
import { withWiring } from '../../core/container.ts';
import type { Transport } from '../../core/transport.ts';
import { runTwoParties } from '../../core/two-party.ts';
import { loadMnistTestSet } from '../../core/image/idx.ts';
import type { InferenceClient, ClientInference } from '../../core/inference/client.ts';
import { runInferenceSession, startInferenceParties } from '../../core/inference/local-run.ts';
import type { RevealPolicy } from '../../core/inference/plan.ts';
import type { InferenceServer } from '../../core/inference/server.ts';
import { quantiseInput } from '../../core/model/input.ts';
import type { Model } from '../../core/model/model.ts';
import { MODELS_DIR, loadModel } from '../../core/model/model-store.ts';
import { randomImages, randomModel } from '../../core/model/networks.ts';
import { referenceInference } from '../../core/model/reference.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import type { GazelleWorld } from '../support/world.ts';

interface Scene {
  model: Model;
  server: InferenceServer;
  client: InferenceClient;
  baseline: number[];
  inputs: Int32Array[];
  results: ClientInference[];
  minMarginBits: number;
  truth?: Uint8Array;
  serverFailure?: unknown;
}

const KEY = 'inference.scene';
/** Starting HE workers and running whole inferences take seconds, not Cucumber's default 5. */
const SLOW = { timeout: 300_000 };
const config = parseConfig({});
const registry = builtinRegistry();

function scene(world: GazelleWorld): Scene {
  const s = world.state.get(KEY) as Scene | undefined;
  assert.ok(s, 'no server set up in this scenario');
  return s;
}

async function live(s: Scene): Promise<number[]> {
  return [...(await s.server.liveObjects()), await s.client.liveObjects()];
}

async function hold(world: GazelleWorld, model: Model): Promise<void> {
  const { server, client } = await startInferenceParties({ config, registry, model }, { config, registry });
  const s: Scene = { model, server, client, baseline: [], inputs: [], results: [], minMarginBits: Infinity };
  world.state.set(KEY, s);
  s.baseline = await live(s);
}

/** Closes the channel when a message of `kind` is about to be received for the `nth` time. */
class LeaveAt extends ChannelDecorator {
  #seen = 0;
  constructor(
    inner: Channel,
    private readonly kind: MessageKind,
    private readonly nth: number,
  ) {
    super(inner);
  }
  override async recv(length: number, kind?: MessageKind): Promise<Uint8Array> {
    if (kind === this.kind && ++this.#seen === this.nth) await this.inner.close();
    return super.recv(length, kind);
  }
}

/** `run` with the configured transport, wired for it and disposed after. */
function withTransport<T>(run: (transport: Transport) => Promise<T>): Promise<T> {
  return withWiring(config, registry, ['transport'], (wiring) => run(wiring.get('transport')));
}

async function classify(world: GazelleWorld, inputs: Int32Array[], reveal: RevealPolicy): Promise<void> {
  const s = scene(world);
  s.inputs = inputs;
  const run = await withTransport((transport) => runInferenceSession(transport, s, { inputs, reveal }));
  s.results = run.inferences;
  s.minMarginBits = run.server.minMarginBits;
}

Given('the server holds the network {string} with random weights', SLOW, async function (this: GazelleWorld, name: string) {
  await hold(this, randomModel(name, 'inference.feature').model);
});

Given('the server holds the trained network {string}', SLOW, async function (this: GazelleWorld, name: string) {
  const model = loadModel(resolve(MODELS_DIR, name));
  await hold(this, model);
});

When('the client classifies {int} random image(s) privately', SLOW, async function (this: GazelleWorld, count: number) {
  const { architecture } = scene(this).model;
  await classify(this, randomImages(architecture.input.shape, count, 'inference.feature').map((i) => quantiseInput(architecture, i)), 'logits');
});

When('the client classifies {int} random image(s) privately, revealing only the label', SLOW, async function (this: GazelleWorld, count: number) {
  const { architecture } = scene(this).model;
  await classify(this, randomImages(architecture.input.shape, count, 'inference.feature').map((i) => quantiseInput(architecture, i)), 'label');
});

When('the client classifies the first {int} MNIST test digits privately', SLOW, async function (this: GazelleWorld, count: number) {
  const s = scene(this);
  const { images, labels } = loadMnistTestSet(count);
  s.truth = labels;
  await classify(this, images.map((i) => quantiseInput(s.model.architecture, i)), 'logits');
});

When('a client disconnects in the middle of the online phase', SLOW, async function (this: GazelleWorld) {
  const s = scene(this);
  const { architecture } = s.model;
  const input = quantiseInput(architecture, randomImages(architecture.input.shape, 1, 'inference.feature')[0]!);
  const run = await withTransport((transport) =>
    runTwoParties(transport, {
      // Both sides are expected to fail: each part returns its failure for the Then steps.
      server: (channel) => s.server.serve(channel).then(() => undefined, (error: unknown) => error),
      client: async (channel) => {
        const session = await s.client.connect(new LeaveAt(channel, 'ciphertext', 2));
        await assert.rejects(session.classify(input));
        await session.close();
      },
    }),
  );
  s.serverFailure = run.server;
});

Then('each result equals the plaintext reference bit for bit', function (this: GazelleWorld) {
  const s = scene(this);
  assert.equal(s.results.length, s.inputs.length);
  s.results.forEach((result, i) => {
    const expected = referenceInference(s.model, s.inputs[i]!);
    assert.deepEqual(result.logits, expected.logits, `image ${i}: logits`);
    assert.equal(result.label, expected.label, `image ${i}: label`);
  });
});

Then('every returned ciphertext kept at least {int} bits of flooding margin', function (this: GazelleWorld, bits: number) {
  assert.ok(scene(this).minMarginBits >= bits, `smallest margin ${scene(this).minMarginBits}`);
});

Then('no HE object of the session is left alive on either side', SLOW, async function (this: GazelleWorld) {
  const s = scene(this);
  assert.deepEqual(await live(s), s.baseline, 'node-seal objects alive in the server\'s HE workers and the client\'s');
});

Then("the client learns the reference's label and no logits", function (this: GazelleWorld) {
  const s = scene(this);
  s.results.forEach((result, i) => {
    assert.equal(result.logits, null);
    assert.equal(result.label, referenceInference(s.model, s.inputs[i]!).label);
  });
});

Then('each prediction is the true digit', function (this: GazelleWorld) {
  const s = scene(this);
  s.results.forEach((result, i) => assert.equal(result.label, s.truth![i], `digit ${i}`));
});

Then("the server's session ends with {string}", function (this: GazelleWorld, text: string) {
  const failure = scene(this).serverFailure;
  assert.ok(failure instanceof Error && failure.message.includes(text), `the server's session ended with ${String(failure)}`);
});

Then('the label and logits are those of {string}', function (this: GazelleWorld, commandLine: string) {
  const [program, ...args] = commandLine.split(/\s+/);
  assert.equal(program, 'gazelle');
  const reference = spawnSync(process.execPath, ['--import', 'tsx', resolve('cli/main.ts'), ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(reference.status, 0, reference.stderr);
  const expected = JSON.parse(reference.stdout) as { label: number; logits: number[] };
  const actual = JSON.parse(this.lastCommand!.stdout) as { label: number; logits: number[] };
  assert.equal(actual.label, expected.label);
  assert.deepEqual(actual.logits, expected.logits);
});

Then('the JSON figures show an offline and an online phase for every layer', function (this: GazelleWorld) {
  const { figures } = JSON.parse(this.lastCommand!.stdout) as { figures: { offline: { seconds: number }; online: { seconds: number }; layers: { name: string; online: { clientToServer: number } }[] } };
  assert.ok(figures.offline.seconds > 0 && figures.online.seconds > 0);
  assert.ok(figures.layers.length >= 7, `layers: ${figures.layers.map((l) => l.name).join(', ')}`);
  assert.ok(figures.layers.every((l) => l.online.clientToServer > 0), 'every layer uploads something online (ciphertexts or OT bits)');
});

After(SLOW, async function (this: GazelleWorld) {
  const s = this.state.get(KEY) as Scene | undefined;
  if (s) await Promise.all([s.server.close(), s.client.close()]);
});
