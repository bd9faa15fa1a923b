import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import { ConfigError, ModelImportError } from '../errors.ts';
import type { FloatLayer } from '../model/float-model.ts';
import { importOnnxFile, onnxToFloatModel, type OnnxImportOptions } from './onnx-to-float-model.ts';
import { readOnnx } from './read-onnx.ts';
import { onnxBytes, type GraphSpec, type NodeSpec } from '../../test/support/onnx-graph.ts';

const FIXTURES = new URL('../../test/fixtures/onnx/', import.meta.url).pathname;
const importBytes = (bytes: Uint8Array, options?: OnnxImportOptions) => onnxToFloatModel(readOnnx(bytes, 'test.onnx'), options);
const importSpec = (spec: GraphSpec, options?: OnnxImportOptions) => importBytes(onnxBytes(spec), options);

function summary(layer: FloatLayer): string {
  switch (layer.kind) {
    case 'conv2d':
      return `conv2d ${layer.inChannels}→${layer.outChannels} k${layer.kernelSize} s${layer.stride} ${layer.padding}`;
    case 'dense':
      return `dense ${layer.inputs}→${layer.outputs}`;
    case 'maxpool':
    case 'avgpool':
      return `${layer.kind} ${layer.window}/${layer.stride}`;
    default:
      return layer.kind;
  }
}

function problemsOf(run: () => unknown): { node: string; problem: string }[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ModelImportError, `expected a ModelImportError, got ${String(error)}`);
    return error.problems.map(({ node, problem }) => ({ node, problem }));
  }
  assert.fail('the import succeeded');
}

/** One convolution 1→1 of kernel k over an H×H image. */
function convSpec(k: number, attributes: NodeSpec['attributes'], size = 8, extra: readonly NodeSpec[] = []): GraphSpec {
  return {
    inputs: { x: [1, 1, size, size] },
    outputs: ['y'],
    initialisers: { w: { dims: [1, 1, k, k], values: new Array(k * k).fill(0.5) } },
    nodes: [...extra, { op: 'Conv', inputs: [extra.length > 0 ? 'padded' : 'x', 'w'], outputs: ['y'], name: 'conv', attributes }],
  };
}

describe('ONNX import: models from exporters', () => {
  it('mnist-8 (CNTK, opset 8, IR 3 initialisers among the inputs, a Reshape of the weights, Add biases)', () => {
    const { model, notices, opset } = importOnnxFile(`${FIXTURES}mnist-8.onnx`);
    assert.equal(opset, 8);
    assert.deepEqual(model.input, { shape: { channels: 1, height: 28, width: 28 }, floatRange: [0, 1] });
    assert.deepEqual(model.layers.map(summary), ['conv2d 1→8 k5 s1 same', 'relu', 'maxpool 2/2', 'conv2d 8→16 k5 s1 same', 'relu', 'maxpool 3/3', 'dense 256→10']);
    assert.deepEqual(notices, []);
    // The dense layer is MatMul(x, W[256×10]) + b: its outputs×inputs weights are W transposed.
    const graph = onnxProto.onnx.ModelProto.decode(readFileSync(`${FIXTURES}mnist-8.onnx`)).graph!;
    const w = graph.initializer!.find((t) => t.name === 'Parameter193')!.floatData!;
    const b = graph.initializer!.find((t) => t.name === 'Parameter194')!.floatData!;
    const dense = model.layers[6]!;
    assert.ok(dense.kind === 'dense');
    for (const [o, i] of [[0, 0], [3, 17], [9, 255]] as const) assert.equal(dense.weights[o * 256 + i], w[i * 10 + o]);
    assert.deepEqual(Array.from(dense.bias), Array.from(b));
  });

  it('a PyTorch export with BatchNorm, Pad + AveragePool, Dropout, Identity and Softmax, each skip with a notice', () => {
    const { model, notices } = importOnnxFile(`${FIXTURES}bn-avgpool.onnx`, { inputRange: [-1, 1], name: 'bn' });
    assert.equal(model.name, 'bn');
    assert.deepEqual(model.input.floatRange, [-1, 1]);
    assert.deepEqual(model.layers.map(summary), ['conv2d 1→4 k3 s1 same', 'batchnorm', 'relu', 'avgpool 2/2', 'dense 784→10']);
    assert.equal(notices.length, 4);
    assert.match(notices.join('\n'), /Pad.*folded into "\/3\/AveragePool"/);
    assert.match(notices.join('\n'), /"identity" \(Identity\)/);
    assert.match(notices.join('\n'), /"dropout" \(Dropout\)/);
    assert.match(notices.join('\n'), /Softmax.*logits before it/);
  });

  it('a PyTorch export with x·x, x**2 and x.view(x.size(0), -1) under a dynamic batch axis', () => {
    const { model } = importOnnxFile(`${FIXTURES}square-view.onnx`);
    assert.deepEqual(model.layers.map(summary), ['conv2d 1→5 k5 s2 same', 'square', 'dense 980→8', 'square', 'dense 8→10']);
  });

  it('reports every unsupported node of a model at once, with what to do', () => {
    const problems = problemsOf(() => importOnnxFile(`${FIXTURES}unsupported.onnx`));
    assert.deepEqual(problems.map((p) => p.node), ['/1/Sigmoid', '/2/Conv', '/3/Conv', '/4/Tanh', '/8/LeakyRelu']);
    assert.match(problems[1]!.problem, /group = 2/);
    assert.match(problems[2]!.problem, /dilations \[2, 2\]/);
    try {
      importOnnxFile(`${FIXTURES}unsupported.onnx`);
    } catch (error) {
      assert.match((error as Error).message, /5 problems/);
      assert.match((error as Error).message, /Sigmoid.*replace the activation by Relu or x²/);
    }
  });
});

