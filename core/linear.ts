/**
 * Packed linear algebra on encrypted slot vectors (GAZELLE, design §4), written only against
 * `HeBackend`. A layer is prepared once per model (weights encoded to NTT form and cached), then
 * applied to each input.
 */
import type { Disposable } from './dispose.ts';
import type { HeBackend, HeCiphertext, HeServerKeys } from './he.ts';

export interface DenseSpec {
  readonly kind: 'dense';
  readonly inputs: number;
  readonly outputs: number;
}

export interface Conv2dSpec {
  readonly kind: 'conv2d';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelSize: number;
  readonly stride: number;
  /** `same`: output spatial size ceil(H/stride); `valid`: no padding. */
  readonly padding: 'same' | 'valid';
}

export type LinearSpec = DenseSpec | Conv2dSpec;

/** Homomorphic operation counts of one kernel call (design §4: a test checks them against the formulas). */
export interface OpCounts {
  rotations: number;
  plainMultiplications: number;
  additions: number;
}

/** Integer weights of a layer: dense `outputs×inputs` row-major; conv `[out][in][kh][kw]`. Bias per output (channel). */
export interface LinearWeights {
  readonly weights: Int32Array;
  readonly bias: Int32Array;
}

/**
 * How a layer's logical vector (dense: length n; conv: C×H×W, channel-major) sits in the slots of
 * its ciphertexts. Both parties pack and unpack with it, on plaintext values mod p.
 */
export interface SlotLayout {
  /** Number of ciphertexts. */
  readonly ciphertexts: number;
  /** Logical length. */
  readonly length: number;
  /** Logical vector (values mod p) → one slot vector per ciphertext. */
  pack(values: Uint32Array): Uint32Array[];
  /** Slot vectors → logical vector (values mod p). */
  unpack(slots: readonly Uint32Array[]): Uint32Array;
}

/** A layer prepared for one backend and weight set. */
export interface PreparedLinear extends Disposable {
  readonly spec: LinearSpec;
  /** Input packing expected by `apply`. */
  readonly inputLayout: SlotLayout;
  /** Output packing produced by `apply`. */
  readonly outputLayout: SlotLayout;
  /** Galois steps this layer needs (row rotations; 0 = column swap). */
  readonly rotationSteps: readonly number[];
  /** W·x + b on encrypted inputs; the caller owns (disposes) the returned ciphertexts. */
  apply(inputs: readonly HeCiphertext[], keys: HeServerKeys): HeCiphertext[];
  /** Counts of the last `apply` call. */
  readonly lastCounts: OpCounts;
  /** Counts `apply` performs, from the design's formulas, without running it. */
  readonly expectedCounts: OpCounts;
}

export interface LinearKernels {
  readonly name: string;
  /** Rotation steps a layer needs, from the public architecture alone (no weights). */
  rotationSteps(spec: LinearSpec, backend: HeBackend): readonly number[];
  prepare(spec: LinearSpec, weights: LinearWeights, backend: HeBackend): PreparedLinear;
}
