/**
 * A model in floating point, as trained (PyTorch, Keras) and imported from ONNX, before quantisation.
 * Layers carry their weights; shapes other than channel counts are derived from the input shape.
 * BatchNorm is kept as its own layer here and folded into the preceding linear layer before
 * quantisation. Weight layouts are those of `core/linear.ts`: dense `outputs×inputs` row-major,
 * conv `[out][in][kh][kw]`.
 */
import type { Shape } from './architecture.ts';

interface Named {
  readonly name: string;
}

export interface FloatConv2d extends Named {
  readonly kind: 'conv2d';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: 'same' | 'valid';
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

export interface FloatDense extends Named {
  readonly kind: 'dense';
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/** y = scale·(x − mean)/√(variance + epsilon) + bias, per channel. */
export interface FloatBatchNorm extends Named {
  readonly kind: 'batchnorm';
  readonly scale: Float64Array;
  readonly bias: Float64Array;
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  readonly epsilon: number;
}

export interface FloatActivation extends Named {
  readonly kind: 'relu' | 'square';
}

export interface FloatPool extends Named {
  readonly kind: 'maxpool' | 'avgpool';
  readonly window: number;
  readonly stride: number;
}

/** Average over each channel's whole image (output C×1×1). */
export interface FloatGlobalAveragePool extends Named {
  readonly kind: 'globalavgpool';
}

export type FloatLayer = FloatConv2d | FloatDense | FloatBatchNorm | FloatActivation | FloatPool | FloatGlobalAveragePool;

export interface FloatModel {
  readonly name: string;
  readonly input: {
    readonly shape: Shape;
    /** What an 8-bit pixel v ∈ [0, 255] means to the model: lo + (hi − lo)·v/255. */
    readonly floatRange: readonly [number, number];
  };
  readonly layers: readonly FloatLayer[];
  /** Optional class names, one per output. */
  readonly labels?: readonly string[];
}
