/**
 * Arithmetic modulo the plaintext prime p (< 2^32) on plain JS numbers. Products are split so that
 * every intermediate stays below 2^53 (exact in a double) whatever the size of p.
 */

/** Check that `p` is a usable modulus: an integer in [2, 2^32). */
export function checkModulus(p: number): void {
  if (!Number.isInteger(p) || p < 2 || p >= 2 ** 32) throw new RangeError(`modulus must be an integer in [2, 2^32), got ${p}`);
}

/** a·b mod p for a, b in [0, p). */
export function mulMod(a: number, b: number, p: number): number {
  const product = a * b;
  if (product <= Number.MAX_SAFE_INTEGER) return product % p; // always, for p < 2^26.5
  // a·b_hi < 2^48 and (·mod p)·2^16 < 2^48: both exact in a double.
  const hi = ((a * (b >>> 16)) % p) * 65536;
  return (hi + a * (b & 0xffff)) % p;
}

/** (a + b) mod p for a, b in [0, p). */
export function addMod(a: number, b: number, p: number): number {
  const s = a + b;
  return s >= p ? s - p : s;
}

/** (a − b) mod p for a, b in [0, p). */
export function subMod(a: number, b: number, p: number): number {
  const d = a - b;
  return d < 0 ? d + p : d;
}

/** Any integer (e.g. a signed weight) reduced to [0, p). */
export function reduceMod(value: number, p: number): number {
  const r = value % p;
  return r < 0 ? r + p : r;
}

/**
 * The largest magnitude of a signed value in Z_p, ⌊(p−1)/2⌋: the values −h..h have distinct residues
 * and read back exactly (design §2: values ≥ p/2 are negative).
 */
export function signedBound(p: number): number {
  return Math.floor((p - 1) / 2);
}

/** The signed reading of y ∈ [0, p): y if y ≤ ⌊(p−1)/2⌋, else y − p. */
export function toSigned(y: number, p: number): number {
  return y <= signedBound(p) ? y : y - p;
}
