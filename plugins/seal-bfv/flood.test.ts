import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addFlooding } from './flood.ts';

// The fast preset's data primes (SEAL CoeffModulus::Create(4096, {36, 36})).
const MODULI = [68719230977n, 68719403009n];
const Q = MODULI.reduce((a, b) => a * b);

/** The integer in (−Q/2, Q/2] with the given residues (CRT). */
function crt(residues: readonly bigint[]): bigint {
  let x = 0n;
  for (let i = 0; i < MODULI.length; i++) {
    const qi = MODULI[i]!;
    const rest = Q / qi;
    let inv = 1n;
    for (let e = qi - 2n, b = rest % qi; e > 0n; e >>= 1n, b = (b * b) % qi) if (e & 1n) inv = (inv * b) % qi;
    x = (x + residues[i]! * rest * inv) % Q;
  }
  return x > Q / 2n ? x - Q : x;
}

describe('noise flooding of c0', () => {
  it('adds, in every RNS limb, the residues of one integer in [−2^f, 2^f)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.array(fc.bigInt({ min: 0n, max: MODULI[0]! - 1n }), { minLength: 8, maxLength: 8 }), (f, start) => {
        const n = start.length;
        const c0 = new BigUint64Array([...start, ...start.map((v) => v % MODULI[1]!)]);
        const before = c0.slice();
        addFlooding(c0, n, MODULI, f);
        for (let k = 0; k < n; k++) {
          const diff = MODULI.map((q, i) => (((c0[i * n + k]! - before[i * n + k]!) % q) + q) % q);
          const e = crt(diff);
          assert.ok(e >= -(1n << BigInt(f)) && e < 1n << BigInt(f), `e = ${e} at f = ${f}`);
          for (let i = 0; i < MODULI.length; i++) assert.ok(c0[i * n + k]! < MODULI[i]!);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('spreads over the whole interval, centred on zero', () => {
    const n = 4096;
    const f = 30;
    const c0 = new BigUint64Array(2 * n);
    addFlooding(c0, n, MODULI, f);
    const e = Array.from({ length: n }, (_, k) => Number(crt([c0[k]!, c0[n + k]!])) / 2 ** f);
    const mean = e.reduce((a, b) => a + b, 0) / n;
    // U[−1, 1): σ = 1/√3; the mean of 4096 draws is within 6σ/√n of 0 except with probability < 10^-8.
    assert.ok(Math.abs(mean) < 6 / Math.sqrt(3 * n), `mean ${mean}`);
    assert.ok(Math.min(...e) < -0.99 && Math.max(...e) > 0.99);
  });

  it('rejects a flooding exponent that is not a positive integer and a c0 of the wrong size', () => {
    assert.throws(() => addFlooding(new BigUint64Array(4), 2, MODULI, 0), RangeError);
    assert.throws(() => addFlooding(new BigUint64Array(3), 2, MODULI, 10), RangeError);
  });
});
