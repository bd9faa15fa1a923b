import assert from 'node:assert/strict';
import { it } from 'node:test';
import { suite } from './he.ts';

it('he bench (quick): kernels run on seal-bfv, match the reference, report counts, times and bytes', async () => {
  const result = (await suite.run({ quick: true, log: () => {} })) as {
    presets: Record<string, { layers: Record<string, unknown>[] }>;
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
});
