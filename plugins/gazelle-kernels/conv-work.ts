/**
 * What a packed convolution call computes, counts and rotates by (GAZELLE §5.3; geometry in
 * conv-plan.ts), for the whole layer or for one piece of its work (`WorkPiece`, core/linear.ts).
 *
 * Input rotation: rotate each input ciphertext by every (diagonal, tap), multiply by the weights
 * for each output ciphertext and accumulate: ceil(c_i/c_n)·(d·T − 1) rotations.
 * Output rotation: rotate each input by every tap, accumulate one partial sum per (output
 * ciphertext, diagonal), then permute the partial sums into place:
 * ceil(c_i/c_n)·(T − 1) + ceil(c_o/c_n)·(d − 1) rotations.
 * Both: ceil(c_i/c_n)·T·ceil(c_o/c_n)·d plaintext multiplications and as many additions
 * (accumulations + permutation sums + the bias). T = taps (f_h·f_w), d = diagonals (c_n, or
 * pow2(c_i) when the input is replicated): with c_i ≥ c_n these are exactly the design's §4 formulas.
 * Folded outputs (conv-plan.ts, pow2(c_o) ≤ c_n/2) have fewer diagonals, and nothing more: their
 * rotate-and-sum is left to the parties (the output layout sums the groups' blocks).
 *
 * Few Galois keys (0.85 MB each at n = 8192): every rotation is one small step from a copy already
 * made, never a step of its own. Tap copies follow the tap tree (conv-plan.ts: ±W along the centre
 * column, ±1 along the rows; `valid` padding needs only +1 and +W). Block shifts a·S are reached
 * from shift (a−1)·S by +S: input rotation rotates the previous diagonal's base copy, output
 * rotation sums the permuted partial sums in Horner form,
 * Σ_a rot(P_a, a·S) = rot(…rot(rot(P_{d−1}, S) + P_{d−2}, S)…, S) + P_0. The counts are exactly
 * those of one rotation per offset, and a layer needs at most ±1, ±W, S and the lane swap, shared
 * by every layer with the same W or S. The cost is noise: key-switching noise adds up along a chain
 * (seal-bfv noise.ts: a rotation adds a constant), so a tap copy carries up to |dy| + |dx| (with
 * input rotation, plus its diagonal's shift) key switches instead of one: a few bits of flooding
 * margin (the Horner sums add exactly as many as separate rotations).
 *
 * Pieces (workers sharing a layer). A piece multiplies a subset of the (input ciphertext, tap,
 * diagonal) products, for every output ciphertext, and returns its partial sums permuted into the
 * output layout; the bias goes to piece 0. Two cuts:
 * - by diagonals (both variants): a contiguous range of the diagonals, every tap. Within each swap
 *   group the range is a run of shifts a0 … a1 − 1, reached from shift 0 by one rotation by a0·S
 *   (an extra Galois step unless a0 = 0: two pieces of a full ciphertext take one swap group each);
 *   output rotation's Horner sum runs over the range. Every piece repeats the tap rotations.
 * - by taps (output rotation): a contiguous range of the (input ciphertext, tap) pairs in tree
 *   order, every diagonal. A piece rotates only the taps it multiplies and their ancestors in the
 *   tree; every piece repeats the block permutation, ceil(c_o/c_n)·(d − 1) rotations.
 * For a given number of pieces, the cut whose slowest piece costs less under the cost model.
 */
import type { ConvVariant, OpCounts, WorkPiece } from '../../core/linear.ts';
import type { ConvPlan } from './conv-plan.ts';
import { countsCost, DEFAULT_COST_MODEL, type CostModel } from './cost-model.ts';
import { normalizeStep, stepSet } from './slot-math.ts';

/** The products one call multiplies: per input ciphertext the taps (tree order), and the diagonals, for every output ciphertext. */
export interface ConvPiece {
  /** Indexed by input ciphertext: indices into `plan.taps`, ascending (empty: the ciphertext is not used). */
  readonly taps: readonly (readonly number[])[];
  /** Indices into `plan.diagonals`, a contiguous ascending range. */
  readonly diagonals: readonly number[];
  /** Whether this call adds the bias (the whole layer, or piece 0). */
  readonly bias: boolean;
}

