/**
 * The design's §4 operation-count formulas, literally, for checking the kernels against them.
 * The kernels depart from them in four places (see `deviatesFromDesign`), all only lowering the
 * counts (the literal formulas are fractional in the second case):
 * - every dense layer: the rotate-and-sum (log2(n/n_o) rotations) is left to the parties, who sum
 *   the slots ≡ r (mod n_o) of their shares (core/linear.ts, matvec-plan.ts): n_o·n_i/n − 1
 *   rotations, or none;
 * - a dense layer whose padded matrix has fewer entries than slots: one product;
 * - a conv whose input has fewer channels than a ciphertext holds (replicated input, pow2(c_i)
 *   diagonals instead of c_n);
 * - a conv whose outputs fill at most one lane (folded: fewer diagonals, the fold summed on shares).
 */
import type { ConvVariant, LinearSpec } from '../../core/linear.ts';
import { nextPow2 } from './slot-math.ts';

export interface DesignCounts {
  readonly rotations: number;
  readonly plainMultiplications: number;
}

export function designCounts(spec: LinearSpec, slotCount: number, variant?: ConvVariant): DesignCounts {
  if (spec.kind === 'dense') {
    const ni = nextPow2(spec.inputs);
    const no = nextPow2(spec.outputs);
    const products = (no * ni) / slotCount;
    return { plainMultiplications: products, rotations: products - 1 + Math.log2(slotCount / no) };
  }
  const cn = slotCount / nextPow2(spec.height * spec.width);
  const taps = spec.kernelSize ** 2;
  const inCts = Math.ceil(spec.inChannels / cn);
  const outCts = Math.ceil(spec.outChannels / cn);
  return {
    plainMultiplications: inCts * taps * outCts * cn,
    rotations: variant === 'input-rotation' ? inCts * (cn * taps - 1) : inCts * (taps - 1) + outCts * (cn - 1),
  };
}

/** Why the kernel's counts differ from `designCounts` for this layer (undefined: they must be equal). */
export function deviatesFromDesign(spec: LinearSpec, slotCount: number): string | undefined {
  if (spec.kind === 'dense') {
    const ni = nextPow2(spec.inputs);
    const no = nextPow2(spec.outputs);
    if (ni > slotCount / 2 || no > slotCount / 2) return 'matrix split over several ciphertexts';
    const summed = `the ${Math.log2(slotCount / no)} rotate-and-sum steps left to the parties (summed on shares)`;
    if (ni * no < slotCount) return `padded matrix ${no}x${ni} has fewer entries than ${slotCount} slots: 1 product, ${summed}`;
    return summed;
  }
  const cn = slotCount / nextPow2(spec.height * spec.width);
  const period = nextPow2(spec.inChannels);
  const outputs = nextPow2(spec.outChannels);
  if (outputs <= cn / 2 && period >= 2) return `outputs folded: ${spec.outChannels} output channels fill at most one lane of c_n = ${cn} blocks, fewer diagonals, summed on shares`;
  if (period < cn) return `input replicated: ${period} diagonal${period === 1 ? '' : 's'} instead of c_n = ${cn}`;
  const reach = (spec.kernelSize - 1) / 2;
  if (spec.padding === 'same' && (reach >= spec.height || reach >= spec.width)) return 'taps beyond the whole image skipped';
  return undefined;
}
