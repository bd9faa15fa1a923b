/**
 * Shared by the seal-bfv tests and the `he` feature: a plaintext reference of SEAL's batching
 * semantics (slot-wise arithmetic mod p; 2 rows of n/2 slots, `rotateRows(k)` rotates each row left
 * by k, `rotateColumns` swaps the rows), written from SEAL's documentation, not from this backend.
 */
import { randomInt } from 'node:crypto';

export function randomSlots(n: number, bound: number): Uint32Array {
  return Uint32Array.from({ length: n }, () => randomInt(bound));
}

export const reference = {
  add: (a: Uint32Array, b: Uint32Array, p: number): Uint32Array => a.map((v, i) => (v + b[i]!) % p),
  sub: (a: Uint32Array, b: Uint32Array, p: number): Uint32Array => a.map((v, i) => (v - b[i]! + p) % p),
  mul: (a: Uint32Array, b: Uint32Array, p: number): Uint32Array => a.map((v, i) => Number((BigInt(v) * BigInt(b[i]!)) % BigInt(p))),
  rotateRows(a: Uint32Array, k: number): Uint32Array {
    const half = a.length / 2;
    const shift = ((k % half) + half) % half;
    return a.map((_, i) => {
      const row = i < half ? 0 : half;
      return a[row + ((i - row + shift) % half)]!;
    });
  },
  rotateColumns(a: Uint32Array): Uint32Array {
    const half = a.length / 2;
    return a.map((_, i) => a[(i + half) % a.length]!);
  },
};