describe('ONNX import: padding reduces to "same" or "valid", or is reported', () => {
  const padding = (spec: GraphSpec) => {
    const layer = importSpec(spec).model.layers[0]!;
    assert.ok(layer.kind === 'conv2d');
    return layer.padding;
  };

  it('explicit pads and auto_pad', () => {
    assert.equal(padding(convSpec(5, { pads: [2, 2, 2, 2] })), 'same');
    assert.equal(padding(convSpec(5, { pads: [2, 2, 2, 2], strides: [2, 2] })), 'same');
    assert.equal(padding(convSpec(5, { pads: [0, 0, 0, 0], strides: [2, 2] })), 'valid');
    assert.equal(padding(convSpec(3, {})), 'valid');
    assert.equal(padding(convSpec(3, { auto_pad: 'SAME_UPPER' })), 'same');
    assert.equal(padding(convSpec(5, { auto_pad: 'SAME_LOWER' })), 'same');
    assert.equal(padding(convSpec(3, { auto_pad: 'VALID', strides: [2, 2] })), 'valid');
    // Extra padding after the last row that no window reaches changes nothing.
    assert.equal(padding(convSpec(3, { pads: [0, 0, 1, 1], strides: [2, 2] }, 9)), 'valid');
    assert.equal(problemsOf(() => importSpec(convSpec(3, { pads: [0, 0, 1, 1], strides: [2, 2] }, 8))).length, 1, 'on 8 rows the padding adds a window');
  });

  it('SAME_UPPER with stride 2 on an even size pads 1 before and 2 after a 5×5 kernel: not "same"', () => {
    const [problem] = problemsOf(() => importSpec(convSpec(5, { auto_pad: 'SAME_UPPER', strides: [2, 2] })));
    assert.equal(problem!.node, 'conv');
    assert.match(problem!.problem, /padding \[top 1, left 1, bottom 2, right 2\]/);
  });

  it('asymmetric or partial explicit pads are reported', () => {
    assert.equal(problemsOf(() => importSpec(convSpec(5, { pads: [1, 1, 1, 1] }))).length, 1);
    assert.equal(problemsOf(() => importSpec(convSpec(3, { pads: [1, 0, 1, 0] }))).length, 1);
  });

  it('a zero Pad node folds into the Conv after it', () => {
    const pad: NodeSpec = { op: 'Pad', inputs: ['x', 'pads'], outputs: ['padded'] };
    const spec = convSpec(5, {}, 8, [pad]);
    const withPads = (pads: number[]) => ({ ...spec, initialisers: { ...spec.initialisers, pads: { dims: [8], values: pads, int64: true } } });
    assert.equal(padding(withPads([0, 0, 2, 2, 0, 0, 2, 2])), 'same');
    assert.equal(padding(withPads([0, 0, 0, 0, 0, 0, 0, 0])), 'valid');
    assert.deepEqual(problemsOf(() => importSpec(withPads([0, 1, 2, 2, 0, 0, 2, 2]))).map((p) => p.node), ['pad0']);
  });
});

