/**
 * Noise flooding on a serialised ciphertext (design §5): node-seal gives no access to polynomial
 * coefficients, but the uncompressed serialisation holds c0 as RNS residues (seal-layout.ts), so the
 * flooding polynomial e (coefficients uniform on [−2^f, 2^f), from the OS CSPRNG) is added to c0 there,
 * in every limb: c0_i ← (c0_i + e mod q_i) mod q_i.
 */
import { randomFillSync } from 'node:crypto';

/**
 * Add a fresh flooding polynomial to c0. `c0` holds limb-major residues (limb i at [i·n, (i+1)·n)),
 * one limb per entry of `moduli`; it is modified in place.
 */
export function addFlooding(c0: BigUint64Array, n: number, moduli: readonly bigint[], floodBits: number): void {
  if (!Number.isInteger(floodBits) || floodBits < 1) throw new RangeError(`floodBits must be a positive integer, got ${floodBits}`);
  if (c0.length !== n * moduli.length) throw new RangeError(`c0 has ${c0.length} residues, expected ${n * moduli.length}`);
  // x uniform on [0, 2^(f+1)) from `words` random u64s (top word masked), e = x − 2^f.
  const bits = floodBits + 1;
  const words = Math.ceil(bits / 64);
  const topMask = (1n << BigInt(bits - 64 * (words - 1))) - 1n;
  const offset = 1n << BigInt(floodBits);
  const random = new BigUint64Array(words * n);
  randomFillSync(random);
  for (let k = 0; k < n; k++) {
    const base = k * words;
    let x = random[base + words - 1]! & topMask;
    for (let w = words - 2; w >= 0; w--) x = (x << 64n) | random[base + w]!;
    const e = x - offset;
    for (let i = 0; i < moduli.length; i++) {
      const q = moduli[i]!;
      let r = e % q;
      if (r < 0n) r += q;
      const at = i * n + k;
      const sum = c0[at]! + r;
      c0[at] = sum >= q ? sum - q : sum;
    }
  }
  random.fill(0n);
}
