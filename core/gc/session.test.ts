/**
 * Sessions own Δ, the salt and the gate ids (issue 11, item 1). The instrumented tests record every
 * batch of gates the scheme garbles or evaluates, with its salt and gate ids (gate g hashes with
 * tweaks 2g and 2g + 1, core/garbling.ts), over a session that garbles two layers offline and
 * evaluates them online and then makes two whole runs; a session run twice must never repeat a
 * (salt, tweak) pair. The same check, on a session whose allocator restarts every run, finds the
 * repeats, while every output is still right: only this check catches that fault.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadBristolFile } from '../circuit/bristol.ts';
import { neuronReference, neuronServerInputs } from '../circuit/lib/neuron.ts';
import { RecordingChannel, type Transcript } from '../channel/recording.ts';
import { ProtocolError, SecurityError, TransportError } from '../errors.ts';
import { repeatedTweaks, TweakRecorder, type GateBatch } from '../../test/support/tweak-log.ts';
import type { OtExtension } from '../ot.ts';
import { seededRandom, systemRandom, type RandomSource } from '../random.ts';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import { HalfGates } from '../../plugins/half-gates/half-gates.ts';
import { IknpExtension } from '../../plugins/iknp/iknp.ts';
import { InsecureIdealBaseOt } from '../../plugins/insecure-ideal-base-ot/insecure-ideal-base-ot.ts';
import { ChouOrlandiBaseOt } from '../../plugins/chou-orlandi/chou-orlandi.ts';
import { InsecureIdealOt } from '../../plugins/insecure-ideal-ot/insecure-ideal-ot.ts';
import { GATE_ID_LIMIT, GateIdAllocator } from './gate-ids.ts';
import { randomDelta } from './labels.ts';
import { neuronProgram } from './neuron-program.ts';
import { evaluateStored } from './offline.ts';
import { circuitProgram } from './program.ts';
import { garbleAndSend, inputOtCount, receiveAndEvaluate } from './runner.ts';
import { EvaluatorSession, GarblerSession } from './session.ts';

const transport = new MemoryTransport();
const AES = circuitProgram(loadBristolFile(new URL('../../test/vectors/bristol/aes_128.txt', import.meta.url).pathname), 1, 'aes_128');
// FIPS-197 appendix C.1.
const AES_KEY = 0x000102030405060708090a0b0c0d0e0fn;
const AES_PLAINTEXT = 0x00112233445566778899aabbccddeeffn;
const AES_CIPHERTEXT = 0x69c4e0d86a7b0430d8cdb78070b4c55an;

/** Neurons of a ReLU layer with random shares; `expected` is the reference new client share (design §2 step 4). */
function reluLayer(p: number, instances: number) {
  const r = (n: number) => Math.floor(Math.random() * n);
  const neurons = Array.from({ length: instances }, () => ({ c: r(p), s: r(p), mask: r(p) }));
  const prepared = neurons.map(({ s, mask }) => neuronServerInputs({ p }, [s], mask));
  return {
    program: neuronProgram({ p }),
    instances,
    garbler: [prepared.map((x) => x.server[0]!), prepared.map((x) => x.mask)],
    evaluator: [neurons.map((n) => n.c)],
    expected: [neurons.map(({ c, s, mask }) => BigInt(neuronReference({ p }, [c], [s], mask)))],
  };
}

interface ScenarioOptions {
  readonly ot?: OtExtension;
  readonly gateIds?: () => GateIdAllocator;
  readonly random?: (party: 'server' | 'client') => RandomSource;
}

/**
 * One session: two ReLU layers garbled offline (after precomputing their OTs), evaluated online,
 * then two whole runs of AES-128. Returns the log, the salts and both transcripts; asserts every output.
 */
