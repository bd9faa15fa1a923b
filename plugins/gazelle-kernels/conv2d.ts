/** Packed conv2d, input- or output-rotation variant, whole or one piece (geometry in conv-plan.ts, operations in conv-work.ts). */
import type { DisposalScope } from '../../core/dispose.ts';
import type { HeBackend, HeCiphertext, HePlaintext } from '../../core/he.ts';
import type { Conv2dSpec, ConvVariant, LinearWeights, PreparedLinear, SlotLayout, WorkPiece } from '../../core/linear.ts';
import { reduceMod } from '../../core/modp.ts';
import {
  convInputChannel,
  convInputLayout,
  convFoldedChannel,
  convOutputLayout,
  diagonalSource,
  planConv,
  tapInside,
  type ConvPlan,
} from './conv-plan.ts';
import { blockShiftStep, convPieceCounts, convRotationSteps, diagonalRuns, tapClosure, type ConvPiece } from './conv-work.ts';
import type { CountingEvaluator } from './counting-evaluator.ts';
import { buildKernel, type KernelRun, type PlaintextCache } from './prepared-kernel.ts';
import { normalizeStep } from './slot-math.ts';

/** `piece` is `cutConvWork`'s products for `workPiece` (the whole layer: `wholePiece`). */
export function prepareConv(spec: Conv2dSpec, weights: LinearWeights, backend: HeBackend, variant: ConvVariant, workPiece: WorkPiece, piece: ConvPiece): PreparedLinear {
  const plan = planConv(spec, backend.params.slotCount);
  const prime = backend.params.plainModulus;
  const outputLayout = convOutputLayout(plan, prime);
  const description = {
    spec,
    method: variant,
    piece: workPiece,
    inputLayout: convInputLayout(plan),
    outputLayout,
    rotationSteps: convRotationSteps(plan, piece),
    expectedCounts: convPieceCounts(plan, variant, piece),
  };
  return buildKernel(backend, description, (cache) => encodeConv(plan, weights, prime, variant, piece, outputLayout, cache));
}

/**
 * Weight plaintext for (input ciphertext q, tap, output ciphertext p, diagonal): W[o][i][tap] on the
 * pixels where the tap reads inside the image, in the block that sums into output channel o (input
 * rotation: the input was permuted to it) or in the block of input channel i (output rotation: the
 * partial sum is permuted afterwards), o as the fold has it.
 */
function weightSlots(
  plan: ConvPlan,
  weights: Int32Array,
  prime: number,
  variant: ConvVariant,
  q: number,
  tapIndex: number,
  p: number,
  diagonalIndex: number,
  inside: Uint8Array,
): Uint32Array {
  const { spec, channelBlock } = plan;
  const tap = plan.taps[tapIndex]!;
  const k = spec.kernelSize;
  const slots = new Uint32Array(plan.slotCount);
  for (let outBlock = 0; outBlock < plan.channelsPerCiphertext; outBlock++) {
    const o = convFoldedChannel(plan, p, outBlock);
    if (o < 0) continue;
    const inBlock = diagonalSource(plan, plan.diagonals[diagonalIndex]!, outBlock);
    const i = convInputChannel(plan, q, inBlock);
    if (i < 0) continue;
    const w = reduceMod(weights[((o * spec.inChannels + i) * k + tap.ky) * k + tap.kx]!, prime);
    const base = (variant === 'input-rotation' ? outBlock : inBlock) * channelBlock;
    for (let pixel = 0; pixel < inside.length; pixel++) if (inside[pixel]) slots[base + pixel] = w;
  }
  return slots;
}

/** The bias once per output value, in its first slot (the output layout sums the others). */
function biasSlots(layout: SlotLayout, bias: Int32Array, prime: number): Uint32Array[] {
  const perChannel = layout.length / bias.length;
  return layout.pack(Uint32Array.from({ length: layout.length }, (_, i) => reduceMod(bias[Math.floor(i / perChannel)]!, prime)));
}

