/**
 * The plan of a private inference (design §10): a pure function of the public architecture, the HE
 * parameters, the linear kernels' public geometry and the server's announced parallelism. Both
 * parties compute the same plan; the engine executes it, and tests assert that what the engine does
 * (Galois keys, garbled AND gates, OTs, bytes) is what the plan says.
 *
 * Stages (design §1-2):
 * - `linear`: Conv2d or Dense under HE (one round); a preceding `square` is fused into it (design §8:
 *   the client sends [c] and [c²], see square.ts). The output is split into `parts`
 *   (equal slices of output channels or outputs) that the server's HE workers compute in parallel.
 * - `nonlinear`: a run of relu / maxpool / rescale layers, fused into one garbled neuron circuit per
 *   output value (`core/circuit/lib/neuron.ts`): these maps are monotone, so ReLU(max(·)) >> shift
 *   equals them in any order; a second maxpool starts a new stage.
 * - `sumpool`: a sum over windows, applied locally by both parties to their shares.
 * - `argmax`: with the `label` reveal policy, a garbled argmax over the final shares.
 */
import { neuronAndCount, type NeuronSpec } from '../circuit/lib/neuron.ts';
import { ConfigError } from '../errors.ts';
import { linearOutputLength, type HeParameterSource, type LinearKernels, type LinearSpec, type OpCounts, type WorkPiece } from '../linear.ts';
import { isLinear, shapeSize, type Architecture, type Layer, type LinearLayer, type PoolLayer, type Shape } from '../model/architecture.ts';
import { layerShapes, poolOutputSize } from '../model/validate.ts';

export type RevealPolicy = 'logits' | 'label';
export const REVEAL_POLICIES: readonly RevealPolicy[] = ['logits', 'label'];

/**
 * One HE worker's share of a linear layer: a slice of its outputs (`spec` restricted to them, piece
 * 0 of 1), or a piece of its input-side work over all outputs (`spec` the whole layer; the pieces'
 * partial outputs add up, core/linear.ts `WorkPiece`).
 */
export interface LinearPart {
  /** The layer restricted to this slice of outputs (all inputs), or the whole layer for a piece. */
  readonly spec: LinearSpec;
  readonly piece: WorkPiece;
  /** This part adds to outputs [outputStart, outputStart + outputLength) of the layer's logical output. */
  readonly outputStart: number;
  readonly outputLength: number;
  /** Output channels (conv) or outputs (dense) [unitStart, unitStart + spec units) of the layer's weights. */
  readonly unitStart: number;
  /** Parts with the same input group read the same uploaded ciphertexts (same input layout). */
  readonly inputGroup: number;
  readonly rotationSteps: readonly number[];
  readonly expectedCounts: OpCounts;
  /** Ciphertexts of its input (per uploaded vector) and of its output. */
  readonly inputCiphertexts: number;
  readonly outputCiphertexts: number;
}

export interface LinearStage {
  readonly kind: 'linear';
  readonly name: string;
  readonly layer: LinearLayer;
  /** The input is squared first (a `square` layer precedes this one). */
  readonly square: boolean;
  readonly parts: readonly LinearPart[];
  /** Distinct input layouts: the client uploads its share once per group (twice with `square`). */
  readonly inputGroups: number;
  readonly inputLength: number;
  readonly outputLength: number;
}

export interface NonlinearStage {
  readonly kind: 'nonlinear';
  readonly name: string;
  readonly neuron: NeuronSpec;
  /** Circuit instances: one per output value. */
  readonly instances: number;
  /** For instance i, window element j reads input `gather[i·pool + j]`; null: the identity (pool 1). */
  readonly gather: Int32Array | null;
  readonly andGatesPerInstance: number;
  readonly inputLength: number;
  readonly outputLength: number;
}

export interface SumPoolStage {
  readonly kind: 'sumpool';
  readonly name: string;
  readonly window: number;
  /** For output i, the inputs `gather[i·window² …]` are summed. */
  readonly gather: Int32Array;
  readonly inputLength: number;
  readonly outputLength: number;
}

