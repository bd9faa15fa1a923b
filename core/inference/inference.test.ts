/**
 * The secure inference engine against the plaintext integer reference (core/model/reference.ts),
 * bit for bit: logits and label, random models with every layer kind (property, on the plaintext HE
 * test double with real OT and garbling), the benchmark networks with random weights on seal-bfv,
 * and the trained network D on real MNIST digits. HE worker pools are shared across a file's runs
 * (starting a worker costs about a second), and every run checks that no native object leaked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseConfig, type GazelleConfig } from '../config.ts';
import { quantiseInput } from '../model/input.ts';
import { ModelRangeError } from '../errors.ts';
import type { Model } from '../model/model.ts';
import { randomImages, randomModel } from '../model/networks.ts';
import { referenceInference } from '../model/reference.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { modelDraws, randomIntegerModel } from '../../test/support/random-models.ts';
import { HeThread } from './he-thread.ts';
import { runLocalInference } from './local-run.ts';
import type { Figures } from './figures.ts';
import type { RevealPolicy } from './plan.ts';
import { ServerHe } from './server-he.ts';

const P = 557057;
const registry = builtinRegistry();

interface Pools {
  readonly config: GazelleConfig;
  server: ServerHe;
  client: HeThread;
}

async function startPools(config: GazelleConfig): Promise<Pools> {
  const [server, client] = await Promise.all([ServerHe.start(config, registry.source, 2), HeThread.start('client-he', config, registry.source)]);
  return { config, server, client };
}

async function closePools(pools: Pools | undefined): Promise<void> {
  await Promise.all([pools?.server.close(), pools?.client.close()]);
}

/** Run `inputs` through a session and check every result against the reference; returns the run. */
async function checkAgainstReference(pools: Pools, model: Model, inputs: Int32Array[], reveal: RevealPolicy) {
  const run = await runLocalInference({ config: pools.config, registry, model, inputs, reveal, heWorkers: pools.server, clientHe: pools.client });
  run.inferences.forEach((result, i) => {
    const expected = referenceInference(model, inputs[i]!);
    assert.equal(result.label, expected.label, `input ${i}: label`);
    if (reveal === 'logits') assert.deepEqual(result.logits, expected.logits, `input ${i}: logits bit for bit`);
    else assert.equal(result.logits, null, 'the label policy reveals no logits');
    // Each phase's and layer's measured bytes and rounds are the plan's prediction.
    const traffic = (f: Figures) => ({ clientToServer: f.clientToServer, serverToClient: f.serverToClient, rounds: f.rounds });
    const predicted = run.expectedTraffic;
    assert.deepEqual(traffic(result.figures.offline), predicted.offline, `input ${i}: offline traffic`);
    assert.deepEqual(traffic(result.figures.online), predicted.online, `input ${i}: online traffic`);
    result.figures.layers.forEach((layer, k) => {
      assert.deepEqual({ name: layer.name, offline: traffic(layer.offline), online: traffic(layer.online) }, predicted.layers[k], `input ${i}: layer ${layer.name}`);
    });
  });
  return run;
}

describe('private inference on the plaintext HE double (real OT and garbling)', () => {
  let pools: Pools | undefined;
  before(async () => {
    pools = await startPools(parseConfig({ profile: 'test', plugins: { he: 'insecure-plain-he' } }));
  });
  after(() => closePools(pools));

  it('equals the plaintext reference bit for bit on random models with every layer kind (property)', async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(modelDraws, fc.constantFrom<RevealPolicy>('logits', 'label'), fc.integer({ min: 1, max: 2 }), async (draw, reveal, count) => {
        const model = { ...randomIntegerModel(draw, P), salt: new Uint8Array(32) };
        const { shape, min, max } = model.architecture.input;
        const size = shape.channels * shape.height * shape.width;
        const inputs = Array.from({ length: count }, (_, k) => Int32Array.from({ length: size }, (_, i) => min + ((i * 7919 + k * 104729 + draw.seed) % (max - min + 1))));
        try {
          for (const input of inputs) referenceInference(model, input);
        } catch (error) {
          // Random weights may overflow p; the quantiser refuses such models, so they are out of scope.
          if (error instanceof ModelRangeError) return;
          throw error;
        }
        await checkAgainstReference(pools!, model, inputs, reveal);
        ran++;
      }),
      { numRuns: 12 },
    );
    assert.ok(ran >= 6, `only ${ran} of 12 random models fit p`);
  });
});

describe('private inference on seal-bfv (secure preset)', () => {
  let pools: Pools | undefined;
  before(async () => {
    pools = await startPools(parseConfig({ profile: 'test' }));
  });
  after(() => closePools(pools));

  for (const [name, reveal] of [['A', 'logits'], ['B', 'logits'], ['C', 'label'], ['D', 'logits'], ['CIFAR-small', 'label']] as const) {
    it(`network ${name} with random weights equals the reference bit for bit (reveal ${reveal})`, async () => {
      const { model } = randomModel(name, 'engine-test');
      const images = randomImages(model.architecture.input.shape, 2, `engine-test/${name}`);
      const before = [...(await pools!.server.liveObjects()), await pools!.client.request('live-objects', {})];
      const run = await checkAgainstReference(pools!, model, images.map((image) => quantiseInput(model.architecture, image)), reveal);
      assert.ok(run.server.minMarginBits >= 40, `flooding margin ${run.server.minMarginBits}`);
      // Keys, ciphertexts and the model's cached plaintexts are all released again.
      assert.deepEqual([...(await pools!.server.liveObjects()), await pools!.client.request('live-objects', {})], before, 'live node-seal objects');
    });
  }
});
