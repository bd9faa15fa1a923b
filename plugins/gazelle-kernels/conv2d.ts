/** Packed conv2d, input- or output-rotation variant (geometry and layouts in `conv-plan.ts`). */
import type { HeBackend, HeCiphertext, HePlaintext } from '../../core/he.ts';
import type { Conv2dSpec, ConvVariant, LinearWeights, PreparedLinear } from '../../core/linear.ts';
import { reduceMod } from '../../core/modp.ts';
import {
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
import { normalizeStep } from './slot-math.ts';

export function prepareConv(spec: Conv2dSpec, weights: LinearWeights, backend: HeBackend, variant: ConvVariant): PreparedLinear {
  const plan = planConv(spec, backend.params.slotCount);
  const description = {
    spec,
    method: variant,
    inputLayout: convInputLayout(plan),
    outputLayout: convOutputLayout(plan),
    rotationSteps: convRotationSteps(plan, variant),
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
  const rowStep = (step: number) => normalizeStep(step, plan.rowSize);

  if (variant === 'input-rotation') {
    return (inputs, ops, scope) => {
      const acc: (HeCiphertext | undefined)[] = new Array(outputCiphertexts).fill(undefined);
      for (let q = 0; q < inputCiphertexts; q++) {
        const input = inputs[q]!;
        const swapped = diagonals.some((d) => d.swap) ? scope.track(ops.rotateColumns(input)) : undefined;
        diagonals.forEach((diagonal, d) => {
          const source = diagonal.swap ? swapped! : input;
          taps.forEach((tap, t) => {
            const step = rowStep(diagonal.shift * plan.channelBlock + tap.offset);
            const rotated = step === 0 ? source : scope.track(ops.rotateRows(source, step));
            for (let p = 0; p < outputCiphertexts; p++) acc[p] = ops.multiplyAccumulate(acc[p], rotated, plaintext[q]![t]![p]![d]!, scope);
            if (rotated !== source) rotated.dispose();
          });
        });
        swapped?.dispose();
      }
      return acc.map((sum, p) => scope.track(ops.addPlain(sum!, bias[p]!)));
    };
  }

  return (inputs, ops, scope) => {
    const partial: (HeCiphertext | undefined)[][] = Array.from({ length: outputCiphertexts }, () => new Array(diagonals.length).fill(undefined));
    for (let q = 0; q < inputCiphertexts; q++) {
      const input = inputs[q]!;
      taps.forEach((tap, t) => {
        const step = rowStep(tap.offset);
        const rotated = step === 0 ? input : scope.track(ops.rotateRows(input, step));
        for (let p = 0; p < outputCiphertexts; p++) {
          for (let d = 0; d < diagonals.length; d++) partial[p]![d] = ops.multiplyAccumulate(partial[p]![d], rotated, plaintext[q]![t]![p]![d]!, scope);
        }
        if (rotated !== input) rotated.dispose();
      });
    }
    return partial.map((sums, p) => {
      // Σ over shifts of rot(a·S), per lane-swap group; then the swapped group joins through one swap.
      const group = (swap: boolean): HeCiphertext | undefined => {
        let sum: HeCiphertext | undefined;
        diagonals.forEach((diagonal, d) => {
          if (diagonal.swap !== swap) return;
          if (sum === undefined) sum = sums[d]!; // the shift-0 diagonal comes first
          else {
            ops.addRotated(sum, sums[d]!, rowStep(diagonal.shift * plan.channelBlock));
            sums[d]!.dispose();
          }
        });
        return sum;
      };
      const out = group(false)!;
      const swapped = group(true);
      if (swapped !== undefined) ops.addRotated(out, swapped, 'swap');
      return scope.track(ops.addPlain(out, bias[p]!));
    });
  };
}
