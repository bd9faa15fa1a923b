/**
 * A party's random source (design §10). Every mask, label, Δ and OT choice of a session is drawn
 * from it. In production it is the operating system's CSPRNG; under the test profile the harness may
 * seed it, so that an audit can hold one party's randomness fixed while the other party's secret
 * varies (fixed-vs-random leakage assessment, design §7).
 */
import { randomFillSync } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { AesCtrPrg } from './crypto/aes.ts';
import { checkModulus } from './modp.ts';

export interface RandomSource {
  /** `seeded` sources are reproducible and refused outside the test profile. */
  readonly kind: 'system' | 'seeded';
  /** Fill `out` with random bytes; returns it. */
  fill<T extends Uint8Array>(out: T): T;
}

/** The operating system's CSPRNG (node:crypto). */
export function systemRandom(): RandomSource {
  return {
    kind: 'system',
    fill(out) {
      // randomFillSync takes at most 2^31 − 1 bytes per call.
      for (let off = 0; off < out.length; off += 0x4000_0000) randomFillSync(out, off, Math.min(0x4000_0000, out.length - off));
      return out;
    },
  };
}

/**
 * A reproducible stream: AES-128-CTR keyed by SHA-256 of the seed and a domain label (so one seed
 * gives independent streams for the client and the server). For tests and audits only.
 */
export function seededRandom(seed: string | Uint8Array, domain = ''): RandomSource {
  const seedBytes = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed;
  const key = sha256(new Uint8Array([...new TextEncoder().encode(`gazelle-random/${domain}/`), ...seedBytes])).subarray(0, 16);
  const prg = new AesCtrPrg(key);
  return {
    kind: 'seeded',
    fill(out) {
      out.fill(0);
      prg.xorInto(out);
      return out;
    },
  };
}

/** `length` fresh random bytes from `source`. */
export function randomBytesFrom(source: RandomSource, length: number): Uint8Array {
  return source.fill(new Uint8Array(length));
}

/** `count` uniform bits, one byte (0 or 1) each. */
export function randomBits(source: RandomSource, count: number): Uint8Array {
  const bits = source.fill(new Uint8Array(count));
  for (let i = 0; i < count; i++) bits[i]! &= 1;
  return bits;
}

/**
 * `count` values uniform in [0, p), by rejection sampling: 32-bit words masked to bitlength(p) bits,
 * values ≥ p redrawn. Never `% p` on raw bytes, which would favour the small residues.
 */
export function uniformModP(source: RandomSource, count: number, p: number): Uint32Array {
  checkModulus(p);
  const mask = p > 2 ** 31 ? 0xffff_ffff : 2 ** Math.ceil(Math.log2(p)) - 1;
  const out = new Uint32Array(count);
  let filled = 0;
  while (filled < count) {
    // Acceptance is > 1/2 per draw: ask for twice what is missing (plus slack), loop for the rest.
    const words = new Uint32Array(source.fill(new Uint8Array(4 * (2 * (count - filled) + 16))).buffer);
    for (let i = 0; i < words.length && filled < count; i++) {
      const v = (words[i]! & mask) >>> 0;
      if (v < p) out[filled++] = v;
    }
  }
  return out;
}
