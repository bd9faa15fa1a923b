/**
 * Galois elements of SEAL's batching rotations (SEAL 4.1 `GaloisTool::get_elt_from_step`): a row
 * rotation by k (left for k > 0) is the automorphism x ↦ x^(3^k mod 2n), k taken mod n/2; the column
 * swap (step 0 here, as in SEAL) is x ↦ x^(2n−1). SEAL stores the key of element g at index (g − 1)/2.
 */

/** The Galois element of a rotation step (|step| < n/2; 0 = column swap). */
export function galoisElement(step: number, n: number): number {
  const rowSize = n / 2;
  if (!Number.isInteger(step) || Math.abs(step) >= rowSize) {
    throw new RangeError(`Galois step must be an integer with |step| < ${rowSize} (the row size), got ${step}`);
  }
  const m = 2 * n;
  if (step === 0) return m - 1;
  const k = step > 0 ? step : rowSize + step;
  // Square-and-multiply; m ≤ 2^16, so every product stays exact in a double.
  let element = 1;
  let base = 3;
  for (let e = k; e > 0; e >>>= 1) {
    if (e & 1) element = (element * base) % m;
    base = (base * base) % m;
  }
  return element;
}

/** Index of element g in SEAL's serialised Galois key table. */
export function galoisKeyIndex(element: number): number {
  return (element - 1) / 2;
}
