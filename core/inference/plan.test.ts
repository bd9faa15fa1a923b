import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { neuronAndCount } from '../circuit/lib/neuron.ts';
import { ConfigError } from '../errors.ts';
import { linearOutputLength } from '../linear.ts';
import { isLinear, shapeSize, type Architecture } from '../model/architecture.ts';
import { poolApply, squareWindow } from '../model/pool.ts';
import { layerShapes } from '../model/validate.ts';
import { GazelleKernels } from '../../plugins/gazelle-kernels/gazelle-kernels.ts';
import { modelDraws, randomIntegerModel } from '../../test/support/random-models.ts';
import { planInference, type NonlinearStage } from './plan.ts';

const kernels = new GazelleKernels();
const P = 557057;
const he = (slotCount: number) => ({ params: { preset: 'custom', polyModulusDegree: slotCount, slotCount, rowSize: slotCount / 2, plainModulus: P, coeffModulusBits: [] } });

test('the plan covers every layer: stage lengths chain, parts partition each linear output, steps are the parts\' union', () => {
  fc.assert(
    fc.property(modelDraws, fc.integer({ min: 1, max: 4 }), fc.constantFrom<'logits' | 'label'>('logits', 'label'), (draw, parallelism, reveal) => {
      const { architecture } = randomIntegerModel(draw, P);
      const plan = planInference(architecture, he(1024), kernels, { parallelism, reveal });
      const shapes = layerShapes(architecture);
      let length = shapeSize(architecture.input.shape);
      for (const stage of plan.stages) {
        assert.equal(stage.inputLength, length, `stage ${stage.name} reads what the previous one wrote`);
        length = stage.outputLength;
      }
      assert.equal(length, reveal === 'label' ? 1 : shapeSize(shapes.at(-1)!));
      const steps = new Set<number>();
      let returned = 0;
      for (const stage of plan.stages) {
        if (stage.kind !== 'linear') continue;
        assert.ok(stage.parts.length >= 1 && stage.parts.length <= parallelism);
        const pieces = stage.parts[0]!.piece.count;
        let covered = 0;
        for (const [k, part] of stage.parts.entries()) {
          assert.equal(part.outputLength, linearOutputLength(part.spec));
          if (pieces === 1) {
            assert.equal(part.outputStart, covered, 'output slices are contiguous, in order');
            covered += part.outputLength;
          } else {
            assert.deepEqual(part.piece, { index: k, count: stage.parts.length }, 'work pieces 0..k-1, each over the whole output');
            assert.equal(part.outputStart, 0);
            covered = part.outputLength;
          }
          returned += part.outputCiphertexts;
          for (const s of kernels.rotationSteps(part.spec, he(1024), { piece: part.piece })) steps.add(s);
        }
        assert.equal(covered, stage.outputLength);
      }
      assert.deepEqual(plan.galoisSteps, [...steps].sort((a, b) => a - b));
      assert.equal(plan.returnedCiphertexts, returned);
      const w = Math.floor(Math.log2(P)) + 1;
      const bits = plan.stages.reduce((sum, s) => sum + (s.kind === 'nonlinear' ? s.instances * (s.neuron.pool ?? 1) * w : s.kind === 'argmax' ? s.classes * w : 0), 0);
      assert.equal(plan.evaluatorInputBits, bits);
    }),
    { numRuns: 150 },
  );
});

