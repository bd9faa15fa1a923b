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
 *
 * Few Galois keys (0.85 MB each at n = 8192): every rotation is one small step from a copy already
 * made, never a step of its own. Tap copies form a tree rooted at the offset-0 tap (the input
 * itself): along the kernel's centre column by ±W, then along each row by ±1 (`valid` padding
 * needs only +1 and +W). Block shifts a·S are reached from shift (a−1)·S by +S: input rotation
 * rotates the previous diagonal's base copy, output rotation sums the permuted partial sums in
 * Horner form, Σ_a rot(P_a, a·S) = rot(…rot(rot(P_{d−1}, S) + P_{d−2}, S)…, S) + P_0. The counts
 * are exactly those of one rotation per offset, and a layer needs at most five keys (±1, ±W, S)
 * plus the lane swap, shared by every layer with the same W or S. The cost is noise: key-switching
 * noise adds up along a chain (noise.ts: rotation adds a constant), so a tap copy carries up to
 * |dy| + |dx| (plus, with input rotation, its diagonal's shift) key switches instead of one, a
 * few bits of flooding margin at most (the Horner sums add exactly as many as separate rotations).
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
  /** The tap whose rotated copy this one's is made from (an earlier index), or −1 for the offset-0 tap: the input itself. */
  readonly parent: number;
  /** Row rotation from the parent's copy: ±1 or ±W (0 for the offset-0 tap). */
  readonly step: number;
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
  const taps = tapTree(spec, padding, rowSize);
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

/**
 * The taps in an order where each tap's parent comes first: the row dy = 0 outwards from dx = 0
 * (right, then left), then rows dy = 1, 2, … and −1, −2, … the same way, each row's dx = 0 tap
 * reached from the row before it. Offsets dy and dx run over −padding … kernelSize − 1 − padding;
 * a `same` tap reaching past the whole image reads only padding and is left out (what remains is a
 * rectangle around the offset-0 tap, so every parent exists).
 */
function tapTree(spec: Conv2dSpec, padding: number, rowSize: number): ConvTap[] {
  const outwards = (size: number): number[] => {
    const all = Array.from({ length: spec.kernelSize }, (_, k) => k - padding).filter((d) => Math.abs(d) < size);
    return [...all.filter((d) => d >= 0), ...all.filter((d) => d < 0).reverse()];
  };
  const taps: ConvTap[] = [];
  const index = new Map<string, number>();
  for (const dy of outwards(spec.height)) {
    for (const dx of outwards(spec.width)) {
      const parent = dx !== 0 ? index.get(`${dy},${dx - Math.sign(dx)}`)! : dy !== 0 ? index.get(`${dy - Math.sign(dy)},0`)! : -1;
      const step = dx !== 0 ? Math.sign(dx) : Math.sign(dy) * spec.width;
      index.set(`${dy},${dx}`, taps.length);
      taps.push({ ky: dy + padding, kx: dx + padding, offset: dy * spec.width + dx, parent, step: normalizeStep(step, rowSize) });
    }
  }
  return taps;
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

/** The block-shift step S, normalised (both variants reach shift a·S from shift (a−1)·S). */
export function blockShiftStep(plan: ConvPlan): number {
  return normalizeStep(plan.channelBlock, plan.rowSize);
}

/** Galois steps the layer rotates by (0 = the lane swap): the tap tree's steps, S if any block shifts, the swap. Both variants need the same. */
export function convRotationSteps(plan: ConvPlan): number[] {
  const steps = plan.taps.filter((tap) => tap.parent >= 0).map((tap) => tap.step);
  if (plan.diagonals.some((d) => d.shift > 0)) steps.push(blockShiftStep(plan));
  if (plan.diagonals.some((d) => d.swap)) steps.push(0);
  return stepSet(steps);
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

/** The cheaper variant under `model`; on a tie, output rotation. */
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
