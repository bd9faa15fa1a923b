/** Packed conv2d, input- or output-rotation variant (geometry and layouts in `conv-plan.ts`). */
import type { HeBackend, HeCiphertext, HePlaintext } from '../../core/he.ts';
import type { Conv2dSpec, ConvVariant, LinearWeights, PreparedLinear } from '../../core/linear.ts';
import { reduceMod } from '../../core/modp.ts';
import type { DisposalScope } from '../../core/dispose.ts';
import {
  blockShiftStep,
  convExpectedCounts,
  convInputChannel,
  convInputLayout,
  convOutputChannel,
  convOutputLayout,
  convRotationSteps,
  diagonalSource,
  planConv,
  tapInside,
  type ConvPlan,
} from './conv-plan.ts';
import { buildKernel, type KernelRun, type PlaintextCache } from './prepared-kernel.ts';
import type { CountingEvaluator } from './counting-evaluator.ts';

export function prepareConv(spec: Conv2dSpec, weights: LinearWeights, backend: HeBackend, variant: ConvVariant): PreparedLinear {
  const plan = planConv(spec, backend.params.slotCount);
  const description = {
    spec,
    method: variant,
    inputLayout: convInputLayout(plan),
    outputLayout: convOutputLayout(plan),
    rotationSteps: convRotationSteps(plan),
    expectedCounts: convExpectedCounts(plan, variant),
  };
  return buildKernel(backend, description, (cache) => encodeConv(plan, weights, backend.params.plainModulus, variant, cache));
}

/**
 * Weight plaintext for (input ciphertext q, tap, output ciphertext p, diagonal): W[o][i][tap] on the
 * pixels where the tap reads inside the image, in the block of output channel o (input rotation:
 * the input was permuted to it) or of input channel i (output rotation: the partial sum is permuted
 * afterwards).
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
    const o = convOutputChannel(plan, p, outBlock);
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

function biasSlots(plan: ConvPlan, bias: Int32Array, prime: number, p: number): Uint32Array {
  const slots = new Uint32Array(plan.slotCount);
  for (let block = 0; block < plan.channelsPerCiphertext; block++) {
    const o = convOutputChannel(plan, p, block);
    if (o >= 0) slots.fill(reduceMod(bias[o]!, prime), block * plan.channelBlock, (block + 1) * plan.channelBlock);
  }
  return slots;
}

function encodeConv(plan: ConvPlan, weights: LinearWeights, prime: number, variant: ConvVariant, cache: PlaintextCache): KernelRun {
  const { taps, diagonals, inputCiphertexts, outputCiphertexts } = plan;
  const pixels = plan.spec.height * plan.spec.width;
  const insideMasks = taps.map((tap) => Uint8Array.from({ length: pixels }, (_, pixel) => (tapInside(plan, tap, pixel) ? 1 : 0)));
  // plaintext[q][tap][p][diagonal]
  const plaintext: HePlaintext[][][][] = [];
  for (let q = 0; q < inputCiphertexts; q++) {
    plaintext.push(
      taps.map((_, t) =>
        Array.from({ length: outputCiphertexts }, (_, p) =>
          diagonals.map((_, d) => cache.forMultiply(weightSlots(plan, weights.weights, prime, variant, q, t, p, d, insideMasks[t]!))),
        ),
      ),
    );
  }
  const bias = Array.from({ length: outputCiphertexts }, (_, p) => cache.forAddition(biasSlots(plan, weights.bias, prime, p)));
  const shiftStep = blockShiftStep(plan);

  if (variant === 'input-rotation') {
    return (inputs, ops, scope) => {
      const acc: (HeCiphertext | undefined)[] = new Array(outputCiphertexts).fill(undefined);
      for (let q = 0; q < inputCiphertexts; q++) {
        // Each swap group's base copies: shift 0 (the input, or its lane swap), then +S from the previous shift.
        let base: HeCiphertext | undefined;
        diagonals.forEach((diagonal, d) => {
          const previous = base;
          if (diagonal.shift === 0) base = diagonal.swap ? scope.track(ops.rotateColumns(inputs[q]!)) : inputs[q]!;
          else base = scope.track(ops.rotateRows(previous!, shiftStep));
          if (previous !== undefined && previous !== inputs[q]) previous.dispose();
          walkTaps(plan, base, ops, scope, (t, rotated) => {
            for (let p = 0; p < outputCiphertexts; p++) acc[p] = ops.multiplyAccumulate(acc[p], rotated, plaintext[q]![t]![p]![d]!, scope);
          });
        });
        if (base !== inputs[q]) base?.dispose();
      }
      return acc.map((sum, p) => scope.track(ops.addPlain(sum!, bias[p]!)));
    };
  }

  return (inputs, ops, scope) => {
    const partial: (HeCiphertext | undefined)[][] = Array.from({ length: outputCiphertexts }, () => new Array(diagonals.length).fill(undefined));
    for (let q = 0; q < inputCiphertexts; q++) {
      walkTaps(plan, inputs[q]!, ops, scope, (t, rotated) => {
        for (let p = 0; p < outputCiphertexts; p++) {
          for (let d = 0; d < diagonals.length; d++) partial[p]![d] = ops.multiplyAccumulate(partial[p]![d], rotated, plaintext[q]![t]![p]![d]!, scope);
        }
      });
    }
    return partial.map((sums, p) => {
      // Σ_a rot(P_a, a·S) per lane-swap group in Horner form (one Galois key, S); the swapped group joins through one swap.
      const group = (swap: boolean): HeCiphertext | undefined => {
        let sum: HeCiphertext | undefined;
        for (let d = diagonals.length - 1; d >= 0; d--) {
          if (diagonals[d]!.swap !== swap) continue;
          if (sum === undefined) sum = sums[d]!;
          else {
            const rotated = scope.track(ops.rotateRows(sum, shiftStep));
            sum.dispose();
            ops.addInPlace(rotated, sums[d]!);
            sums[d]!.dispose();
            sum = rotated;
          }
        }
        return sum;
      };
      const out = group(false)!;
      const swapped = group(true);
      if (swapped !== undefined) {
        ops.addRotated(out, swapped, 'swap');
        swapped.dispose();
      }
      return scope.track(ops.addPlain(out, bias[p]!));
    });
  };
}

/**
 * Visit every tap's copy of `source` (rotated by the tap's offset), each made from its parent's copy
 * by one small step (conv-plan.ts: the tap tree); a copy is released as soon as its products and
 * its children are done, so only a row's worth of copies is alive at a time. `source` itself (the
 * offset-0 tap) is the caller's.
 */
function walkTaps(plan: ConvPlan, source: HeCiphertext, ops: CountingEvaluator, scope: DisposalScope, visit: (tap: number, rotated: HeCiphertext) => void): void {
  const { taps } = plan;
  const pending = new Array<number>(taps.length).fill(0);
  for (const tap of taps) if (tap.parent >= 0) pending[tap.parent]!++;
  const copies = new Array<HeCiphertext | undefined>(taps.length);
  const release = (t: number) => {
    if (pending[t] === 0 && copies[t] !== source) copies[t]!.dispose();
  };
  taps.forEach((tap, t) => {
    copies[t] = tap.parent < 0 ? source : scope.track(ops.rotateRows(copies[tap.parent]!, tap.step));
    if (tap.parent >= 0) {
      pending[tap.parent]!--;
      release(tap.parent);
    }
    visit(t, copies[t]!);
    release(t);
  });
}
