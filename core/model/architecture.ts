/**
 * A quantised model's public architecture (design §1: the architecture is public, the weights are
 * the server's secret). The server may send it to any client; both parties derive the protocol's
 * plan from it alone.
 *
 * Semantics, on exact signed integers (the plaintext reference and the secure protocol agree bit for
 * bit; the quantiser proves that no value reaches p/2 in magnitude, so working mod p changes nothing):
 *
 * - `conv2d`, `dense`: y = W·x + b (`core/linear.ts`: the layer *is* the kernels' `LinearSpec`).
 *   The output's fixed-point scale is the input's plus `weightScaleBits`.
 * - `relu`: max(0, x).
 * - `square`: x² (design §8: computed under HE from the client's [c] and [c²]; must precede a linear layer).
 * - `maxpool` / `sumpool`: max / sum over `window`×`window` windows every `stride` pixels of each
 *   channel, no padding: output size ⌊(H − window)/stride⌋ + 1. Average pooling is a sum pool whose
 *   division is folded into the scales (`AvgPool` of area 2^k adds k fractional bits).
 * - `rescale`: ⌊x / 2^shift⌋ (arithmetic shift right: the fixed-point truncation, done in the garbled
 *   circuit). relu, maxpool and rescale are monotone and commute, so the engine fuses runs of them
 *   into one garbled circuit per neuron.
 *
 * Shapes are C×H×W, channel-major; a dense layer reads the previous output flattened in that order
 * (so ONNX's Flatten and Reshape to [N, -1] are the identity).
 */
import type { Conv2dSpec, DenseSpec } from '../linear.ts';

export const ARCHITECTURE_FORMAT = 'gazelle-architecture/1';

/** A tensor shape: channels × height × width (a vector of n values is n×1×1). */
export interface Shape {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

export interface InputSpec {
  readonly shape: Shape;
  /**
   * The float range the model was trained on: an 8-bit pixel v ∈ [0, 255] stands for
   * lo + (hi − lo)·v/255 (MNIST models usually take [0, 1]).
   */
  readonly floatRange: readonly [number, number];
  /** Fractional bits of the integer input: q = round(float · 2^scaleBits). */
  readonly scaleBits: number;
  /** Bounds of the integer input (from `floatRange` and `scaleBits`): where the no-wrap proof starts. */
  readonly min: number;
  readonly max: number;
}

interface Named {
  /** Unique within the model; weights are stored under it. */
  readonly name: string;
}

export type Conv2dLayer = Conv2dSpec & Named & { readonly weightScaleBits: number };
export type DenseLayer = DenseSpec & Named & { readonly weightScaleBits: number };
export interface ReluLayer extends Named {
  readonly kind: 'relu';
}
export interface SquareLayer extends Named {
  readonly kind: 'square';
}
export interface PoolLayer extends Named {
  readonly kind: 'maxpool' | 'sumpool';
  readonly window: number;
  readonly stride: number;
}
export interface RescaleLayer extends Named {
  readonly kind: 'rescale';
  readonly shift: number;
}

export type LinearLayer = Conv2dLayer | DenseLayer;
export type Layer = LinearLayer | ReluLayer | SquareLayer | PoolLayer | RescaleLayer;
export type LayerKind = Layer['kind'];

export interface OutputSpec {
  /** Number of logits (classes). */
  readonly classes: number;
  /** Fractional bits of the logits: float logit ≈ integer / 2^scaleBits. */
  readonly scaleBits: number;
  /** Optional class names, one per logit. */
  readonly labels?: readonly string[];
}

export interface Architecture {
  readonly format: typeof ARCHITECTURE_FORMAT;
  readonly name: string;
  readonly description?: string;
  readonly input: InputSpec;
  /** The plaintext prime p of the shares and the BFV plaintext space; the HE backend must use it. */
  readonly plainModulus: number;
  readonly layers: readonly Layer[];
  readonly output: OutputSpec;
}

export function isLinear(layer: Layer): layer is LinearLayer {
  return layer.kind === 'conv2d' || layer.kind === 'dense';
}

export function shapeSize(shape: Shape): number {
  return shape.channels * shape.height * shape.width;
}