export interface ArgmaxStage {
  readonly kind: 'argmax';
  readonly name: string;
  readonly classes: number;
  readonly inputLength: number;
  readonly outputLength: 1;
}

export type Stage = LinearStage | NonlinearStage | SumPoolStage | ArgmaxStage;

export interface InferencePlan {
  readonly p: number;
  readonly slotCount: number;
  readonly reveal: RevealPolicy;
  readonly parallelism: number;
  readonly inputLength: number;
  readonly stages: readonly Stage[];
  /** Every Galois step any part needs (the client generates keys for exactly these). */
  readonly galoisSteps: readonly number[];
  /** Ciphertexts the server returns per inference (the flooding margin requirement grows with log2 of it). */
  readonly returnedCiphertexts: number;
  /** The evaluator's input bits over every garbled stage: the correlated OTs precomputed per inference. */
  readonly evaluatorInputBits: number;
}

export interface PlanOptions {
  readonly reveal?: RevealPolicy;
  /** HE workers the server computes a linear layer with (announced at setup; default 1). */
  readonly parallelism?: number;
}

/**
 * Relative costs for deciding whether a layer is worth splitting, in plaintext products (measured at
 * n = 8192, README: rotate 4.9 ms, product 0.5 ms, finish 7 ms plus the client's decryption).
 */
const ROTATION_COST = 10;
const RETURNED_CIPHERTEXT_COST = 15;

function cost(counts: OpCounts, outputCiphertexts: number): number {
  return counts.rotations * ROTATION_COST + counts.plainMultiplications + outputCiphertexts * RETURNED_CIPHERTEXT_COST;
}

export function planInference(architecture: Architecture, he: HeParameterSource, kernels: LinearKernels, options: PlanOptions = {}): InferencePlan {
  const reveal = options.reveal ?? 'logits';
  if (!REVEAL_POLICIES.includes(reveal)) throw new ConfigError(`reveal policy must be one of ${REVEAL_POLICIES.join(', ')}, got ${JSON.stringify(reveal)}`);
  const parallelism = options.parallelism ?? 1;
  if (!Number.isSafeInteger(parallelism) || parallelism < 1 || parallelism > 64) throw new ConfigError(`parallelism must be an integer in 1..64, got ${parallelism}`);
  const p = architecture.plainModulus;
  if (he.params.plainModulus !== p) {
    throw new ConfigError(
      `model "${architecture.name}" computes modulo p = ${p}, the HE backend's plaintext modulus is ${he.params.plainModulus}; ` +
        'configure the he plugin with that plainModulus',
    );
  }
  const stages = buildStages(architecture, layerShapes(architecture), he, kernels, parallelism);
  const finalLength = stages.length > 0 ? stages[stages.length - 1]!.outputLength : shapeSize(architecture.input.shape);
  if (reveal === 'label') stages.push({ kind: 'argmax', name: 'argmax', classes: finalLength, inputLength: finalLength, outputLength: 1 });
  const linear = stages.filter((s): s is LinearStage => s.kind === 'linear');
  const steps = new Set<number>();
  for (const stage of linear) for (const part of stage.parts) for (const step of part.rotationSteps) steps.add(step);
  return {
    p,
    slotCount: he.params.slotCount,
    reveal,
    parallelism,
    inputLength: shapeSize(architecture.input.shape),
    stages,
    galoisSteps: [...steps].sort((a, b) => a - b),
    returnedCiphertexts: linear.reduce((sum, s) => sum + s.parts.reduce((n, part) => n + part.outputCiphertexts, 0), 0),
    evaluatorInputBits: stages.reduce((sum, s) => sum + evaluatorBits(s, p), 0),
  };
}