/** A piece's diagonals within one swap group: consecutive shifts from `firstShift`. */
export interface DiagonalRun {
  readonly swap: boolean;
  readonly firstShift: number;
  /** Indices into `plan.diagonals`, in shift order. */
  readonly diagonals: readonly number[];
}

const range = (count: number, from = 0) => Array.from({ length: count }, (_, i) => from + i);

/** All of the layer's work. */
export function wholePiece(plan: ConvPlan): ConvPiece {
  const taps = range(plan.taps.length);
  return { taps: range(plan.inputCiphertexts).map(() => taps), diagonals: range(plan.diagonals.length), bias: true };
}

/** Piece `index` of `count` cut by diagonals: a balanced contiguous range of them, every tap. */
function cutByDiagonals(plan: ConvPlan, index: number, count: number): ConvPiece {
  const d = plan.diagonals.length;
  const first = Math.floor((index * d) / count);
  const taps = range(plan.taps.length);
  return { taps: range(plan.inputCiphertexts).map(() => taps), diagonals: range(Math.floor(((index + 1) * d) / count) - first, first), bias: index === 0 };
}

/** Piece `index` of `count` cut by taps: a balanced contiguous range of the (input ciphertext, tap) pairs, every diagonal. */
function cutByTaps(plan: ConvPlan, index: number, count: number): ConvPiece {
  const t = plan.taps.length;
  const units = plan.inputCiphertexts * t;
  const first = Math.floor((index * units) / count);
  const end = Math.floor(((index + 1) * units) / count);
  const taps = range(plan.inputCiphertexts).map((q) => range(t).filter((tap) => q * t + tap >= first && q * t + tap < end));
  return { taps, diagonals: range(plan.diagonals.length), bias: index === 0 };
}

/** The most pieces a layer's work can be cut into: one diagonal each, or (output rotation) one (input ciphertext, tap) pair each. */
export function convMaxPieces(plan: ConvPlan, variant: ConvVariant): number {
  const d = plan.diagonals.length;
  return variant === 'input-rotation' ? d : Math.max(d, plan.inputCiphertexts * plan.taps.length);
}

/** The products of `piece` of the layer's work, by the cut whose slowest piece is cheapest under `model` (see the header). */
export function cutConvWork(plan: ConvPlan, variant: ConvVariant, piece: WorkPiece, model: CostModel = DEFAULT_COST_MODEL): ConvPiece {
  if (piece.count === 1) return wholePiece(plan);
  const cuts = [cutByDiagonals, ...(variant === 'output-rotation' ? [cutByTaps] : [])].filter((cut) =>
    cut === cutByDiagonals ? piece.count <= plan.diagonals.length : piece.count <= plan.inputCiphertexts * plan.taps.length,
  );
  const slowest = (cut: typeof cutByDiagonals) =>
    Math.max(...range(piece.count).map((index) => countsCost(convPieceCounts(plan, variant, cut(plan, index, piece.count)), model)));
  const best = cuts.reduce((a, b) => (slowest(b) < slowest(a) ? b : a));
  return best(plan, piece.index, piece.count);
}

/** The piece's diagonals grouped into runs per swap group (a contiguous range has at most two). */
export function diagonalRuns(plan: ConvPlan, diagonals: readonly number[]): DiagonalRun[] {
  const runs: { swap: boolean; firstShift: number; diagonals: number[] }[] = [];
  for (const index of diagonals) {
    const diagonal = plan.diagonals[index]!;
    const last = runs.at(-1);
    if (last?.swap === diagonal.swap) last.diagonals.push(index);
    else runs.push({ swap: diagonal.swap, firstShift: diagonal.shift, diagonals: [index] });
  }
  return runs;
}

