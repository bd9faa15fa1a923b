/**
 * Corrections for testing many features at once (every byte position of a message, every share of
 * a layer): each controls the family-wise error rate — the probability of at least one false
 * alarm in the family — at α under any dependence between the tests.
 */
import { openUnitInterval } from '../arguments.ts';

export type Correction = 'holm' | 'bonferroni';

export interface CorrectedPValues {
  readonly correction: Correction;
  /** Adjusted p-values, in the order of the input: reject test i at level α iff adjusted[i] ≤ α. */
  readonly adjusted: Float64Array;
  /** The smallest adjusted p-value: the family's p-value (reject some test iff it is ≤ α). */
  readonly familyPValue: number;
  /** Index of the test with the smallest adjusted p-value. */
  readonly mostSignificant: number;
}

/** Bonferroni: min(1, m·p_i). */
export function bonferroni(pValues: ArrayLike<number>): CorrectedPValues {
  const m = checkedCount(pValues);
  const adjusted = Float64Array.from(pValues, (p) => Math.min(1, m * p));
  return summarise('bonferroni', adjusted);
}

/**
 * Holm's step-down procedure (Scand. J. Statist. 1979): sorted ascending, p_(i) is adjusted to
 * max_{j ≤ i} min(1, (m − j + 1)·p_(j)). Uniformly more powerful than Bonferroni, same guarantee.
 */
export function holm(pValues: ArrayLike<number>): CorrectedPValues {
  const m = checkedCount(pValues);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Float64Array(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]!));
    adjusted[index] = running;
  });
  return summarise('holm', adjusted);
}

export function correct(pValues: ArrayLike<number>, correction: Correction): CorrectedPValues {
  return correction === 'holm' ? holm(pValues) : bonferroni(pValues);
}

/** Indices of the tests rejected at family-wise level α. */
export function rejected(corrected: CorrectedPValues, alpha: number): number[] {
  openUnitInterval(alpha, 'rejected: α');
  const out: number[] = [];
  corrected.adjusted.forEach((p, i) => {
    if (p <= alpha) out.push(i);
  });
  return out;
}

function checkedCount(pValues: ArrayLike<number>): number {
  if (pValues.length === 0) throw new RangeError('multiple-testing correction: no p-values');
  for (let i = 0; i < pValues.length; i++) {
    const p = pValues[i]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`multiple-testing correction: p-value ${i} is ${p}, not in [0, 1]`);
  }
  return pValues.length;
}

function summarise(correction: Correction, adjusted: Float64Array): CorrectedPValues {
  let mostSignificant = 0;
  for (let i = 1; i < adjusted.length; i++) if (adjusted[i]! < adjusted[mostSignificant]!) mostSignificant = i;
  return { correction, adjusted, familyPValue: adjusted[mostSignificant]!, mostSignificant };
}