/** The evaluator's (client's) input bits of a garbled stage: one w-bit share per window element. */
function evaluatorBits(stage: Stage, p: number): number {
  const w = Math.floor(Math.log2(p)) + 1;
  if (stage.kind === 'nonlinear') return stage.instances * (stage.neuron.pool ?? 1) * w;
  if (stage.kind === 'argmax') return stage.classes * w;
  return 0;
}

interface Run {
  names: string[];
  relu: boolean;
  shift: number;
  pool: PoolLayer | undefined;
  inputShape: Shape;
}

function buildStages(architecture: Architecture, shapes: readonly Shape[], he: HeParameterSource, kernels: LinearKernels, parallelism: number): Stage[] {
  const p = architecture.plainModulus;
  const stages: Stage[] = [];
  let shape = architecture.input.shape;
  let run: Run | undefined;
  let square = false;
  const flush = () => {
    if (run) stages.push(nonlinearStage(run, p));
    run = undefined;
  };
  const openRun = (): Run => (run ??= { names: [], relu: false, shift: 0, pool: undefined, inputShape: shape });
  architecture.layers.forEach((layer: Layer, index) => {
    if (isLinear(layer)) {
      flush();
      stages.push(linearStage(layer, square, he, kernels, parallelism));
      square = false;
      shape = shapes[index]!;
      return;
    }
    switch (layer.kind) {
      case 'square':
        // layerShapes checked that a linear layer follows; it takes the square (square.ts).
        flush();
        square = true;
        return;
      case 'relu':
        openRun().relu = true;
        openRun().names.push(layer.name);
        return;
      case 'rescale':
        openRun().shift += layer.shift;
        openRun().names.push(layer.name);
        return;
      case 'maxpool':
        if (run?.pool) flush();
        openRun().pool = layer;
        openRun().names.push(layer.name);
        shape = shapes[index]!;
        return;
      case 'sumpool':
        flush();
        stages.push(sumPoolStage(layer, shape));
        shape = shapes[index]!;
        return;
    }
  });
  flush();
  return stages;
}

/** Input indices of every pooling window, output-major: C×H'×W' windows of window² elements. */
function poolGather(shape: Shape, pool: PoolLayer): Int32Array {
  const outH = poolOutputSize(shape.height, pool.window, pool.stride);
  const outW = poolOutputSize(shape.width, pool.window, pool.stride);
  const k = pool.window;
  const gather = new Int32Array(shape.channels * outH * outW * k * k);
  let at = 0;
  for (let c = 0; c < shape.channels; c++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let dy = 0; dy < k; dy++) {
          for (let dx = 0; dx < k; dx++) gather[at++] = (c * shape.height + oy * pool.stride + dy) * shape.width + ox * pool.stride + dx;
        }
      }
    }
  }
  return gather;
}

function nonlinearStage(run: Run, p: number): NonlinearStage {
  const pool = run.pool ? run.pool.window ** 2 : 1;
  const neuron: NeuronSpec = { p, pool, shift: run.shift, relu: run.relu };
  const inputLength = shapeSize(run.inputShape);
  const gather = run.pool ? poolGather(run.inputShape, run.pool) : null;
  const instances = gather ? gather.length / pool : inputLength;
  let andGatesPerInstance: number;
  try {
    andGatesPerInstance = neuronAndCount(neuron);
  } catch (error) {
    throw new ConfigError(`layers ${run.names.join(', ')}: ${(error as Error).message}`, { cause: error });
  }
  return { kind: 'nonlinear', name: run.names.join('+'), neuron, instances, gather, andGatesPerInstance, inputLength, outputLength: instances };
}

function sumPoolStage(layer: PoolLayer, shape: Shape): SumPoolStage {
  const gather = poolGather(shape, layer);
  return { kind: 'sumpool', name: layer.name, window: layer.window, gather, inputLength: shapeSize(shape), outputLength: gather.length / layer.window ** 2 };
}

