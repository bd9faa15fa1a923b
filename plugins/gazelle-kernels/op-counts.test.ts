import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linearInputLength, linearWeightCounts, type ConvVariant } from '../../core/linear.ts';
import { PlainHeBackend } from '../insecure-plain-he/plain-he.ts';
import { BENCHMARK_LAYERS, TIMED_LAYERS } from './benchmark-layers.ts';
import { designCounts, deviatesFromDesign } from './design-formulas.ts';
import { GazelleKernels } from './gazelle-kernels.ts';
import { runEncryptedLayer } from './layer-check.ts';

const kernels = new GazelleKernels();

/** Deterministic spread of values (the counts do not depend on them; the correctness check does). */
function spread(length: number, bound: number, offset: number): number[] {
  return Array.from({ length }, (_, i) => (((i + 1) * 2654435761) >>> 0) % bound - offset);
}

for (const slotCount of [4096, 8192]) {
  test(`benchmark layers at n = ${slotCount}: counted operations = kernel formulas = design §4 formulas (deviations named)`, () => {
    const he = new PlainHeBackend({ polyModulusDegree: slotCount });
    const p = he.params.plainModulus;
    const layers = [...BENCHMARK_LAYERS, ...TIMED_LAYERS].filter((l, i, all) => all.findIndex((m) => JSON.stringify(m.spec) === JSON.stringify(l.spec)) === i);
    for (const { name, spec } of layers) {
      const sizes = linearWeightCounts(spec);
      const weights = { weights: Int32Array.from(spread(sizes.weights, 255, 127)), bias: Int32Array.from(spread(sizes.bias, 255, 127)) };
      const x = Uint32Array.from(spread(linearInputLength(spec), p, 0));
      const variants: (ConvVariant | undefined)[] = spec.kind === 'dense' ? [undefined] : ['input-rotation', 'output-rotation'];
      for (const variant of variants) {
        const where = `${name}, n = ${slotCount}${variant ? `, ${variant}` : ''}`;
        const run = runEncryptedLayer(kernels, he, spec, weights, x, variant ? { variant } : {});
        assert.deepEqual(run.actual, run.expected, `${where}: output`);
        assert.deepEqual(run.counts, run.expectedCounts, `${where}: counted = formulas`);
        const design = designCounts(spec, slotCount, variant);
        const ours = { rotations: run.counts.rotations, plainMultiplications: run.counts.plainMultiplications };
        const deviation = deviatesFromDesign(spec, slotCount);
        if (deviation === undefined) assert.deepEqual(ours, design, `${where}: design formulas`);
        else {
          // The literal formulas can be fractional here (fewer matrix entries than slots): round up.
          assert.ok(ours.rotations <= Math.ceil(design.rotations) && ours.plainMultiplications <= Math.ceil(design.plainMultiplications), `${where}: ${deviation}`);
          assert.notDeepEqual(ours, design, `${where}: a named deviation must be real`);
        }
      }
    }
    assert.equal(he.liveHandles, 0);
  });
}

test('the design formulas by hand for two layers (GAZELLE §5.2, §5.3)', () => {
  // FC 784→128 at n = 8192: pad to 1024; 128·1024/8192 = 16 products, 15 + log2(8192/128) = 21 rotations.
  assert.deepEqual(designCounts(BENCHMARK_LAYERS[0]!.spec, 8192), { plainMultiplications: 16, rotations: 21 });
  // Conv 3x3 64→64 on 32x32 at n = 8192: c_n = 8; 8·9·8·8 = 4608 products; 8·(72−1) = 568 or 8·8 + 8·7 = 120 rotations.
  const conv = BENCHMARK_LAYERS.find((l) => l.name === 'CIFAR: Conv 3x3 64→64, 32x32')!.spec;
  assert.deepEqual(designCounts(conv, 8192, 'input-rotation'), { plainMultiplications: 4608, rotations: 568 });
  assert.deepEqual(designCounts(conv, 8192, 'output-rotation'), { plainMultiplications: 4608, rotations: 120 });
});
