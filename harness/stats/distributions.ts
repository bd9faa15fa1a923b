/**
 * The reference distributions of the harness's tests, from jStat (the one place it is imported):
 * tail probabilities for p-values and quantiles for detectable effect sizes. Tails are computed
 * as tails (the incomplete beta function for t; a continued fraction for the far χ² tail), not as
 * 1 − cdf, so that small p-values keep their relative accuracy.
 */
import jStat from 'jstat';
import { openUnitInterval, positiveInteger } from '../arguments.ts';

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole). */
export function studentTTwoSided(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTTwoSided: degrees of freedom must be > 0, got ${df}`);
  if (Number.isNaN(t)) throw new RangeError('studentTTwoSided: t is NaN');
  if (!Number.isFinite(t)) return 0;
  // P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2)
  return clampProbability(jStat.ibeta(df / (df + t * t), df / 2, 0.5));
}

/** P(X ≥ x) for X ~ χ²(df). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareSurvival: degrees of freedom must be > 0, got ${df}`);
  if (Number.isNaN(x)) throw new RangeError('chiSquareSurvival: x is NaN');
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return clampProbability(upperRegularisedGamma(df / 2, x / 2));
}

/**
 * Q(a, x) = 1 − P(a, x). Below x = a + 1, P is not close to 1 and jStat's P is used; above, 1 − P
 * would cancel (a p-value of 1e-28 would read 0), so Q comes from its continued fraction
 * (Legendre's, evaluated by the modified Lentz method; Numerical Recipes §6.2), with jStat's ln Γ.
 */
function upperRegularisedGamma(a: number, x: number): number {
  if (x < a + 1) return 1 - jStat.lowRegGamma(a, x);
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - jStat.gammaln(a)) * h;
}

/** The quantile z_q of the standard normal distribution. */
export function normalQuantile(q: number): number {
  return jStat.normal.inv(openUnitInterval(q, 'normalQuantile: q'), 0, 1);
}

/** The quantile of Student's t with `df` degrees of freedom. */
export function studentTQuantile(q: number, df: number): number {
  positiveInteger(df, 'studentTQuantile: degrees of freedom');
  return jStat.studentt.inv(openUnitInterval(q, 'studentTQuantile: q'), df);
}

/** The quantile of χ²(df) (df > 0). */
export function chiSquareQuantile(q: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareQuantile: degrees of freedom must be > 0, got ${df}`);
  return jStat.chisquare.inv(openUnitInterval(q, 'chiSquareQuantile: q'), df);
}

/**
 * P(X ≥ x) for X ~ χ²(df, λ), noncentral, by Patnaik's approximation (Biometrika 1949): X ≈ c·χ²(ν)
 * with c = (df + 2λ)/(df + λ) and ν = (df + λ)²/(df + 2λ) (matching mean and variance). Used only to
 * size detectable effects; accurate to about a percent in the range used (tested against SciPy).
 */
export function noncentralChiSquareSurvival(x: number, df: number, lambda: number): number {
  if (!(lambda >= 0)) throw new RangeError(`noncentralChiSquareSurvival: λ must be ≥ 0, got ${lambda}`);
  const c = (df + 2 * lambda) / (df + lambda);
  const nu = (df + lambda) ** 2 / (df + 2 * lambda);
  return chiSquareSurvival(x / c, nu);
}

function clampProbability(p: number): number {
  return Math.min(1, Math.max(0, p));
}
