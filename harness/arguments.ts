/**
 * Argument checks of the harness, in one place: every statistic, check and experiment validates
 * its sizes and levels through these, so a bad call fails with the same clear `RangeError`.
 */

/** `value` as a positive integer, or a `RangeError` naming `what`. */
export function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer, got ${value}`);
  return value;
}

/** `value` as a non-negative integer, or a `RangeError` naming `what`. */
export function nonNegativeInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  return value;
}

/** `value` strictly between 0 and 1 (a significance level or a power), or a `RangeError`. */
export function openUnitInterval(value: number, what: string): number {
  if (!(value > 0 && value < 1)) throw new RangeError(`${what} must be in (0, 1), got ${value}`);
  return value;
}

/** A sample with at least `min` finite values, or a `RangeError` naming `what`. */
export function finiteSample(sample: ArrayLike<number>, min: number, what: string): ArrayLike<number> {
  if (sample.length < min) throw new RangeError(`${what} needs at least ${min} values, got ${sample.length}`);
  for (let i = 0; i < sample.length; i++) {
    if (!Number.isFinite(sample[i]!)) throw new RangeError(`${what} contains a non-finite value at ${i}: ${sample[i]}`);
  }
  return sample;
}