async function sessionScenario(log: GateBatch[], options: ScenarioOptions = {}) {
  const pair = await transport.pair();
  const server = new RecordingChannel(pair.server, 'server');
  const client = new RecordingChannel(pair.client, 'client');
  const common = { scheme: new TweakRecorder(new HalfGates(), log), ot: options.ot ?? new IknpExtension(new InsecureIdealBaseOt()) };
  const [garbler, evaluator] = await Promise.all([
    GarblerSession.open(server, { ...common, random: options.random?.('server') ?? systemRandom(), ...(options.gateIds ? { gateIds: options.gateIds() } : {}) }),
    EvaluatorSession.open(client, { ...common, random: options.random?.('client') ?? systemRandom(), ...(options.gateIds ? { gateIds: options.gateIds() } : {}) }),
  ]);
  const layers = [reluLayer(557057, 20), reluLayer(65537, 13)];
  const ots = layers.reduce((s, l) => s + inputOtCount(l.program, l.instances), 0);
  await Promise.all([garbler.precompute(ots), evaluator.precompute(ots)]);
  // Offline: every layer garbled and stored.
  const garbled = await Promise.all(layers.map((l) => garbler.garbleOffline(l.program, l.garbler, { instances: l.instances })));
  const stored = await Promise.all(layers.map((l) => evaluator.receiveGarbled(l.program, { instances: l.instances })));
  // Online, layer by layer.
  for (const [k, layer] of layers.entries()) {
    const [, labels] = await Promise.all([garbler.sendEvaluatorLabels(garbled[k]!), evaluator.receiveEvaluatorLabels(stored[k]!, layer.evaluator)]);
    assert.deepEqual((await evaluateStored(stored[k]!, labels)).outputs, layer.expected, `layer ${k}`);
  }
  for (let run = 0; run < 2; run++) {
    const [, evaluated] = await Promise.all([garbler.run(AES, [[AES_KEY]]), evaluator.run(AES, [[AES_PLAINTEXT]])]);
    assert.deepEqual(evaluated.outputs, [[AES_CIPHERTEXT]], `AES run ${run}`);
  }
  assert.equal(garbler.salt, evaluator.salt);
  assert.equal(garbler.nextGateId, evaluator.nextGateId);
  await pair.close();
  return { salt: garbler.salt, nextGateId: garbler.nextGateId, server: server.transcript(), client: client.transcript() };
}

/** A faulty allocator: it restarts from 0 on every run, as if a caller had threaded `firstGateId: 0` each time. */
class RestartingGateIds extends GateIdAllocator {
  override take(count: number): number {
    return new GateIdAllocator().take(count);
  }
}

