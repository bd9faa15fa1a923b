/**
 * The padding contract, against onnxruntime: a Conv or MaxPool is imported exactly when the format's
 * padding ("same"/"valid" for a Conv, none for a pool) computes what ONNX computes. Random sizes,
 * kernels, strides, auto_pad modes and explicit pads; where the import accepts, its float model must
 * equal onnxruntime's output; where it refuses, no format padding may equal it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ModelImportError } from '../errors.ts';
import { floatInference } from '../model/float-inference.ts';
import type { FloatLayer, FloatModel } from '../model/float-model.ts';
import { onnxToFloatModel } from './onnx-to-float-model.ts';
import { OnnxRuntimeModel } from './onnxruntime-model.ts';
import { readOnnx } from './read-onnx.ts';
import { onnxBytes, type NodeSpec } from '../../test/support/onnx-graph.ts';

interface Case {
  readonly op: 'Conv' | 'MaxPool';
  readonly size: number;
  readonly kernel: number;
  readonly stride: number;
  readonly autoPad: 'NOTSET' | 'VALID' | 'SAME_UPPER' | 'SAME_LOWER';
  readonly pads: readonly [number, number, number, number];
  readonly ceilMode: number;
  readonly weights: readonly number[];
  readonly input: readonly number[];
}

const CHANNELS_OUT = 2;

const caseArbitrary = fc
  .record({
    op: fc.constantFrom('Conv' as const, 'MaxPool' as const),
    size: fc.integer({ min: 5, max: 9 }),
    kernel: fc.constantFrom(1, 3, 5),
    stride: fc.constantFrom(1, 2),
    autoPad: fc.constantFrom('NOTSET' as const, 'NOTSET' as const, 'VALID' as const, 'SAME_UPPER' as const, 'SAME_LOWER' as const),
    pads: fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 })),
    ceilMode: fc.constantFrom(0, 1),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 2 }),
  })
  .map(({ seed, ...c }): Case => {
    // onnxruntime refuses pool pads as large as the window; keep them below it (the contract is the same).
    const pads = c.op === 'MaxPool' ? (c.pads.map((p) => Math.min(p, c.kernel - 1)) as unknown as Case['pads']) : c.pads;
    // Values of magnitude 0.1..1 and random sign, all different (a Lehmer generator): no zeros or ties
    // that would let a wrong padding compute the same output by accident.
    let state = seed;
    const next = () => {
      state = (state * 48271) % 2147483647;
      return (state % 2 === 0 ? 1 : -1) * (0.1 + (0.9 * state) / 2147483647);
    };
    return { ...c, pads, weights: Array.from({ length: CHANNELS_OUT * c.kernel ** 2 }, next), input: Array.from({ length: c.size ** 2 }, next) };
  });

function bytesOf(c: Case): Uint8Array {
  const attributes: NodeSpec['attributes'] = {
    kernel_shape: [c.kernel, c.kernel],
    strides: [c.stride, c.stride],
    auto_pad: c.autoPad,
    ...(c.autoPad === 'NOTSET' ? { pads: [...c.pads] } : {}),
    ...(c.op === 'MaxPool' ? { ceil_mode: c.ceilMode } : {}),
  };
  return onnxBytes({
    inputs: { x: [1, 1, c.size, c.size] },
    outputs: ['y'],
    initialisers: c.op === 'Conv' ? { w: { dims: [CHANNELS_OUT, 1, c.kernel, c.kernel], values: c.weights } } : {},
    nodes: [{ op: c.op, inputs: c.op === 'Conv' ? ['x', 'w'] : ['x'], outputs: ['y'], name: 'node', attributes }],
  });
}

/** The format's layers that could stand for the node. */
function candidates(c: Case): FloatLayer[] {
  if (c.op === 'MaxPool') return c.kernel <= c.size ? [{ kind: 'maxpool', name: 'node', window: c.kernel, stride: c.stride }] : [];
  const conv = (padding: 'same' | 'valid'): FloatLayer => ({
    kind: 'conv2d', name: 'node', inChannels: 1, outChannels: CHANNELS_OUT, kernelSize: c.kernel, stride: c.stride, padding,
    weights: Float64Array.from(c.weights), bias: new Float64Array(CHANNELS_OUT),
  });
  return [conv('same'), ...(c.kernel <= c.size ? [conv('valid')] : [])];
}

const close = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) < 1e-5);

describe('padding against onnxruntime', () => {
  it('a Conv or MaxPool is imported exactly when the format computes what onnxruntime does', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const bytes = bytesOf(c);
        const x = Float64Array.from(c.input);
        const runtime = await OnnxRuntimeModel.create(bytes, { input: { name: 'x', dims: [1, 1, c.size, c.size] }, logits: 'y' }, 'case.onnx');
        let expected: Float64Array | undefined;
        try {
          expected = await runtime.run(x);
        } catch {
          // onnxruntime refuses a few cases ONNX allows (SAME padding that comes out negative for a pool).
        } finally {
          await runtime.dispose();
        }
        fc.pre(expected !== undefined);
        let imported: FloatModel | undefined;
        try {
          imported = onnxToFloatModel(readOnnx(bytes, 'case.onnx')).model;
        } catch (error) {
          if (!(error instanceof ModelImportError)) throw error;
        }
        if (imported) {
          accepted++;
          assert.ok(close(floatInference(imported, x), expected!), `imported ${JSON.stringify(imported.layers[0], (k, v) => (k === 'weights' || k === 'bias' ? undefined : v))} differs from onnxruntime`);
        } else {
          refused++;
          const input = { shape: { channels: 1, height: c.size, width: c.size }, floatRange: [0, 1] as const };
          for (const layer of candidates(c)) {
            assert.ok(!close(floatInference({ name: 'candidate', input, layers: [layer] }, x), expected!), `refused, but ${layer.kind} ${'padding' in layer ? layer.padding : ''} computes it`);
          }
        }
      }),
      { numRuns: 30 },
    );
    assert.ok(accepted > 0 && refused > 0, `both outcomes occur (accepted ${accepted}, refused ${refused})`);
  });
});
