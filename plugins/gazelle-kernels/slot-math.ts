/** Small integer helpers for slot geometry (everything packed is a power of two). */

/** The smallest power of two ≥ x (x ≥ 1). */
export function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/** log2 of a power of two. */
export function log2Exact(x: number): number {
  const l = Math.log2(x);
  if (!Number.isInteger(l)) throw new RangeError(`${x} is not a power of two`);
  return l;
}

/**
 * A left row rotation by `step` as the equivalent step in (−rowSize/2, rowSize/2]: rotations by k
 * and k − rowSize are the same Galois automorphism, and SEAL takes |step| < rowSize.
 */
export function normalizeStep(step: number, rowSize: number): number {
  const r = ((step % rowSize) + rowSize) % rowSize;
  return r > rowSize / 2 ? r - rowSize : r;
}

/** Sorted distinct steps. */
export function stepSet(steps: Iterable<number>): number[] {
  return [...new Set(steps)].sort((a, b) => a - b);
}
