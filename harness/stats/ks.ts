/**
 * Two-sample Kolmogorov–Smirnov test: are two samples drawn from the same distribution? Used by the
 * circuit-privacy tests (decryption noise under two weight sets, design §5) and by the verification
 * harness (real vs simulated views, §7b). Distribution-free; ties are handled exactly in the statistic
 * (the p-value is then conservative).
 */

export interface KsResult {
  /** D = sup_x |F_a(x) − F_b(x)|, in [0, 1]. */
  readonly statistic: number;
  /**
   * Asymptotic p-value: the Kolmogorov distribution's survival function at √(n_a·n_b/(n_a+n_b))·D
   * (Smirnov's limit theorem; accurate for samples of a few dozen and more).
   */
  readonly pValue: number;
  readonly sizes: readonly [number, number];
}

/** Two-sample KS test of `a` against `b` (neither may be empty or contain NaN). */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const x = sortedCopy(a, 'first');
  const y = sortedCopy(b, 'second');
  const statistic = ksStatistic(x, y);
  const effective = (x.length * y.length) / (x.length + y.length);
  return { statistic, pValue: kolmogorovSurvival(Math.sqrt(effective) * statistic), sizes: [x.length, y.length] };
}

function sortedCopy(sample: ArrayLike<number>, which: string): Float64Array {
  if (sample.length === 0) throw new RangeError(`ksTwoSample: the ${which} sample is empty`);
  const out = Float64Array.from(sample);
  for (const v of out) if (Number.isNaN(v)) throw new RangeError(`ksTwoSample: the ${which} sample contains NaN`);
  return out.sort();
}

/** sup |F_x − F_y| over sorted samples, stepping past every copy of a tied value before comparing. */
function ksStatistic(x: Float64Array, y: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * Q(λ) = P(K > λ) for the Kolmogorov distribution K. Two classical series, each used where it
 * converges in a few terms: P(K ≤ λ) = (√(2π)/λ)·Σ_{j≥1} exp(−(2j−1)²π²/(8λ²)) for small λ, and
 * Q(λ) = 2·Σ_{j≥1} (−1)^(j−1)·exp(−2j²λ²) otherwise.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda >= 0)) throw new RangeError(`kolmogorovSurvival: λ must be ≥ 0, got ${lambda}`);
  if (lambda < 0.2) return 1;
  if (lambda < 1.18) {
    let cdf = 0;
    for (let j = 1; j <= 8; j++) cdf += Math.exp(-((2 * j - 1) ** 2) * Math.PI ** 2 / (8 * lambda * lambda));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * cdf));
  }
  let q = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    q += (j % 2 === 1 ? 2 : -2) * term;
    if (term < 1e-300) break;
  }
  return Math.min(1, Math.max(0, q));
}

/** The quantile K_q of the Kolmogorov distribution: Q(K_q) = 1 − q, by bisection on `kolmogorovSurvival`. */
export function kolmogorovQuantile(q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`kolmogorovQuantile: q must be in (0, 1), got ${q}`);
  let lo = 0;
  let hi = 10; // Q(10) ≈ 2e-87: beyond any quantile a double can ask for
  for (let i = 0; i < 200 && hi - lo > 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (kolmogorovSurvival(mid) > 1 - q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
