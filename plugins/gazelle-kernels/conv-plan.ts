/**
 * Geometry of GAZELLE's packed convolution (GAZELLE §5.3), from the public layer shape and the
 * slot count alone.
 *
 * Channel blocks: each channel's H×W image (row-major) fills a block of S = pow2(H·W) slots. A lane
 * (SEAL row) of N = n/2 slots holds M = N/S blocks, a ciphertext c_n = 2M: block β is lane ⌊β/M⌋,
 * position β mod M, slots β·S … β·S + H·W − 1. A filter tap (dy, dx) is a row rotation by
 * dy·W + dx; what wraps in from a neighbouring block (or around the lane) lands only on output
 * pixels whose tap falls outside the image, and those taps have weight 0 ("same" padding is
 * folded into the weight plaintexts as a mask).
 *
 * Block permutations ("diagonals"): rotating a lane by a·S moves every block a places, the lane
 * swap exchanges the lanes; the c_n permutations (a, swap) ∈ Z_M × Z_2 bring every input block to
 * every output block exactly once. Inputs with few channels (pow2(c_i) < c_n) are replicated with
 * period pow2(c_i) across the blocks, so pow2(c_i) lane rotations suffice (and no swap).
 *
 * Input rotation: rotate each input ciphertext by every (diagonal, tap), multiply by the weights
 * for each output ciphertext and accumulate: ceil(c_i/c_n)·(d·T − 1) rotations.
 * Output rotation: rotate each input by every tap, accumulate one partial sum per (output
 * ciphertext, diagonal), then permute the partial sums into place:
 * ceil(c_i/c_n)·(T − 1) + ceil(c_o/c_n)·(d − 1) rotations.
 * Both: ceil(c_i/c_n)·T·ceil(c_o/c_n)·d plaintext multiplications and as many additions
 * (accumulations + permutation sums + the bias). T = taps (f_h·f_w), d = diagonals (c_n, or
 * pow2(c_i) when the input is replicated): with c_i ≥ c_n these are exactly the design's §4 formulas.
 *
 * Stride: the kernel computes the stride-1 result on the H×W grid; output (oy, ox) is grid pixel
 * (oy·stride, ox·stride), and the output layout selects those slots.
 */
import { conv2dOutputSize, conv2dPadding, type Conv2dSpec, type ConvVariant, type OpCounts } from '../../core/linear.ts';
import { MappedLayout } from './mapped-layout.ts';
import { nextPow2, normalizeStep, stepSet } from './slot-math.ts';

export interface ConvTap {
  readonly ky: number;
  readonly kx: number;
  /** Row rotation that aligns the tap's source pixel with the output pixel: dy·W + dx. */
  readonly offset: number;
}

/** A block permutation: rotate each lane by `shift` blocks, then swap the lanes if `swap`. */
export interface ConvDiagonal {
  readonly shift: number;
  readonly swap: boolean;
}

export interface ConvPlan {
  readonly spec: Conv2dSpec;
  readonly slotCount: number;
  readonly rowSize: number;
  /** S = pow2(H·W). */
  readonly channelBlock: number;
  /** M = N/S. */
  readonly blocksPerLane: number;
  /** c_n = 2M. */
  readonly channelsPerCiphertext: number;
  /** Input channels repeat with this period across the blocks (c_n when not replicated). */
  readonly inputPeriod: number;
  readonly inputCiphertexts: number;
  readonly outputCiphertexts: number;
  readonly taps: readonly ConvTap[];
  readonly diagonals: readonly ConvDiagonal[];
  readonly padding: number;
}

export function planConv(spec: Conv2dSpec, slotCount: number): ConvPlan {
  const rowSize = slotCount / 2;
  const channelBlock = nextPow2(spec.height * spec.width);
  if (channelBlock > rowSize) {
    throw new RangeError(
      `conv2d ${spec.height}x${spec.width}: a channel needs ${channelBlock} slots, more than a row of ${rowSize}; use a larger polyModulusDegree`,
    );
  }
  const blocksPerLane = rowSize / channelBlock;
  const channelsPerCiphertext = 2 * blocksPerLane;
  const inputPeriod = Math.min(nextPow2(spec.inChannels), channelsPerCiphertext);
  const padding = conv2dPadding(spec);
  const taps: ConvTap[] = [];
  for (let ky = 0; ky < spec.kernelSize; ky++) {
    for (let kx = 0; kx < spec.kernelSize; kx++) {
      const dy = ky - padding;
      const dx = kx - padding;
      // A "same" tap reaching past the whole image reads only padding: it contributes nothing.
      if (Math.abs(dy) < spec.height && Math.abs(dx) < spec.width) taps.push({ ky, kx, offset: dy * spec.width + dx });
    }
  }
  const diagonals: ConvDiagonal[] = [];
  if (inputPeriod < channelsPerCiphertext) {
    for (let shift = 0; shift < inputPeriod; shift++) diagonals.push({ shift, swap: false });
  } else {
    for (const swap of [false, true]) for (let shift = 0; shift < blocksPerLane; shift++) diagonals.push({ shift, swap });
  }
  return {
    spec,
    slotCount,
    rowSize,
    channelBlock,
    blocksPerLane,
    channelsPerCiphertext,
    inputPeriod,
    inputCiphertexts: Math.ceil(spec.inChannels / channelsPerCiphertext),
    outputCiphertexts: Math.ceil(spec.outChannels / channelsPerCiphertext),
    taps,
    diagonals,
    padding,
  };
}

/** Input channel in block `block` of input ciphertext `q` (−1: empty). */
export function convInputChannel(plan: ConvPlan, q: number, block: number): number {
  const channel = q * plan.channelsPerCiphertext + (block % plan.inputPeriod);
  return channel < plan.spec.inChannels ? channel : -1;
}