/** The layer restricted to output units [start, start + count). */
function subSpec(layer: LinearLayer, count: number): LinearSpec {
  return layer.kind === 'dense'
    ? { kind: 'dense', inputs: layer.inputs, outputs: count }
    : {
        kind: 'conv2d',
        inChannels: layer.inChannels,
        outChannels: count,
        height: layer.height,
        width: layer.width,
        kernelSize: layer.kernelSize,
        stride: layer.stride,
        padding: layer.padding,
      };
}

/**
 * Share the layer among up to `parallelism` workers when that lowers the slowest worker's cost by at
 * least 10%: either equal slices of the outputs (each repeats the input rotations and returns its
 * own ciphertexts; sizes differ by at most one unit) or pieces of the input-side work (each returns
 * partial ciphertexts of every output), whichever is cheaper. Tiny layers stay whole.
 */
function linearStage(layer: LinearLayer, square: boolean, he: HeParameterSource, kernels: LinearKernels, parallelism: number): LinearStage {
  const units = layer.kind === 'dense' ? layer.outputs : layer.outChannels;
  const whole = subSpec(layer, units);
  const costOf = (spec: LinearSpec, piece: WorkPiece) => cost(kernels.expectedCounts(spec, he, { piece }), kernels.layouts(spec, he).outputLayout.ciphertexts);
  const single: WorkPiece = { index: 0, count: 1 };
  const limit = 0.9 * costOf(whole, single);
  type Choice = { kind: 'slices' | 'pieces'; count: number; cost: number };
  let best: Choice = { kind: 'slices', count: 1, cost: Infinity };
  for (let k = 2; k <= parallelism; k++) {
    if (k <= units) {
      const sliced = costOf(subSpec(layer, Math.ceil(units / k)), single);
      if (sliced <= limit && sliced < best.cost) best = { kind: 'slices', count: k, cost: sliced };
    }
    if (k <= kernels.maxPieces(whole, he)) {
      const pieced = Math.max(...Array.from({ length: k }, (_, index) => costOf(whole, { index, count: k })));
      if (pieced <= limit && pieced < best.cost) best = { kind: 'pieces', count: k, cost: pieced };
    }
  }
  const parts: LinearPart[] = [];
  const groups: Uint32Array[][] = [];
  const add = (spec: LinearSpec, piece: WorkPiece, unitStart: number, count: number) => {
    const layouts = kernels.layouts(spec, he);
    // Parts whose input layouts place the same logical values in the same slots share uploads.
    const probe = layouts.inputLayout.pack(Uint32Array.from({ length: layouts.inputLayout.length }, (_, i) => i + 1));
    let group = groups.findIndex((g) => g.length === probe.length && g.every((slots, c) => slots.every((v, s) => v === probe[c]![s])));
    if (group < 0) group = groups.push(probe) - 1;
    const perUnit = linearOutputLength(layer) / units;
    parts.push({
      spec,
      piece,
      outputStart: unitStart * perUnit,
      outputLength: count * perUnit,
      unitStart,
      inputGroup: group,
      rotationSteps: kernels.rotationSteps(spec, he, { piece }),
      expectedCounts: kernels.expectedCounts(spec, he, { piece }),
      inputCiphertexts: layouts.inputLayout.ciphertexts,
      outputCiphertexts: layouts.outputLayout.ciphertexts,
    });
  };
  if (best.kind === 'pieces') {
    for (let index = 0; index < best.count; index++) add(whole, { index, count: best.count }, 0, units);
  } else {
    let unitStart = 0;
    for (let k = 0; k < best.count; k++) {
      const count = Math.floor(units / best.count) + (k < units % best.count ? 1 : 0);
      add(subSpec(layer, count), single, unitStart, count);
      unitStart += count;
    }
  }
  const inputLength = layer.kind === 'dense' ? layer.inputs : layer.inChannels * layer.height * layer.width;
  return { kind: 'linear', name: layer.name, layer, square, parts, inputGroups: groups.length, inputLength, outputLength: linearOutputLength(layer) };
}