/** The taps whose copies a call makes to multiply `taps`: those and their ancestors in the tap tree (always the offset-0 tap, which is free). */
export function tapClosure(plan: ConvPlan, taps: readonly number[]): boolean[] {
  const needed = new Array<boolean>(plan.taps.length).fill(false);
  for (let t of taps) {
    while (t >= 0 && !needed[t]) {
      needed[t] = true;
      t = plan.taps[t]!.parent;
    }
  }
  return needed;
}

/** Rotations making the tap copies of one input ciphertext (or base copy) for `taps`. */
function tapRotations(plan: ConvPlan, taps: readonly number[]): number {
  return taps.length === 0 ? 0 : tapClosure(plan, taps).filter(Boolean).length - 1;
}

/** The kernel's cost formulas for `piece` (see the header; `wholePiece` gives the layer's). */
export function convPieceCounts(plan: ConvPlan, variant: ConvVariant, piece: ConvPiece): OpCounts {
  const p = plan.outputCiphertexts;
  const d = piece.diagonals.length;
  const runs = diagonalRuns(plan, piece.diagonals);
  // Per run: one rotation to its first shift (none from shift 0), +S to each further shift, and the lane swap in the swap group.
  const runRotations = runs.reduce((sum, run) => sum + (run.firstShift > 0 ? 1 : 0) + run.diagonals.length - 1 + (run.swap ? 1 : 0), 0);
  const units = piece.taps.reduce((sum, taps) => sum + taps.length, 0);
  const bias = piece.bias ? p : 0;
  if (variant === 'input-rotation') {
    const used = piece.taps.filter((taps) => taps.length > 0);
    // Per used input ciphertext: its runs' base copies, then each base's tap copies.
    const rotations = used.reduce((sum, taps) => sum + runRotations + d * tapRotations(plan, taps), 0);
    // Every (tap copy of a base copy) is multiplied by each output ciphertext's weights and accumulated.
    return { rotations, plainMultiplications: units * d * p, multiplicands: units * d, additions: p * (units * d - 1) + bias };
  }
  const rotations = piece.taps.reduce((sum, taps) => sum + tapRotations(plan, taps), 0) + p * runRotations;
  // Per output ciphertext: d partial sums of `units` products each, the Horner sums within runs, the join of the two swap groups.
  const permutationSums = runs.reduce((sum, run) => sum + run.diagonals.length - 1, 0) + runs.length - 1;
  return { rotations, plainMultiplications: units * p * d, multiplicands: units, additions: p * d * (units - 1) + p * permutationSums + bias };
}

/** The whole layer's counts. */
export function convExpectedCounts(plan: ConvPlan, variant: ConvVariant): OpCounts {
  return convPieceCounts(plan, variant, wholePiece(plan));
}

/** The block-shift step S, normalised (both variants reach shift a·S from shift (a−1)·S). */
export function blockShiftStep(plan: ConvPlan): number {
  return normalizeStep(plan.channelBlock, plan.rowSize);
}

/** Galois steps a call of `piece` rotates by (0 = the lane swap); both variants need the same. */
export function convRotationSteps(plan: ConvPlan, piece: ConvPiece): number[] {
  const steps: number[] = [];
  for (const taps of piece.taps) tapClosure(plan, taps).forEach((needed, t) => needed && plan.taps[t]!.parent >= 0 && steps.push(plan.taps[t]!.step));
  for (const run of diagonalRuns(plan, piece.diagonals)) {
    if (run.firstShift > 0) steps.push(normalizeStep(run.firstShift * plan.channelBlock, plan.rowSize));
    if (run.diagonals.length > 1) steps.push(blockShiftStep(plan));
    if (run.swap) steps.push(0);
  }
  return stepSet(steps);
}

/** The cheaper variant under `model`; on a tie, output rotation. */
export function chooseConvVariant(plan: ConvPlan, model: CostModel = DEFAULT_COST_MODEL): ConvVariant {
  const input = countsCost(convExpectedCounts(plan, 'input-rotation'), model);
  const output = countsCost(convExpectedCounts(plan, 'output-rotation'), model);
  return input < output ? 'input-rotation' : 'output-rotation';
}