describe('garbled-circuit sessions', () => {
  it('a session garbling two layers and making two whole runs never repeats a (salt, tweak) pair; the evaluator mirrors it', async () => {
    const log: GateBatch[] = [];
    const { salt, nextGateId } = await sessionScenario(log);
    const garbled = log.filter((b) => b.role === 'garbler');
    assert.equal(garbled.reduce((s, b) => s + b.gates, 0), nextGateId, 'every gate of the session was logged');
    // The neuron mod 557057 has 102 AND gates (README), AES-128 6,400 (its Bristol file).
    assert.equal(nextGateId, 102 * 20 + neuronProgram({ p: 65537 }).andsPerInstance * 13 + 2 * 6400);
    assert.ok(garbled.every((b) => b.salt === salt) && salt !== 0n);
    assert.deepEqual(repeatedTweaks(log.filter((b) => b.role === 'garbler')), []);
    assert.deepEqual(repeatedTweaks(log.filter((b) => b.role === 'evaluator')), []);
    const batches = (role: GateBatch['role']) => log.filter((b) => b.role === role).map(({ salt: s, firstGateId, gates }) => `${s}/${firstGateId}/${gates}`).sort();
    assert.deepEqual(batches('evaluator'), batches('garbler'));
  });

  it('two sessions use different salts, so their (salt, tweak) pairs never meet although both number gates from 0', async () => {
    const log: GateBatch[] = [];
    const first = await sessionScenario(log);
    const second = await sessionScenario(log);
    assert.notEqual(first.salt, second.salt);
    assert.ok(log.filter((b) => b.firstGateId === 0 && b.role === 'garbler').length >= 2, 'both sessions start at gate 0');
    assert.deepEqual(repeatedTweaks(log.filter((b) => b.role === 'garbler')), []);
  });

  it('the check catches an allocator that restarts every run, which no output reveals', async () => {
    const log: GateBatch[] = [];
    await sessionScenario(log, { gateIds: () => new RestartingGateIds() }); // every output asserted right inside
    const repeats = repeatedTweaks(log.filter((b) => b.role === 'garbler'));
    assert.ok(repeats.length >= 3, `found only ${repeats.length} repeats`);
  });

  it('gate ids stop below the OT tweaks: past the cap a run is refused before anything is sent, and the session ends', async () => {
    const ids = new GateIdAllocator();
    assert.equal(ids.take(10), 0);
    assert.equal(ids.take(5), 10);
    assert.equal(ids.take(0), 15);
    assert.equal(GATE_ID_LIMIT, 2 ** 51);
    const capped = new GateIdAllocator(2 ** 51);
    assert.equal(capped.take(2 ** 51 - 1), 0);
    assert.throws(() => capped.take(2), SecurityError);
    assert.equal(capped.take(1), 2 ** 51 - 1);
    assert.throws(() => new GateIdAllocator(2 ** 51 + 1), RangeError);

    const pair = await transport.pair();
    const server = new RecordingChannel(pair.server, 'server');
    const common = { scheme: new HalfGates(), ot: new InsecureIdealOt(), gateIds: new GateIdAllocator(3000) };
    const [garbler, evaluator] = await Promise.all([GarblerSession.open(server, common), EvaluatorSession.open(pair.client, { ...common, gateIds: new GateIdAllocator(3000) })]);
    const layer = reluLayer(557057, 20); // 2040 gates
    await Promise.all([garbler.run(layer.program, layer.garbler, { instances: 20 }), evaluator.run(layer.program, layer.evaluator, { instances: 20 })]);
    const sent = server.transcript().messages.length;
    await assert.rejects(garbler.garbleOffline(layer.program, layer.garbler, { instances: 20 }), SecurityError);
    await assert.rejects(evaluator.receiveGarbled(layer.program, { instances: 20 }), SecurityError);
    assert.equal(server.transcript().messages.length, sent, 'nothing was sent for the refused run');
    await assert.rejects(garbler.precompute(1), (e: unknown) => e instanceof ProtocolError && /earlier call failed/.test(e.message));
    await pair.close();
  });

  it('a peer that disconnects during set-up is a TransportError on the other side, not a hang', async () => {
    const options = { scheme: new HalfGates(), ot: new IknpExtension(new InsecureIdealBaseOt()) };
    const first = await transport.pair();
    const opening = EvaluatorSession.open(first.client, options);
    await first.server.close();
    await assert.rejects(opening, TransportError);
    const second = await transport.pair();
    const garbler = GarblerSession.open(second.server, options);
    await second.client.recv(8, 'control');
    await second.client.close();
    await assert.rejects(garbler, TransportError);
    await Promise.all([first.close(), second.close()]);
  });

  it('a party on another salt is refused by the run header', async () => {
    const { client, server } = await transport.pair();
    const ot = new InsecureIdealOt();
    const [sender, receiver] = await Promise.all([ot.sender(server, randomDelta()), ot.receiver(client)]);
    const garbling = garbleAndSend(server, AES, [[AES_KEY]], sender, { scheme: new HalfGates(5n) });
    await assert.rejects(receiveAndEvaluate(client, AES, [[AES_PLAINTEXT]], receiver, { scheme: new HalfGates(6n) }), (e: unknown) => e instanceof ProtocolError && /salt is 5, ours is 6/.test(e.message));
    await client.close();
    await assert.rejects(garbling);
  });

  it('with the same seeded random sources on both sides two sessions give byte-identical transcripts (Chou-Orlandi, IKNP, garbling); with system randomness they differ', async () => {
    const ot = new IknpExtension(new ChouOrlandiBaseOt());
    const bytesOf = (t: Transcript) => t.messages.map((m) => `${m.direction} ${m.kind} ${Buffer.from(m.bytes).toString('hex')}`);
    const seeded = (party: 'server' | 'client') => seededRandom('session-test', party);
    // The layers' inputs are drawn with Math.random: fix them by running the scenario on fixed inputs.
    const saved = Math.random;
    const run = async (random?: ScenarioOptions['random']) => {
      let state = 1;
      Math.random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
      try {
        const { server, client } = await sessionScenario([], { ot, ...(random ? { random } : {}) });
        return { server: bytesOf(server), client: bytesOf(client) };
      } finally {
        Math.random = saved;
      }
    };
    const [a, b] = [await run(seeded), await run(seeded)];
    assert.ok(a.server.length > 20);
    assert.deepEqual(a.server, b.server);
    assert.deepEqual(a.client, b.client);
    const [c, d] = [await run(), await run()];
    assert.notDeepEqual(c.server, d.server);
    assert.notDeepEqual(c.server, a.server);
  });
});
