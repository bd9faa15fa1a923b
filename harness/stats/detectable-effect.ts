/**
 * Minimum detectable effect: the smallest departure from the null hypothesis that a test, at its
 * significance level and sample sizes, detects with probability `power`. The audit prints it next
 * to every p-value, so that "no leak found" reads as "no leak of at least this size".
 */
import { openUnitInterval, positiveInteger } from '../arguments.ts';
import { chiSquareQuantile, noncentralChiSquareSurvival, normalQuantile, studentTQuantile } from './distributions.ts';
import { kolmogorovQuantile } from './ks.ts';

export interface DetectableEffect {
  /** Effect size in the test's own unit (see `unit`). */
  readonly size: number;
  readonly unit: string;
  readonly alpha: number;
  readonly power: number;
}

/** Power the harness sizes its samples for. */
export const DEFAULT_POWER = 0.9;

/**
 * Welch t, two-sided, level α: the standardised mean difference (Cohen's d, in units of the
 * features' standard deviation) detected with probability `power`,
 * d = (t_{1−α/2} + t_{power}) · √(1/n_a + 1/n_b), t quantiles at n_a + n_b − 2 degrees of freedom.
 */
export function welchDetectableEffect(sizes: readonly [number, number], alpha: number, power = DEFAULT_POWER): DetectableEffect {
  const [na, nb] = checkSizes(sizes, 2);
  checkLevels(alpha, power);
  const df = na + nb - 2;
  const size = (studentTQuantile(1 - alpha / 2, df) + studentTQuantile(power, df)) * Math.sqrt(1 / na + 1 / nb);
  return { size, unit: "Cohen's d (mean difference / standard deviation)", alpha, power };
}

/**
 * Two-sample KS, level α: a sup-distance D between the two distribution functions detected with
 * probability ≥ `power`. At the point of largest difference, the empirical difference has standard
 * deviation ≤ ½·√(1/n_a + 1/n_b), so D ≥ (K_{1−α} + ½·z_power)·√(1/n_a + 1/n_b) suffices
 * (a conservative bound; K the Kolmogorov distribution).
 */
export function ksDetectableEffect(sizes: readonly [number, number], alpha: number, power = DEFAULT_POWER): DetectableEffect {
  const [na, nb] = checkSizes(sizes, 1);
  checkLevels(alpha, power);
  const size = Math.min(1, (kolmogorovQuantile(1 - alpha) + 0.5 * normalQuantile(power)) * Math.sqrt(1 / na + 1 / nb));
  return { size, unit: 'sup |F_a − F_b| (KS distance)', alpha, power };
}

/**
 * Chi-square goodness of fit with `bins` bins and `count` observations, level α: Cohen's
 * w = √(Σ (p_i − p0_i)² / p0_i) detected with probability `power`. The noncentrality λ = count·w²
 * that reaches `power` is found by bisection on the noncentral χ² (Patnaik's approximation).
 */
export function chiSquareDetectableEffect(bins: number, count: number, alpha: number, power = DEFAULT_POWER): DetectableEffect {
  positiveInteger(count, 'chiSquareDetectableEffect: count');
  if (!Number.isSafeInteger(bins) || bins < 2) throw new RangeError(`chiSquareDetectableEffect: bins must be an integer ≥ 2, got ${bins}`);
  checkLevels(alpha, power);
  const df = bins - 1;
  const critical = chiSquareQuantile(1 - alpha, df);
  let lo = 0;
  let hi = 1;
  while (noncentralChiSquareSurvival(critical, df, hi) < power) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (noncentralChiSquareSurvival(critical, df, mid) < power) lo = mid;
    else hi = mid;
  }
  return { size: Math.sqrt(hi / count), unit: "Cohen's w (√ of χ² distance to the expected bin probabilities)", alpha, power };
}

function checkSizes(sizes: readonly [number, number], min: number): [number, number] {
  for (const n of sizes) if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`detectable effect: sample sizes must be integers ≥ ${min}, got ${sizes.join(', ')}`);
  return [sizes[0], sizes[1]];
}

function checkLevels(alpha: number, power: number): void {
  openUnitInterval(alpha, 'detectable effect: α');
  openUnitInterval(power, 'detectable effect: power');
}