describe('ONNX import: graphs the format cannot take are reported, all at once', () => {
  const w = { dims: [4, 1, 3, 3], values: new Array(36).fill(0.1) };

  it('a residual connection, a Softmax in the middle, a Pad before Relu and a stray Add', () => {
    const problems = problemsOf(() =>
      importSpec({
        inputs: { x: [1, 1, 8, 8] },
        outputs: ['out'],
        initialisers: { w, pads: { dims: [8], values: [0, 0, 1, 1, 0, 0, 1, 1], int64: true }, c: { dims: [1], values: [1] } },
        nodes: [
          { op: 'Conv', inputs: ['x', 'w'], outputs: ['a'], attributes: { pads: [1, 1, 1, 1] }, name: 'conv' },
          { op: 'Softmax', inputs: ['a'], outputs: ['s'], attributes: { axis: 1 }, name: 'softmax' },
          { op: 'Relu', inputs: ['s'], outputs: ['r'], name: 'relu' },
          { op: 'Add', inputs: ['r', 's'], outputs: ['sum'], name: 'residual' },
          { op: 'Pad', inputs: ['r', 'pads'], outputs: ['p'], name: 'pad' },
          { op: 'Relu', inputs: ['p'], outputs: ['r2'], name: 'relu2' },
          { op: 'Add', inputs: ['r2', 'c'], outputs: ['out'], name: 'shift' },
        ],
      }),
    );
    assert.deepEqual(problems.map((p) => p.node), ['softmax', 'residual', 'pad', 'shift']);
    assert.match(problems[1]!.problem, /branches or merges/);
  });

  it('two data inputs, kernel 7, stride 3, transA and an unknown operator', () => {
    const problems = problemsOf(() =>
      importSpec({
        inputs: { x: [1, 1, 'h', 28], y: [1, 4] },
        outputs: ['out'],
        initialisers: { w7: { dims: [2, 1, 7, 7], values: new Array(98).fill(0) }, m: { dims: [4, 4], values: new Array(16).fill(0) } },
        nodes: [
          { op: 'Conv', inputs: ['x', 'w7'], outputs: ['a'], attributes: { strides: [3, 3] }, name: 'big' },
          { op: 'Flatten', inputs: ['a'], outputs: ['f'] },
          { op: 'Gemm', inputs: ['f', 'm'], outputs: ['g'], attributes: { transA: 1 }, name: 'gemm' },
          { op: 'FusedRelu', inputs: ['g'], outputs: ['out'], name: 'custom' },
        ],
      }),
    );
    assert.equal(problems[0]!.node, '');
    assert.match(problems[0]!.problem, /2 data inputs/);
    assert.deepEqual(problems.slice(1).map((p) => p.node), ['big', 'big', 'gemm', 'custom']);
    assert.match(problems[1]!.problem, /kernel 7×7/);
    assert.match(problems[2]!.problem, /stride 3/);
  });

  it('non-finite weights and a BatchNorm with a negative variance', () => {
    const spec: GraphSpec = {
      inputs: { x: [1, 1, 4, 4] },
      outputs: ['y'],
      initialisers: {
        w: { dims: [1, 1, 1, 1], values: [NaN] },
        scale: { dims: [1], values: [1] },
        zero: { dims: [1], values: [0] },
        variance: { dims: [1], values: [-1] },
      },
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['a'], name: 'conv' },
        { op: 'BatchNormalization', inputs: ['a', 'scale', 'zero', 'zero', 'variance'], outputs: ['y'], name: 'bn' },
      ],
    };
    const [nan] = problemsOf(() => importSpec(spec));
    assert.deepEqual(nan, { node: 'conv', problem: 'its weight "w" holds NaN at index 0' });
    const [variance] = problemsOf(() => importSpec({ ...spec, initialisers: { ...spec.initialisers, w: { dims: [1, 1, 1, 1], values: [1] } } }));
    assert.equal(variance!.node, 'bn');
    assert.match(variance!.problem, /variance \+ epsilon must be positive/);
  });

  it('a symbolic image size and an unreadable initialiser', () => {
    const spec = convSpec(3, {});
    const problems = problemsOf(() => importSpec({ ...spec, inputs: { x: [1, 1, 'h', 8] }, initialisers: { w: { dims: [1, 1, 3, 3], values: [1, 2, 3] } } }));
    assert.match(problems[0]!.problem, /shape \[1, 1, h, 8\]/);
    assert.equal(problems[1]!.node, 'w');
    assert.match(problems[1]!.problem, /holds 3 values.*needs 9/);
  });
});

