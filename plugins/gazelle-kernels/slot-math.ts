/** Small integer helpers for slot geometry (everything packed is a power of two). */

/** The smallest power of two ≥ x (x ≥ 1). */
export function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
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