/** Output channel in block `block` of output ciphertext `p` (−1: empty). */
export function convOutputChannel(plan: ConvPlan, p: number, block: number): number {
  const channel = p * plan.channelsPerCiphertext + block;
  return channel < plan.spec.outChannels ? channel : -1;
}

/** The block that `diagonal` moves into output block `block`. */
export function diagonalSource(plan: ConvPlan, diagonal: ConvDiagonal, block: number): number {
  const m = plan.blocksPerLane;
  const lane = Math.floor(block / m) ^ (diagonal.swap ? 1 : 0);
  return lane * m + ((block % m) + diagonal.shift) % m;
}

/** Whether `tap` reads inside the image for grid pixel `pixel` (= y·W + x). */
export function tapInside(plan: ConvPlan, tap: ConvTap, pixel: number): boolean {
  const { width, height } = plan.spec;
  const y = Math.floor(pixel / width) + tap.ky - plan.padding;
  const x = (pixel % width) + tap.kx - plan.padding;
  return y >= 0 && y < height && x >= 0 && x < width;
}

/** The kernel's cost formulas (see the header comment). */
export function convExpectedCounts(plan: ConvPlan, variant: ConvVariant): OpCounts {
  const q = plan.inputCiphertexts;
  const p = plan.outputCiphertexts;
  const t = plan.taps.length;
  const d = plan.diagonals.length;
  const rotations = variant === 'input-rotation' ? q * (d * t - 1) : q * (t - 1) + p * (d - 1);
  // Multiplicands: every rotated copy of an input (d·T per input with input rotation, T with output rotation).
  const multiplicands = variant === 'input-rotation' ? q * d * t : q * t;
  return { rotations, plainMultiplications: q * t * p * d, multiplicands, additions: q * t * p * d };
}

/** Galois steps the variant rotates by (0 = the lane swap). */
export function convRotationSteps(plan: ConvPlan, variant: ConvVariant): number[] {
  const n = plan.rowSize;
  const steps: number[] = [];
  if (variant === 'input-rotation') {
    for (const d of plan.diagonals) for (const tap of plan.taps) steps.push(normalizeStep(d.shift * plan.channelBlock + tap.offset, n));
  } else {
    for (const tap of plan.taps) steps.push(normalizeStep(tap.offset, n));
    for (const d of plan.diagonals) steps.push(normalizeStep(d.shift * plan.channelBlock, n));
  }
  const rows = steps.filter((s) => s !== 0);
  return stepSet(plan.diagonals.some((d) => d.swap) ? [0, ...rows] : rows);
}

/** Relative cost of one operation of each kind (any unit; only ratios matter). */
export interface CostModel {
  readonly rotation: number;
  readonly plainMultiplication: number;
  /** Extra cost of a ciphertext's first product (its forward NTT, in an NTT-caching backend). */
  readonly multiplicand: number;
  readonly addition: number;
}

/**
 * Ratios measured on seal-bfv at n = 8192 (`npx gazelle bench he`): a rotation (key switch) ≈ 5 ms,
 * a forward NTT ≈ 1.5 ms, a pointwise product ≈ 0.6 ms, an addition ≈ 0.1 ms.
 */
export const DEFAULT_COST_MODEL: CostModel = { rotation: 1, plainMultiplication: 0.12, multiplicand: 0.3, addition: 0.02 };

export function countsCost(counts: OpCounts, model: CostModel): number {
  return (
    counts.rotations * model.rotation +
    counts.plainMultiplications * model.plainMultiplication +
    counts.multiplicands * model.multiplicand +
    counts.additions * model.addition
  );
}

/** The cheaper variant under `model`; on a tie, output rotation (it needs fewer Galois keys). */
export function chooseConvVariant(plan: ConvPlan, model: CostModel = DEFAULT_COST_MODEL): ConvVariant {
  const input = countsCost(convExpectedCounts(plan, 'input-rotation'), model);
  const output = countsCost(convExpectedCounts(plan, 'output-rotation'), model);
  return input < output ? 'input-rotation' : 'output-rotation';
}

export function convInputLayout(plan: ConvPlan): MappedLayout {
  const { slotCount: n, channelBlock: s, spec } = plan;
  const pixels = spec.height * spec.width;
  const table = new Int32Array(plan.inputCiphertexts * n).fill(-1);
  for (let q = 0; q < plan.inputCiphertexts; q++) {
    for (let block = 0; block < plan.channelsPerCiphertext; block++) {
      const channel = convInputChannel(plan, q, block);
      if (channel < 0) continue;
      for (let pixel = 0; pixel < pixels; pixel++) table[q * n + block * s + pixel] = channel * pixels + pixel;
    }
  }
  return new MappedLayout(n, spec.inChannels * pixels, table);
}

/** Output (o, oy, ox) is grid pixel (oy·stride, ox·stride) of block o mod c_n in ciphertext ⌊o/c_n⌋. */
export function convOutputLayout(plan: ConvPlan): MappedLayout {
  const { slotCount: n, channelBlock: s, channelsPerCiphertext: cn, spec } = plan;
  const { height: outH, width: outW } = conv2dOutputSize(spec);
  const table = new Int32Array(plan.outputCiphertexts * n).fill(-1);
  for (let o = 0; o < spec.outChannels; o++) {
    const base = Math.floor(o / cn) * n + (o % cn) * s;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) table[base + oy * spec.stride * spec.width + ox * spec.stride] = (o * outH + oy) * outW + ox;
    }
  }
  return new MappedLayout(n, spec.outChannels * outH * outW, table);
}
