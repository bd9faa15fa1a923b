/**
 * The imported float model computes what the original ONNX model computes, with onnxruntime (not
 * written here) as the reference, and, for mnist-8, the logits the ONNX Model Zoo shipped with it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadMnistTestSet } from '../image/idx.ts';
import { floatInference } from '../model/float-inference.ts';
import { floatInput } from '../model/input.ts';
import { quantise } from '../model/quantise.ts';
import { importOnnxFile } from './onnx-to-float-model.ts';
import { OnnxRuntimeModel } from './onnxruntime-model.ts';
import { verifyImport } from './verify-import.ts';

const FIXTURES = new URL('../../test/fixtures/onnx/', import.meta.url).pathname;
const zoo = JSON.parse(readFileSync(`${FIXTURES}mnist-8-zoo-test-data.json`, 'utf8')) as { cases: { input: number[]; output: number[] }[] };
const digits = zoo.cases.map((c) => Uint8Array.from(c.input));

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** Float logits of the import and onnxruntime's output of the file, on each digit. */
async function bothOn(file: string, images: readonly Uint8Array[]): Promise<{ mine: Float64Array; theirs: Float64Array }[]> {
  const { model, onnxIo } = importOnnxFile(file);
  const runtime = await OnnxRuntimeModel.create(readFileSync(file), onnxIo, file);
  try {
    const results = [];
    for (const pixels of images) {
      const x = floatInput(model.input, pixels);
      results.push({ mine: floatInference(model, x), theirs: await runtime.run(x) });
    }
    return results;
  } finally {
    await runtime.dispose();
  }
}

describe('imported float models agree with onnxruntime', () => {
  it('mnist-8: the logits of onnxruntime and of the zoo, within float32 rounding', async () => {
    const results = await bothOn(`${FIXTURES}mnist-8.onnx`, digits);
    results.forEach(({ mine, theirs }, k) => {
      assert.ok(maxDifference(mine, theirs) < 1e-4, `digit ${k}: ${mine} vs ${theirs}`);
      assert.ok(maxDifference(mine, zoo.cases[k]!.output) < 1e-4, `digit ${k} against the zoo's logits`);
    });
    assert.deepEqual(
      zoo.cases.map((c) => c.output.indexOf(Math.max(...c.output))),
      [5, 0, 4],
      'the zoo digits are a 5, a 0 and a 4',
    );
  });

  it('BatchNorm, Pad + AveragePool, Dropout, Identity; the logits before the final Softmax', async () => {
    for (const { mine, theirs } of await bothOn(`${FIXTURES}bn-avgpool.onnx`, digits)) assert.ok(maxDifference(mine, theirs) < 1e-5);
  });

  it('x·x, x**2, stride-2 "same" convolution, view under a dynamic batch', async () => {
    for (const { mine, theirs } of await bothOn(`${FIXTURES}square-view.onnx`, digits)) assert.ok(maxDifference(mine, theirs) < 1e-4 * Math.max(1, ...theirs.map(Math.abs)));
  });
});

describe('the quantised import agrees with onnxruntime', () => {
  it('mnist-8, quantised at the default prime: the same label as onnxruntime on the zoo digits and 60 MNIST test digits', async () => {
    const file = `${FIXTURES}mnist-8.onnx`;
    const { model: floatModel, onnxIo } = importOnnxFile(file);
    const test = loadMnistTestSet(60);
    const { model } = quantise(floatModel, test.images.slice(0, 30));
    const runtime = await OnnxRuntimeModel.create(readFileSync(file), onnxIo, file);
    try {
      const result = await verifyImport(runtime, model, [...digits, ...test.images], [5, 0, 4, ...test.labels]);
      assert.equal(result.images, 63);
      assert.deepEqual(result.disagreements, []);
      assert.ok(result.accuracy!.quantised >= 0.95, `quantised accuracy ${result.accuracy!.quantised}`);
      // The reference's logits, read at the output scale, stay near the float ones (mnist-8's logits reach about ±25).
      assert.ok(result.maxLogitDifference < 2, `largest logit difference ${result.maxLogitDifference}`);
    } finally {
      await runtime.dispose();
    }
  });
});
