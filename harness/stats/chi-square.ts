/**
 * Pearson's chi-square goodness-of-fit test, and its two uses in the audit: bytes uniform in
 * [0, 256) (OT and garbled-circuit messages are pseudorandom) and values uniform in [0, p) (shares
 * of the additive sharing mod p, design §2).
 */
import { checkModulus } from '../../core/modp.ts';
import { positiveInteger } from '../arguments.ts';
import { chiSquareSurvival } from './distributions.ts';

export interface ChiSquareResult {
  /** Σ (observed − expected)² / expected. */
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  /** Observations in all. */
  readonly count: number;
  /** Bins the observations were counted in. */
  readonly bins: number;
}

/** Cochran's rule: the χ² approximation needs every expected count to be at least this. */
export const MIN_EXPECTED_COUNT = 5;

/**
 * Relative slack on that rule for floating-point rounding: count·(c/count) can come out as
 * 4.999999999999999 for c = 5 (seed 1398990003 of the property below found [5, 314]).
 */
const ROUNDING_SLACK = 1e-9;

/**
 * Goodness of fit of the counts `observed` to the bin probabilities `probabilities` (uniform when
 * omitted; they must sum to 1). Every expected count must be at least `MIN_EXPECTED_COUNT`.
 */
export function chiSquareGoodnessOfFit(observed: ArrayLike<number>, probabilities?: ArrayLike<number>): ChiSquareResult {
  const k = observed.length;
  if (k < 2) throw new RangeError(`chiSquareGoodnessOfFit: needs at least 2 bins, got ${k}`);
  if (probabilities && probabilities.length !== k) {
    throw new RangeError(`chiSquareGoodnessOfFit: ${k} observed bins but ${probabilities.length} probabilities`);
  }
  let count = 0;
  let total = 0;
  for (let i = 0; i < k; i++) {
    const o = observed[i]!;
    if (!Number.isSafeInteger(o) || o < 0) throw new RangeError(`chiSquareGoodnessOfFit: bin ${i} has count ${o}, not a non-negative integer`);
    count += o;
    total += probabilities ? probabilities[i]! : 1 / k;
  }
  if (Math.abs(total - 1) > 1e-9) throw new RangeError(`chiSquareGoodnessOfFit: the probabilities sum to ${total}, not 1`);
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = count * (probabilities ? probabilities[i]! : 1 / k);
    if (!(expected >= MIN_EXPECTED_COUNT * (1 - ROUNDING_SLACK))) {
      throw new RangeError(
        `chiSquareGoodnessOfFit: bin ${i} expects ${expected.toFixed(2)} observations, fewer than ${MIN_EXPECTED_COUNT}; use fewer bins or more data`,
      );
    }
    statistic += (observed[i]! - expected) ** 2 / expected;
  }
  return { statistic, df: k - 1, pValue: chiSquareSurvival(statistic, k - 1), count, bins: k };
}

/**
 * Are `bytes` uniform in [0, 256)? Counted in 256 bins, or in fewer (the top bits of each byte, a
 * power of two) when there are too few bytes for 256 bins to expect `MIN_EXPECTED_COUNT` each.
 */
export function uniformBytesTest(bytes: Uint8Array): ChiSquareResult {
  const bins = binsFor(bytes.length, 256);
  const shift = 8 - Math.log2(bins);
  const counts = new Float64Array(bins);
  for (const b of bytes) counts[b >>> shift]!++;
  return chiSquareGoodnessOfFit(counts);
}

/**
 * Are `values` uniform in [0, p)? Counted in `bins` bins of equal width ⌈p/bins⌉ (the last one
 * shorter), each expected in proportion to its width; by default as many bins as the data support
 * (a power of two, at most 1024).
 */
export function uniformModPTest(values: ArrayLike<number>, p: number, bins = binsFor(values.length, Math.min(1024, p))): ChiSquareResult {
  checkModulus(p);
  positiveInteger(bins, 'uniformModPTest: bins');
  if (bins > p) throw new RangeError(`uniformModPTest: ${bins} bins for ${p} values`);
  const width = Math.ceil(p / bins);
  // The last bin is shorter; when too short to expect MIN_EXPECTED_COUNT values it joins the one before.
  const lastWidth = p - (Math.ceil(p / width) - 1) * width;
  const used = Math.ceil(p / width) - (Math.ceil(p / width) > 2 && (values.length * lastWidth) / p < MIN_EXPECTED_COUNT ? 1 : 0);
  const counts = new Float64Array(used);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= p) throw new RangeError(`uniformModPTest: value ${i} is ${v}, not in [0, ${p})`);
    counts[Math.min(used - 1, Math.floor(v / width))]!++;
  }
  const probabilities = Array.from({ length: used }, (_, i) => ((i === used - 1 ? p : (i + 1) * width) - i * width) / p);
  return chiSquareGoodnessOfFit(counts, probabilities);
}

/** The largest power of two ≤ `max` bins with at least `MIN_EXPECTED_COUNT` expected in each. */
function binsFor(count: number, max: number): number {
  let bins = 2 ** Math.floor(Math.log2(max));
  while (bins > 2 && count / bins < MIN_EXPECTED_COUNT) bins /= 2;
  if (count / bins < MIN_EXPECTED_COUNT) {
    throw new RangeError(`uniformity test: ${count} observations are too few (at least ${2 * MIN_EXPECTED_COUNT} needed)`);
  }
  return bins;
}
