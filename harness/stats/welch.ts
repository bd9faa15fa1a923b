/**
 * Welch's unequal-variance two-sample t-test, the statistic of fixed-vs-random leakage assessment
 * (TVLA; ISO 17825; dudect): do two samples have the same mean?
 */
import { finiteSample } from '../arguments.ts';
import { studentTTwoSided } from './distributions.ts';

export interface WelchResult {
  /** t = (mean_a − mean_b) / √(var_a/n_a + var_b/n_b). */
  readonly statistic: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  /** Two-sided p-value from Student's t with `df` degrees of freedom. */
  readonly pValue: number;
  readonly sizes: readonly [number, number];
}

/** Mean and unbiased variance, in one pass (Welford: stable for large offsets). */
export function meanAndVariance(sample: ArrayLike<number>): { mean: number; variance: number } {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < sample.length; i++) {
    const x = sample[i]!;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  return { mean, variance: sample.length > 1 ? m2 / (sample.length - 1) : 0 };
}

/**
 * Welch's t-test of `a` against `b` (each at least 2 finite values). Two constant samples give
 * t = 0, p = 1 when equal and t = ±∞, p = 0 when not (a deterministic difference).
 */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>): WelchResult {
  finiteSample(a, 2, 'welchTTest: the first sample');
  finiteSample(b, 2, 'welchTTest: the second sample');
  const sa = meanAndVariance(a);
  const sb = meanAndVariance(b);
  const va = sa.variance / a.length;
  const vb = sb.variance / b.length;
  const sizes = [a.length, b.length] as const;
  const difference = sa.mean - sb.mean;
  if (va + vb === 0) {
    return difference === 0
      ? { statistic: 0, df: a.length + b.length - 2, pValue: 1, sizes }
      : { statistic: Math.sign(difference) * Number.POSITIVE_INFINITY, df: a.length + b.length - 2, pValue: 0, sizes };
  }
  const statistic = difference / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { statistic, df, pValue: studentTTwoSided(statistic, df), sizes };
}
