/**
 * The state of one ONNX import while the importer walks the graph's chain of layers: constants
 * known so far, the activation tensor on the chain and its shape, the layers built, and every
 * problem and notice (problems are collected, never thrown one by one, so the user sees them all).
 */
import type { ImportProblem } from '../errors.ts';
import type { FloatLayer } from '../model/float-model.ts';
import { NodeAttributes } from './attributes.ts';
import type { Pads } from './padding.ts';
import type { OnnxNode } from './read-onnx.ts';
import type { ConstTensor } from './tensor.ts';

/** A batch-1 activation without its batch axis: an image C×H×W (rank 4 in ONNX) or a vector (rank 2). */
export type Activation =
  | { readonly kind: 'image'; readonly channels: number; readonly height: number; readonly width: number }
  | { readonly kind: 'vector'; readonly size: number };

export function activationSize(a: Activation): number {
  return a.kind === 'vector' ? a.size : a.channels * a.height * a.width;
}

export function formatActivation(a: Activation): string {
  return a.kind === 'vector' ? `[1, ${a.size}]` : `[1, ${a.channels}, ${a.height}, ${a.width}]`;
}

/** A node with its name made unique and non-empty, and typed attributes. */
export interface NodeView {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: NodeAttributes;
}

export function nodeView(node: OnnxNode, name: string): NodeView {
  return { name, op: node.opType ?? '', inputs: node.input ?? [], outputs: node.output ?? [], attributes: new NodeAttributes(node) };
}

export class ImportContext {
  readonly constants = new Map<string, ConstTensor>();
  readonly problems: ImportProblem[] = [];
  readonly notices: string[] = [];
  readonly layers: FloatLayer[] = [];
  /** The activation on the chain, and its shape (undefined once a node that could not be mapped made it unknown). */
  current: string;
  shape: Activation | undefined;
  /** Zero padding of a `Pad` node, waiting for the Conv or pool it folds into. */
  pendingPad: { readonly node: NodeView; readonly pads: Pads } | undefined;
  /** The linear layer whose output is `current` with nothing in between: an Add of a constant is its bias. */
  openBias: Float64Array | undefined;
  /** The tensor before a final Softmax that was dropped: the logits the imported model outputs. */
  logitsBeforeSoftmax: string | undefined;

  constructor(
    readonly opset: number,
    input: string,
    shape: Activation | undefined,
    /** Tensors read by more than one node, or by a graph output. */
    private readonly consumers: ReadonlyMap<string, number>,
    readonly graphOutputs: ReadonlySet<string>,
  ) {
    this.current = input;
    this.shape = shape;
  }

  problem(node: NodeView, problem: string, fix: string): void {
    this.problems.push({ node: node.name, op: node.op, problem, fix });
  }

  notice(node: NodeView, text: string): void {
    this.notices.push(`node "${node.name}" (${node.op}): ${text}`);
  }

  /** How many nodes and graph outputs read `tensor`. */
  uses(tensor: string): number {
    return this.consumers.get(tensor) ?? 0;
  }

  /** Input `index` as a constant, or undefined after recording why it is needed as one. */
  constantInput(node: NodeView, index: number, what: string): ConstTensor | undefined {
    const name = node.inputs[index];
    const value = name === undefined || name === '' ? undefined : this.constants.get(name);
    if (value === undefined) {
      this.problem(node, `its ${what} (input ${index + 1}${name ? ` "${name}"` : ''}) is not a constant`, 'the weights must be initialisers or Constant nodes (export with constant folding)');
      return undefined;
    }
    const bad = value.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      this.problem(node, `its ${what} "${name}" holds ${value.data[bad]} at index ${bad}`, 'train and export a model with finite weights (the file may be corrupted)');
      return undefined;
    }
    return value;
  }

  /** Optional input `index` as a constant; undefined when absent, null (after a problem) when not constant. */
  optionalConstant(node: NodeView, index: number, what: string): ConstTensor | undefined | null {
    const name = node.inputs[index];
    if (name === undefined || name === '') return undefined;
    return this.constantInput(node, index, what) ?? null;
  }

  /** The current shape if it is an image; records a problem if it is a vector; undefined if unknown. */
  image(node: NodeView): Extract<Activation, { kind: 'image' }> | undefined {
    if (this.shape?.kind === 'vector') {
      this.problem(node, `it expects an image [N, C, H, W] but its input is ${formatActivation(this.shape)}`, 'apply it before Flatten/Reshape');
      return undefined;
    }
    return this.shape;
  }

  /** Append a layer that maps the chain to `output` with shape `shape`. */
  emit(layer: FloatLayer, output: string, shape: Activation | undefined): void {
    this.layers.push(layer);
    this.advance(output, shape);
    this.openBias = layer.kind === 'conv2d' || layer.kind === 'dense' ? layer.bias : undefined;
  }

  /** Move the chain to `output` (a node that adds no layer); `shape` undefined means unknown. */
  advance(output: string, shape: Activation | undefined): void {
    this.current = output;
    this.shape = shape;
    this.openBias = undefined;
  }

  /** Move the chain to `output` without closing the open linear layer (a no-op such as Identity). */
  passThrough(output: string): void {
    this.current = output;
  }
}
