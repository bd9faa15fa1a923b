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
 * period π = pow2(c_i) across the blocks, so π lane rotations suffice (and no swap).
 *
 * Folded outputs (the hybrid method of GAZELLE §5.2, on channel blocks): when the outputs fill at
 * most one lane (c_o' = pow2(c_o) ≤ M), a product's other blocks would be wasted, so they compute
 * other diagonals' contributions instead: F = max(1, L/c_o') groups of c_o' blocks along a lane,
 * where L is the channels one lane covers (π, or M when the input is not replicated), and the
 * second lane as one more group whenever it can hold different channels: a non-replicated input's
 * lanes hold different channels anyway, a replicated input's lane 1 is packed rotated by G channels
 * (block (1, m) holds channel (m + G) mod π). Then G = L/F shifts (halved again by the lane group
 * when the input is replicated) cover every input channel, with no swap diagonals: G·F·(1 or 2) = π.
 * GAZELLE would fold the groups onto blocks 0 … c_o' − 1 with a rotate-and-sum (rotations by c_o'·S,
 * 2c_o'·S, …, then the lane swap); here the output layout sums the groups' blocks instead, on shares
 * (core/linear.ts), so folding costs no rotation. E.g. 16→16 on 12x12 at n = 8192 (M = 16, π = 16):
 * 8 shifts instead of 16, half the products, and no swap.
 *
 * Tap copies form a tree rooted at the offset-0 tap (the input itself): along the kernel's centre
 * column by ±W, then along each row by ±1, so that every copy is one small rotation from another
 * (few Galois keys, conv-work.ts). What each kernel call computes and counts: conv-work.ts.
 *
 * Stride: the kernel computes the stride-1 result on the H×W grid; output (oy, ox) is grid pixel
 * (oy·stride, ox·stride), and the output layout selects those slots.
 */
import { conv2dOutputSize, conv2dPadding, type Conv2dSpec } from '../../core/linear.ts';
import { MappedLayout } from './mapped-layout.ts';
import { nextPow2, normalizeStep } from './slot-math.ts';

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

/** How the output blocks are folded (see the header): F groups along a lane, and the second lane. */
export interface ConvFold {
  /** c_o' = pow2(c_o): the blocks of one group. */
  readonly outputs: number;
  /** F: groups along a lane (1: none). */
  readonly withinLane: number;
  /** Lane 1 is a group too. */
  readonly lanes: boolean;
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
  /** π: input channels repeat with this period across the blocks (c_n when not replicated). */
  readonly inputPeriod: number;
  /** Block (1, m) of an input ciphertext holds channel (laneOffset + m) mod π: M when not replicated, G in a folded replicated input, else 0. */
  readonly laneOffset: number;
  /** Folded outputs (one output ciphertext), or undefined. */
  readonly fold: ConvFold | undefined;
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
  const replicated = inputPeriod < channelsPerCiphertext;
  const { fold, shifts, laneOffset } = foldOutputs(nextPow2(spec.outChannels), inputPeriod, blocksPerLane, replicated);
  const diagonals: ConvDiagonal[] = [];
  for (const swap of fold !== undefined || replicated ? [false] : [false, true]) for (let shift = 0; shift < shifts; shift++) diagonals.push({ shift, swap });
  return {
    spec,
    slotCount,
    rowSize,
    channelBlock,
    blocksPerLane,
    channelsPerCiphertext,
    inputPeriod,
    laneOffset,
    fold,
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

/**
 * The fold (see the header) for c_o' = `outputs` and input period π, and the shifts per lane and
 * the input's lane offset that go with it. No fold when the outputs need both lanes or when a
 * single replicated channel leaves nothing to fold (π = 1).
 */
function foldOutputs(outputs: number, period: number, lane: number, replicated: boolean): { fold: ConvFold | undefined; shifts: number; laneOffset: number } {
  const unfolded = { fold: undefined, shifts: replicated ? period : lane, laneOffset: replicated ? 0 : lane };
  if (outputs > lane || (replicated && period === 1)) return unfolded;
  const perLane = replicated ? period : lane;
  const withinLane = Math.max(1, perLane / outputs);
  const shiftsPerLane = perLane / withinLane;
  // A non-replicated input's second lane holds other channels; a replicated one is packed rotated by G so that it does.
  const lanes = !replicated || shiftsPerLane >= 2;
  const shifts = replicated && lanes ? shiftsPerLane / 2 : shiftsPerLane;
  return { fold: { outputs, withinLane, lanes }, shifts, laneOffset: replicated ? (lanes ? shifts : 0) : lane };
}

/** Input channel in block `block` of input ciphertext `q` (−1: empty). */
export function convInputChannel(plan: ConvPlan, q: number, block: number): number {
  const lane = Math.floor(block / plan.blocksPerLane);
  const channel = q * plan.channelsPerCiphertext + ((lane * plan.laneOffset + (block % plan.blocksPerLane)) % plan.inputPeriod);
  return channel < plan.spec.inChannels ? channel : -1;
}

/** Output channel in block `block` of output ciphertext `p` of the result (−1: empty). */
export function convOutputChannel(plan: ConvPlan, p: number, block: number): number {
  const channel = p * plan.channelsPerCiphertext + block;
  return channel < plan.spec.outChannels ? channel : -1;
}

/** The output channel whose partial sums block `block` of output ciphertext `p` holds (−1: none); folded, several blocks hold one channel's. */
export function convFoldedChannel(plan: ConvPlan, p: number, block: number): number {
  const { fold } = plan;
  if (fold === undefined) return convOutputChannel(plan, p, block);
  const lane = Math.floor(block / plan.blocksPerLane);
  const position = block % plan.blocksPerLane;
  if ((lane === 1 && !fold.lanes) || Math.floor(position / fold.outputs) >= fold.withinLane) return -1;
  return convOutputChannel(plan, p, position % fold.outputs);
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

/**
 * Output (o, oy, ox) is the sum mod p of grid pixel (oy·stride, ox·stride) of every block of
 * ciphertext ⌊o/c_n⌋ that holds channel o's partial sums: block o mod c_n, and when folded one block
 * per group (`convFoldedChannel`).
 */
export function convOutputLayout(plan: ConvPlan, plainModulus: number): MappedLayout {
  const { slotCount: n, channelBlock: s, spec } = plan;
  const { height: outH, width: outW } = conv2dOutputSize(spec);
  const table = new Int32Array(plan.outputCiphertexts * n).fill(-1);
  for (let p = 0; p < plan.outputCiphertexts; p++) {
    for (let block = 0; block < plan.channelsPerCiphertext; block++) {
      const o = convFoldedChannel(plan, p, block);
      if (o < 0) continue;
      const base = p * n + block * s;
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) table[base + oy * spec.stride * spec.width + ox * spec.stride] = (o * outH + oy) * outW + ox;
      }
    }
  }
  return new MappedLayout(n, spec.outChannels * outH * outW, table, { reduce: 'sum', modulus: plainModulus });
}