function encodeConv(
  plan: ConvPlan,
  weights: LinearWeights,
  prime: number,
  variant: ConvVariant,
  piece: ConvPiece,
  outputLayout: SlotLayout,
  cache: PlaintextCache,
): KernelRun {
  const { taps, outputCiphertexts } = plan;
  const pixels = plan.spec.height * plan.spec.width;
  const insideMasks = taps.map((tap) => Uint8Array.from({ length: pixels }, (_, pixel) => (tapInside(plan, tap, pixel) ? 1 : 0)));
  // plaintext[q][tap][p][j] for the piece's taps of input q and its j-th diagonal (sparse over taps it does not multiply).
  const plaintext: HePlaintext[][][][] = piece.taps.map((tapsOfInput, q) => {
    const byTap: HePlaintext[][][] = [];
    for (const t of tapsOfInput) {
      byTap[t] = Array.from({ length: outputCiphertexts }, (_, p) =>
        piece.diagonals.map((d) => cache.forMultiply(weightSlots(plan, weights.weights, prime, variant, q, t, p, d, insideMasks[t]!))),
      );
    }
    return byTap;
  });
  const bias = piece.bias ? biasSlots(outputLayout, weights.bias, prime).map((slots) => cache.forAddition(slots)) : [];
  // The bias (piece 0) on each output ciphertext's sum; a fold's rotate-and-sum is left to the output layout (conv-plan.ts).
  const finish = (sum: HeCiphertext, p: number, ops: CountingEvaluator, scope: DisposalScope) => (piece.bias ? scope.track(ops.addPlain(sum, bias[p]!)) : sum);
  const runs = diagonalRuns(plan, piece.diagonals);
  const position = new Map(piece.diagonals.map((d, j) => [d, j]));
  const shiftStep = blockShiftStep(plan);
  const firstShiftStep = (shift: number) => normalizeStep(shift * plan.channelBlock, plan.rowSize);

  if (variant === 'input-rotation') {
    return (inputs, ops, scope) => {
      const acc: (HeCiphertext | undefined)[] = new Array(outputCiphertexts).fill(undefined);
      piece.taps.forEach((tapsOfInput, q) => {
        if (tapsOfInput.length === 0) return;
        const input = inputs[q]!;
        for (const run of runs) {
          // The run's base copies: its first shift (from the input, or its lane swap), then +S from the previous shift.
          let base = run.swap ? scope.track(ops.rotateColumns(input)) : input;
          const replace = (next: HeCiphertext) => {
            if (base !== input) base.dispose();
            base = next;
          };
          if (run.firstShift > 0) replace(scope.track(ops.rotateRows(base, firstShiftStep(run.firstShift))));
          run.diagonals.forEach((d, i) => {
            if (i > 0) replace(scope.track(ops.rotateRows(base, shiftStep)));
            const j = position.get(d)!;
            walkTaps(plan, tapsOfInput, base, ops, scope, (t, rotated) => {
              for (let p = 0; p < outputCiphertexts; p++) acc[p] = ops.multiplyAccumulate(acc[p], rotated, plaintext[q]![t]![p]![j]!, scope);
            });
          });
          if (base !== input) base.dispose();
        }
      });
      return acc.map((sum, p) => finish(sum!, p, ops, scope));
    };
  }

  return (inputs, ops, scope) => {
    const partial: (HeCiphertext | undefined)[][] = Array.from({ length: outputCiphertexts }, () => new Array(piece.diagonals.length).fill(undefined));
    piece.taps.forEach((tapsOfInput, q) => {
      walkTaps(plan, tapsOfInput, inputs[q]!, ops, scope, (t, rotated) => {
        for (let p = 0; p < outputCiphertexts; p++) {
          for (let j = 0; j < piece.diagonals.length; j++) partial[p]![j] = ops.multiplyAccumulate(partial[p]![j], rotated, plaintext[q]![t]![p]![j]!, scope);
        }
      });
    });
    return partial.map((sums, p) => {
      let out: HeCiphertext | undefined;
      for (const run of runs) {
        // Σ over the run's shifts a of rot(P_a, (a − a0)·S) in Horner form (one Galois key, S), then rotated by a0·S.
        let sum: HeCiphertext | undefined;
        for (let i = run.diagonals.length - 1; i >= 0; i--) {
          const term = sums[position.get(run.diagonals[i]!)!]!;
          if (sum === undefined) sum = term;
          else {
            const rotated = scope.track(ops.rotateRows(sum, shiftStep));
            sum.dispose();
            ops.addInPlace(rotated, term);
            term.dispose();
            sum = rotated;
          }
        }
        if (run.firstShift > 0) {
          const placed = scope.track(ops.rotateRows(sum!, firstShiftStep(run.firstShift)));
          sum!.dispose();
          sum = placed;
        }
        // The swap group joins through one lane swap (the non-swap run, if any, comes first).
        if (!run.swap) out = sum;
        else if (out === undefined) {
          out = scope.track(ops.rotateColumns(sum!));
          sum!.dispose();
        } else {
          ops.addRotated(out, sum!, 'swap');
          sum!.dispose();
        }
      }
      return finish(out!, p, ops, scope);
    });
  };
}

/**
 * Visit the copies of `source` rotated by the offsets of `wanted` taps, each copy made from its
 * parent's by one small step (conv-plan.ts: the tap tree), making the ancestors the wanted taps
 * need too; a copy is released as soon as its products and its children are done, so only a row's
 * worth of copies is alive at a time. `source` itself (the offset-0 tap) is the caller's.
 */
function walkTaps(
  plan: ConvPlan,
  wanted: readonly number[],
  source: HeCiphertext,
  ops: CountingEvaluator,
  scope: DisposalScope,
  visit: (tap: number, rotated: HeCiphertext) => void,
): void {
  const { taps } = plan;
  const needed = tapClosure(plan, wanted);
  const visited = new Set(wanted);
  const pending = new Array<number>(taps.length).fill(0);
  taps.forEach((tap, t) => needed[t] && tap.parent >= 0 && pending[tap.parent]!++);
  const copies = new Array<HeCiphertext | undefined>(taps.length);
  const release = (t: number) => {
    if (pending[t] === 0 && copies[t] !== source) copies[t]!.dispose();
  };
  taps.forEach((tap, t) => {
    if (!needed[t]) return;
    copies[t] = tap.parent < 0 ? source : scope.track(ops.rotateRows(copies[tap.parent]!, tap.step));
    if (tap.parent >= 0) {
      pending[tap.parent]!--;
      release(tap.parent);
    }
    if (visited.has(t)) visit(t, copies[t]!);
    release(t);
  });
}
