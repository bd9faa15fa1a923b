import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NetworkFigures } from './he-networks.ts';
import { suite } from './he.ts';

it('he bench (quick): kernels run on seal-bfv, match the reference, report counts, times and bytes; the networks part reports keys, layers, output halves and pieces', async () => {
  const result = (await suite.run({ quick: true, log: () => {} })) as {
    presets: Record<string, { layers: Record<string, unknown>[] }>;
    networks: { networks: NetworkFigures[] };
  };
  const layers = result.presets.fast!.layers as {
    counts: object;
    expectedCounts: object;
    correct: boolean;
    seconds: number;
    limitSeconds: number;
    kernelOverheadSeconds: number;
    bytes: { upload: number; uploadPublicKey: number; download: number };
  }[];
  assert.equal(layers.length, 2);
  for (const layer of layers) {
    assert.equal(layer.correct, true);
    assert.deepEqual(layer.counts, layer.expectedCounts);
    assert.ok(layer.seconds > 0 && layer.limitSeconds > 0);
    assert.ok(layer.kernelOverheadSeconds >= 0 && layer.kernelOverheadSeconds < layer.seconds + 0.05);
    assert.ok(layer.bytes.upload < 0.51 * layer.bytes.uploadPublicKey, 'seeded symmetric upload is about half');
    assert.ok(layer.bytes.download > 0);
  }

  // The quick network: FC 100→10 and Conv 3x3 2→3 on 16x16 (each output checked against the reference inside the bench).
  const [network] = result.networks.networks;
  assert.equal(network!.layers.length, 2);
  const steps = new Set(network!.layers.flatMap((l) => l.rotationSteps));
  for (const step of steps) assert.ok(network!.galoisSteps.includes(step));
  assert.ok(network!.serverKeyBytes > 0 && network!.keygenSeconds > 0);
  for (const layer of network!.layers) {
    assert.ok(layer.whole.seconds > 0 && layer.whole.counts.plainMultiplications > 0);
    assert.equal(layer.outputSlices!.parts.length, 2, `${layer.layer}: two output halves`);
  }
  // The dense layer has one input ciphertext (no pieces); the conv's two pieces share out its products.
  const [dense, conv] = network!.layers;
  assert.equal(dense!.pieces, undefined);
  assert.equal(conv!.pieces!.parts.reduce((sum, part) => sum + part.counts.plainMultiplications, 0), conv!.whole.counts.plainMultiplications);
  assert.ok(network!.totals.whole >= network!.totals.outputSlices && network!.totals.outputSlices >= network!.totals.best);
});