test('a garbled stage gathers exactly the max-pool windows of the reference, and counts the neuron\'s AND gates', () => {
  fc.assert(
    fc.property(modelDraws, (draw) => {
      const { architecture } = randomIntegerModel(draw, P);
      const plan = planInference(architecture, he(1024), kernels);
      const shapes = layerShapes(architecture);
      for (const stage of plan.stages.filter((s): s is NonlinearStage => s.kind === 'nonlinear')) {
        assert.equal(stage.andGatesPerInstance, neuronAndCount(stage.neuron));
        if (!stage.gather) continue;
        // The maxpool layer of this stage: the window max through the gather equals the reference pool.
        const poolIndex = architecture.layers.findIndex((l) => l.kind === 'maxpool' && stage.name.split('+').includes(l.name));
        const layer = architecture.layers[poolIndex]!;
        if (layer.kind !== 'maxpool') throw new Error('unreachable');
        const incoming = poolIndex === 0 ? architecture.input.shape : shapes[poolIndex - 1]!;
        const x = Float64Array.from({ length: shapeSize(incoming) }, (_, i) => (i * 7919) % 101);
        const expected = poolApply('max', x, incoming, squareWindow(layer.window, layer.stride));
        const pool = stage.neuron.pool!;
        const viaGather = Float64Array.from({ length: stage.instances }, (_, i) => Math.max(...Array.from({ length: pool }, (_, j) => x[stage.gather![i * pool + j]!]!)));
        assert.deepEqual(viaGather, expected);
      }
    }),
    { numRuns: 150 },
  );
});

test('network D: stages, fused ReLU+MaxPool neurons, two-way split of the first convolution', () => {
  const conv = (name: string, inChannels: number, size: number): Architecture['layers'][number] => ({
    kind: 'conv2d', name, inChannels, outChannels: 16, height: size, width: size, kernelSize: 5, stride: 1, padding: 'valid', weightScaleBits: 6,
  });
  const architecture: Architecture = {
    format: 'gazelle-architecture/1',
    name: 'D',
    input: { shape: { channels: 1, height: 28, width: 28 }, floatRange: [0, 1], scaleBits: 8, min: 0, max: 256 },
    plainModulus: P,
    layers: [
      conv('conv1', 1, 28), { kind: 'relu', name: 'relu1' }, { kind: 'rescale', name: 'shift1', shift: 6 }, { kind: 'maxpool', name: 'pool1', window: 2, stride: 2 },
      conv('conv2', 16, 12), { kind: 'relu', name: 'relu2' }, { kind: 'maxpool', name: 'pool2', window: 2, stride: 2 },
      { kind: 'dense', name: 'fc1', inputs: 256, outputs: 100, weightScaleBits: 6 }, { kind: 'relu', name: 'relu3' },
      { kind: 'dense', name: 'fc2', inputs: 100, outputs: 10, weightScaleBits: 6 },
    ],
    output: { classes: 10, scaleBits: 12 },
  };
  const plan = planInference(architecture, he(8192), kernels, { parallelism: 2, reveal: 'label' });
  assert.deepEqual(plan.stages.map((s) => `${s.kind}:${s.name}`), [
    'linear:conv1', 'nonlinear:relu1+shift1+pool1', 'linear:conv2', 'nonlinear:relu2+pool2', 'linear:fc1', 'nonlinear:relu3', 'linear:fc2', 'argmax:argmax',
  ]);
  const relu1 = plan.stages[1] as NonlinearStage;
  assert.deepEqual(relu1.neuron, { p: P, pool: 4, shift: 6, relu: true });
  assert.equal(relu1.instances, 16 * 12 * 12);
  const conv1 = plan.stages[0]!;
  assert.ok(conv1.kind === 'linear' && conv1.parts.length === 2 && conv1.inputGroups === 1, 'conv1: shared by two workers, one upload');
  assert.equal(plan.evaluatorInputBits, (16 * 24 * 24 + 16 * 8 * 8 + 100 + 10) * 20);
  assert.ok(architecture.layers.filter(isLinear).length === 4);
});

test('refuses what it cannot run: a model for another prime, bad options', () => {
  const { architecture } = randomIntegerModel({ seed: 1, channels: 1, height: 4, width: 4, layers: 0, classes: 2 }, P);
  assert.throws(() => planInference({ ...architecture, plainModulus: 65537 }, he(64), kernels), (e: unknown) => e instanceof ConfigError && /plaintext modulus is 557057/.test((e as Error).message));
  assert.throws(() => planInference(architecture, he(64), kernels, { parallelism: 0 }), ConfigError);
  assert.throws(() => planInference(architecture, he(64), kernels, { reveal: 'everything' as never }), ConfigError);
});
