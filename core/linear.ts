/**
 * Packed linear algebra on encrypted slot vectors (GAZELLE, design §4), written only against
 * `HeBackend`. A layer is prepared once per model (weights encoded to NTT form and cached), then
 * applied to each input.
 */
import type { Disposable } from './dispose.ts';
import type { HeBackend, HeCiphertext, HeServerKeys } from './he.ts';

/** What planning reads of an HE backend: its public parameters. */
export type HeParameterSource = Pick<HeBackend, 'params'>;

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
  /**
   * `same`: symmetric zero padding (kernelSize−1)/2 (odd kernels only), output ceil(H/stride);
   * `valid`: no padding, output floor((H−kernelSize)/stride)+1. Output (y, x) reads input rows
   * y·stride + ky − pad, columns x·stride + kx − pad.
   */
  readonly padding: 'same' | 'valid';
}

export type LinearSpec = DenseSpec | Conv2dSpec;

/** Homomorphic operation counts of one kernel call (design §4: a test checks them against the formulas). */
export interface OpCounts {
  rotations: number;
  plainMultiplications: number;
  /**
   * Distinct ciphertexts multiplied (each rotated copy of an input): a backend that caches NTT forms
   * pays one forward transform per multiplicand, on its first product.
   */
  multiplicands: number;
  /** Ciphertext-ciphertext and ciphertext-plaintext additions (the bias is one per output ciphertext). */
  additions: number;
}

/** Integer weights of a layer: dense `outputs×inputs` row-major; conv `[out][in][kh][kw]`. Bias per output (channel). */
export interface LinearWeights {
  readonly weights: Int32Array;
  readonly bias: Int32Array;
}

/**
 * How `unpack` reads a logical value held by several slots: `first` takes the first of them (a
 * replicated value, as in an input layout); `sum` adds them all mod p (partial sums, as in a
 * kernel's output layout: see `SlotLayout`).
 */
export type SlotReduction = 'first' | 'sum';

/**
 * How a layer's logical vector (dense: length n; conv: C×H×W, channel-major) sits in the slots of
 * its ciphertexts. Both parties pack and unpack with it, on plaintext values mod p.
 *
 * Output layouts may `sum` (the rotate-and-sum in the share domain): a kernel whose result would end
 * with a sum of slots (the matvec's rotate-and-sum over the slots ≡ r mod n_oc, a folded
 * convolution's sum over channel blocks) returns the partial sums instead, and `unpack` adds up every
 * slot that holds an index. The sum is a public linear map, so applied by both parties to their
 * shares it gives shares of the sum; and it saves every rotation of that final reduction (FC 100→10:
 * 7 of its 7). This is safe only because the engine masks EVERY slot of a returned ciphertext with
 * its own independent uniform r_s (design §2 step 3): the client decrypts z_s − r_s, uniform and
 * independent of z_s whatever z_s is, so partial sums tell it no more than replicated totals would.
 * A mask that covered only the first slot of each index, or repeated one value across an index's
 * slots, would hand the client the partial sums W_i·x_i or their differences: weight information.
 */
export interface SlotLayout {
  /** Number of ciphertexts. */
  readonly ciphertexts: number;
  /** Logical length. */
  readonly length: number;
  /** How `unpack` combines the slots of one index (`pack` puts a value in all of them with `first`; with `sum` in the first, 0 in the others). */
  readonly reduce: SlotReduction;
  /** Logical vector (values mod p) → one slot vector per ciphertext. */
  pack(values: Uint32Array): Uint32Array[];
  /** Slot vectors → logical vector (values mod p). Linear mod p (a `first` layout reads, a `sum` layout adds). */
  unpack(slots: readonly Uint32Array[]): Uint32Array;
}

/** The two GAZELLE convolution strategies (§5.3 of the paper): rotate the inputs, or the partial outputs. */
export type ConvVariant = 'input-rotation' | 'output-rotation';

/**
 * Piece `index` of a layer's work cut into `count` pieces, for workers that share one layer
 * (issue 11). Every piece reads all the layer's input ciphertexts and produces one partial
 * ciphertext per output ciphertext, in the layer's output layout; the pieces' partials added up
 * (ciphertext by ciphertext, or slot by slot after decryption) are the whole layer's W·x + b (the
 * bias is in piece 0). The cut is on the input side of the work (filter taps, channel diagonals,
 * input ciphertexts), which output slices would repeat in every slice.
 */
export interface WorkPiece {
  readonly index: number;
  readonly count: number;
}

export interface PrepareOptions {
  /** Convolution strategy; `auto` (default) picks the cheaper one by the kernel's cost model. */
  readonly variant?: ConvVariant | 'auto';
  /**
   * Prepare only this piece of the layer's work (default: the whole layer, piece 0 of 1): only its
   * weights are encoded, and `apply` returns its partial outputs. `rotationSteps` and
   * `expectedCounts` given the same options describe the piece. `count` must not exceed `maxPieces`.
   */
  readonly piece?: WorkPiece;
}

/** A layer prepared for one backend and weight set. */
export interface PreparedLinear extends Disposable {
  readonly spec: LinearSpec;
  /** The algorithm in use: `hybrid-diagonal` for dense, a `ConvVariant` for conv2d. */
  readonly method: 'hybrid-diagonal' | ConvVariant;
  /** Input packing expected by `apply`. */
  readonly inputLayout: SlotLayout;
  /** Output packing produced by `apply`. */
  readonly outputLayout: SlotLayout;
  /** Galois steps this layer needs (row rotations; 0 = column swap). */
  readonly rotationSteps: readonly number[];
  /** The piece of the layer's work `apply` does (piece 0 of 1: all of it). */
  readonly piece: WorkPiece;
  /**
   * W·x + b on encrypted inputs (of a piece: its partial outputs, see `WorkPiece`); the caller owns
   * (disposes) the returned ciphertexts.
   */
  apply(inputs: readonly HeCiphertext[], keys: HeServerKeys): HeCiphertext[];
  /** Counts of the last `apply` call. */
  readonly lastCounts: OpCounts;
  /** Counts `apply` performs, from the kernel's cost formulas, without running it. */
  readonly expectedCounts: OpCounts;
}

