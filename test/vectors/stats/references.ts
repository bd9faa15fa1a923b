/** The SciPy / statsmodels reference values of `make-stats-vectors.py`, typed for the tests. */
import { readFileSync } from 'node:fs';

interface References {
  readonly generator: Record<string, string>;
  readonly t_two_sided: { t: number; df: number; p: number }[];
  readonly chi2_sf: { x: number; df: number; p: number }[];
  readonly t_quantile: { q: number; df: number; x: number }[];
  readonly normal_quantile: { q: number; x: number }[];
  readonly kolmogorov_quantile: { q: number; x: number }[];
  readonly welch: { a: number[]; b: number[]; t: number; df: number; p: number }[];
  readonly chi2_gof: { observed: number[]; probabilities: number[] | null; statistic: number; p: number }[];
  readonly uniform_bytes: { bytes: number[]; statistic: number; p: number; bins?: number }[];
  readonly uniform_mod_p: { p: number; bins: number; values: number[]; statistic: number; pValue: number }[];
  readonly multiple_testing: { p: number[]; holm: number[]; bonferroni: number[] };
  readonly chi2_detectable: { bins: number; count: number; alpha: number; power: number; w: number }[];
  readonly welch_detectable: { sizes: [number, number]; alpha: number; power: number; d: number; exactPower: number }[];
}

export const REFERENCES: References = JSON.parse(readFileSync(new URL('./stats-references.json', import.meta.url), 'utf8'));

/** |got − expected| within a relative tolerance, or an absolute one for values near 0. */
export function close(got: number, expected: number, relative = 1e-9, absolute = 1e-15): boolean {
  return Math.abs(got - expected) <= absolute + relative * Math.abs(expected);
}