describe('ONNX import: operator details', () => {
  it('Gemm alpha and beta scale the weights and the bias; transB picks the layout', () => {
    const spec = (transB: number): GraphSpec => ({
      inputs: { x: [1, 2] },
      outputs: ['y'],
      initialisers: { b: { dims: [2, 3], values: [1, 2, 3, 4, 5, 6] }, c: { dims: [3], values: [1, 1, 1] } },
      nodes: [{ op: 'Gemm', inputs: ['x', 'b', 'c'], outputs: ['y'], attributes: { alpha: { float: 2 }, beta: { float: 0.5 }, transB } }],
    });
    const dense = importSpec(spec(0)).model.layers[0]!;
    assert.ok(dense.kind === 'dense');
    assert.deepEqual([dense.inputs, dense.outputs], [2, 3]);
    assert.deepEqual(Array.from(dense.weights), [2, 8, 4, 10, 6, 12]);
    assert.deepEqual(Array.from(dense.bias), [0.5, 0.5, 0.5]);
    assert.equal(problemsOf(() => importSpec(spec(1))).length, 1, 'transB = 1 reads B as 2 outputs × 3 inputs, and the input has 2');
  });

  it('opset 1: a Constant node, Reshape with a shape attribute, Add with legacy broadcast along axis 1', () => {
    const conv: NodeSpec = { op: 'Conv', inputs: ['x', 'w'], outputs: ['a'] };
    const bias: NodeSpec = { op: 'Constant', inputs: [], outputs: ['bias'], attributes: { value: { tensor: { dims: [2], values: [0.25, 0.5] } } } };
    const add: NodeSpec = { op: 'Add', inputs: ['a', 'bias'], outputs: ['b'], attributes: { broadcast: 1, axis: 1 } };
    const spec = (opset: number, last: NodeSpec[]): GraphSpec => ({
      opset,
      inputs: { x: [1, 1, 4, 4] },
      outputs: [last.length > 0 ? 'y' : 'b'],
      initialisers: { w: { dims: [2, 1, 1, 1], values: [1, -1] } },
      nodes: [bias, conv, add, ...last],
    });
    const { model } = importSpec(spec(1, [{ op: 'Reshape', inputs: ['b'], outputs: ['y'], attributes: { shape: [1, 32] } }]));
    assert.deepEqual(model.layers.map(summary), ['conv2d 1→2 k1 s1 valid']);
    const layer = model.layers[0]!;
    assert.ok(layer.kind === 'conv2d');
    assert.deepEqual(Array.from(layer.bias), [0.25, 0.5]);
    // From opset 7 on, broadcasting is numpy's: a [2] constant aligns with the width (4), so it is no bias.
    const problems = problemsOf(() => importSpec(spec(7, [])));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.problem, /not one value per channel/);
  });

  it('the input range must be lo < hi', () => {
    assert.throws(() => importOnnxFile(`${FIXTURES}mnist-8.onnx`, { inputRange: [1, 0] }), ConfigError);
  });
});

describe('ONNX import: unreadable files are a ModelImportError naming the file', () => {
  const mnist = readFileSync(`${FIXTURES}mnist-8.onnx`);

  it('empty, not protobuf, not a model, or missing', () => {
    assert.throws(() => importBytes(new Uint8Array(0)), /test\.onnx: cannot import.*empty/s);
    assert.throws(() => importBytes(new TextEncoder().encode('this is not an ONNX file at all')), (e) => e instanceof ModelImportError && /not a valid ONNX protobuf/.test(e.message));
    assert.throws(() => importBytes(readFileSync(new URL('./read-onnx.ts', import.meta.url))), ModelImportError);
    assert.throws(() => importOnnxFile(`${FIXTURES}no-such-file.onnx`), (e) => e instanceof ConfigError && /no-such-file\.onnx/.test((e as Error).message));
  });

  it('every truncation of mnist-8 is a ModelImportError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: mnist.length - 1 }), (cut) => {
        assert.throws(() => importBytes(mnist.subarray(0, cut)), ModelImportError);
      }),
      { numRuns: 200 },
    );
  });

  it('corrupted bytes import or give a ModelImportError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: mnist.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }), (flips) => {
        const bytes = Uint8Array.from(mnist);
        for (const [at, mask] of flips) bytes[at]! ^= mask;
        try {
          importBytes(bytes);
        } catch (error) {
          assert.ok(error instanceof ModelImportError, `${(error as Error).name}: ${(error as Error).message}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