export interface LinearKernels {
  readonly name: string;
  /**
   * Rotation steps a layer needs, from the public architecture alone (no weights). This and the
   * methods below but `prepare` read only the backend's public `params`, so a thread without the HE
   * library (the engine's main thread) can plan with them.
   */
  rotationSteps(spec: LinearSpec, backend: HeParameterSource, options?: PrepareOptions): readonly number[];
  /** Operation counts `apply` will perform, from the public architecture alone (for planning and budgets). */
  expectedCounts(spec: LinearSpec, backend: HeParameterSource, options?: PrepareOptions): OpCounts;
  /**
   * The slot layouts `prepare` will use, from the public architecture alone: the client packs its
   * share and unpacks its result with them without ever seeing the weights.
   */
  layouts(spec: LinearSpec, backend: HeParameterSource, options?: PrepareOptions): Pick<PreparedLinear, 'inputLayout' | 'outputLayout'>;
  /** The most pieces `spec`'s work can be cut into (`WorkPiece`; 1: it cannot be shared), from the public architecture alone. */
  maxPieces(spec: LinearSpec, backend: HeParameterSource, options?: PrepareOptions): number;
  prepare(spec: LinearSpec, weights: LinearWeights, backend: HeBackend, options?: PrepareOptions): PreparedLinear;
}

// Spec semantics ---------------------------------------------------------------------------------

/** Output height and width of a convolution (see `Conv2dSpec.padding`). */
export function conv2dOutputSize(spec: Conv2dSpec): { height: number; width: number } {
  const out = (size: number) =>
    spec.padding === 'same' ? Math.ceil(size / spec.stride) : Math.floor((size - spec.kernelSize) / spec.stride) + 1;
  return { height: out(spec.height), width: out(spec.width) };
}

/** Zero padding before the first row/column. */
export function conv2dPadding(spec: Conv2dSpec): number {
  return spec.padding === 'same' ? (spec.kernelSize - 1) / 2 : 0;
}

/** Length of the logical input vector. */
export function linearInputLength(spec: LinearSpec): number {
  return spec.kind === 'dense' ? spec.inputs : spec.inChannels * spec.height * spec.width;
}

/** Length of the logical output vector. */
export function linearOutputLength(spec: LinearSpec): number {
  if (spec.kind === 'dense') return spec.outputs;
  const { height, width } = conv2dOutputSize(spec);
  return spec.outChannels * height * width;
}

/** Number of weights and biases a layer takes. */
export function linearWeightCounts(spec: LinearSpec): { weights: number; bias: number } {
  return spec.kind === 'dense'
    ? { weights: spec.outputs * spec.inputs, bias: spec.outputs }
    : { weights: spec.outChannels * spec.inChannels * spec.kernelSize ** 2, bias: spec.outChannels };
}

/** Throw a `RangeError` naming the field if `spec` is not a well-formed layer. */
export function validateLinearSpec(spec: LinearSpec): void {
  const positive = (name: string, value: number) => {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${spec.kind} layer: ${name} must be a positive integer, got ${value}`);
  };
  if (spec.kind === 'dense') {
    positive('inputs', spec.inputs);
    positive('outputs', spec.outputs);
    return;
  }
  positive('inChannels', spec.inChannels);
  positive('outChannels', spec.outChannels);
  positive('height', spec.height);
  positive('width', spec.width);
  positive('kernelSize', spec.kernelSize);
  positive('stride', spec.stride);
  if (spec.padding !== 'same' && spec.padding !== 'valid') throw new RangeError(`conv2d layer: padding must be "same" or "valid", got ${String(spec.padding)}`);
  if (spec.padding === 'same' && spec.kernelSize % 2 === 0) {
    throw new RangeError(`conv2d layer: "same" padding needs an odd kernel size, got ${spec.kernelSize}; use "valid"`);
  }
  if (spec.padding === 'valid' && (spec.kernelSize > spec.height || spec.kernelSize > spec.width)) {
    throw new RangeError(`conv2d layer: kernel ${spec.kernelSize} is larger than the ${spec.height}x${spec.width} image under "valid" padding`);
  }
}

/** Throw a `RangeError` unless `piece` is piece 0 ≤ index < count of 1 ≤ count ≤ `maxPieces`. */
export function validateWorkPiece(piece: WorkPiece, maxPieces: number): void {
  const { index, count } = piece;
  if (!Number.isSafeInteger(count) || count < 1 || count > maxPieces) {
    throw new RangeError(`work piece: count must be an integer from 1 to ${maxPieces} (this layer's most pieces), got ${count}`);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw new RangeError(`work piece: index must be an integer from 0 to ${count - 1}, got ${index}`);
}

/** Throw a `RangeError` if `weights` do not have the sizes `spec` needs. */
export function validateLinearWeights(spec: LinearSpec, weights: { readonly weights: ArrayLike<number>; readonly bias: ArrayLike<number> }): void {
  const expected = linearWeightCounts(spec);
  if (weights.weights.length !== expected.weights || weights.bias.length !== expected.bias) {
    throw new RangeError(
      `${spec.kind} layer: expected ${expected.weights} weights and ${expected.bias} biases, got ${weights.weights.length} and ${weights.bias.length}`,
    );
  }
}
