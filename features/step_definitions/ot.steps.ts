import { After, Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { randomBytes } from '../../core/bytes.ts';
import { CountingChannel } from '../../core/channel/counting.ts';
import { parseConfig } from '../../core/config.ts';
import { wire, withWiring } from '../../core/container.ts';
import { ConfigError, ProtocolError } from '../../core/errors.ts';
import type { OtReceiver, OtSender } from '../../core/ot.ts';
import { POINT_BYTES } from '../../plugins/chou-orlandi/chou-orlandi.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { assertChosen, assertCorrelated } from '../../test/ot/ot-contract.ts';
import type { GazelleWorld } from '../support/world.ts';

interface OtScenario {
  sender: OtSender;
  receiver: OtReceiver;
  delta: Uint8Array;
  client: CountingChannel;
  close: () => Promise<void>;
  /** Receiver's bytes sent before the last batch. */
  sentBefore: number;
  choices?: Uint8Array;
  q?: Uint8Array;
  t?: Uint8Array;
  failure?: Promise<unknown>;
}

const KEY = 'ot.scenario';
const scenario = (world: GazelleWorld) => world.state.get(KEY) as OtScenario;
const randomChoices = (n: number) => randomBytes(n).map((b) => b & 1);
const sentSoFar = (s: OtScenario) => s.client.stats().total.sent.bytes;

Given('an OT session with the {string} extension over the {string} base OT', async function (this: GazelleWorld, extension: string, base: string) {
  const config = parseConfig({ profile: 'test', plugins: { 'ot-extension': extension, 'base-ot': base } });
  const wiring = await wire(config, builtinRegistry(), ['transport', 'ot-extension']);
  const ot = wiring.get('ot-extension');
  const pair = await wiring.get('transport').pair();
  const client = new CountingChannel(pair.client);
  const delta = randomBytes(16);
  const [sender, receiver] = await Promise.all([ot.sender(pair.server, delta), ot.receiver(client)]);
  const close = async () => {
    await pair.close();
    await wiring.dispose();
  };
  this.state.set(KEY, { sender, receiver, delta, client, close, sentBefore: 0 } satisfies OtScenario);
});

After(async function (this: GazelleWorld) {
  await (this.state.get(KEY) as OtScenario | undefined)?.close();
});

When('the parties run {int} correlated OTs with random choice bits', async function (this: GazelleWorld, count: number) {
  const s = scenario(this);
  s.choices = randomChoices(count);
  s.sentBefore = sentSoFar(s);
  [s.q, s.t] = await Promise.all([s.sender.sendCorrelated(count), s.receiver.receiveCorrelated(s.choices)]);
});

When('the parties precompute {int} OTs', async function (this: GazelleWorld, count: number) {
  const s = scenario(this);
  await Promise.all([s.sender.precompute(count), s.receiver.precompute(count)]);
  assert.equal(s.sender.precomputed, count);
});

When('the parties turn {int} precomputed OTs into correlated OTs with fresh choice bits', async function (this: GazelleWorld, count: number) {
  const s = scenario(this);
  s.choices = randomChoices(count);
  s.sentBefore = sentSoFar(s);
  [s.q, s.t] = await Promise.all([s.sender.sendCorrelatedPrecomputed(count), s.receiver.receiveCorrelatedPrecomputed(s.choices)]);
});

Then("each receiver block is the sender's m0, XOR Δ exactly where the choice bit is 1", async function (this: GazelleWorld) {
  const s = scenario(this);
  assertCorrelated(s.q!, s.t!, s.choices!, s.delta);
});

Then("the receiver's batch sent {int} bytes", async function (this: GazelleWorld, bytes: number) {
  const s = scenario(this);
  assert.equal(sentSoFar(s) - s.sentBefore, bytes);
});

When('the sender offers {int} pairs of random messages and the receiver chooses at random', async function (this: GazelleWorld, count: number) {
  const s = scenario(this);
  const m0 = randomBytes(16 * count);
  const m1 = randomBytes(16 * count);
  const choices = randomChoices(count);
  const [, out] = await Promise.all([s.sender.sendChosen(m0, m1), s.receiver.receiveChosen(choices)]);
  this.state.set('ot.chosen', { m0, m1, choices, out });
});

Then('the receiver holds exactly the chosen message of each pair', async function (this: GazelleWorld) {
  const { m0, m1, choices, out } = this.state.get('ot.chosen') as Record<string, Uint8Array>;
  assertChosen(out!, m0!, m1!, choices!);
});

When('the receiver asks for {int} correlated OTs but the sender for {int}', async function (this: GazelleWorld, asked: number, offered: number) {
  const s = scenario(this);
  void s.receiver.receiveCorrelated(new Uint8Array(asked)).catch(() => undefined);
  s.failure = s.sender.sendCorrelated(offered).then(
    () => undefined,
    (error: unknown) => error,
  );
});

Then('the sender fails with a ProtocolError saying {string}', async function (this: GazelleWorld, text: string) {
  const error = await scenario(this).failure;
  assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${String(error)}`);
  assert.ok(error.message.includes(text), error.message);
});

Then('the sender refuses any further OT call on that session', async function (this: GazelleWorld) {
  const s = scenario(this);
  await assert.rejects(s.sender.sendCorrelated(1), ProtocolError);
  await assert.rejects(s.sender.sendChosen(new Uint8Array(16), new Uint8Array(16)), ProtocolError);
});

When('a Chou-Orlandi receiver gets a sender point that is not a valid ristretto255 encoding', async function (this: GazelleWorld) {
  const config = parseConfig({ plugins: { 'base-ot': 'chou-orlandi' } });
  const failure = await withWiring(config, builtinRegistry(), ['transport', 'base-ot'], async (wiring) => {
    const { client, server, close } = await wiring.get('transport').pair();
    const message = new Uint8Array(4 + POINT_BYTES).fill(0xff);
    new DataView(message.buffer).setUint32(0, 1, true);
    await server.send(message);
    const received = await wiring.get('base-ot').receive(client, Uint8Array.of(1)).then(
      () => undefined,
      (error: unknown) => error,
    );
    await close();
    return received;
  });
  this.state.set('ot.failure', failure);
});

Then('the receiver fails with a ProtocolError saying {string}', function (this: GazelleWorld, text: string) {
  const error = this.state.get('ot.failure');
  assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${String(error)}`);
  assert.ok(error.message.includes(text), error.message);
});

When('a production configuration selects the {string} OT extension', async function (this: GazelleWorld, name: string) {
  const config = parseConfig({ profile: 'production', plugins: { 'ot-extension': name } });
  const failure = await wire(config, builtinRegistry(), ['ot-extension']).then(
    async (wiring) => void (await wiring.dispose()),
    (error: unknown) => error,
  );
  this.state.set('ot.failure', failure);
});

Then('the configuration is refused because the plugin is {string}', function (this: GazelleWorld, security: string) {
  const error = this.state.get('ot.failure');
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
  assert.ok(error.message.includes(security), error.message);
});
