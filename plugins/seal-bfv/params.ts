/**
 * BFV parameter sets (design §5): the `secure` and `fast` presets and validated custom parameters.
 * Every set keeps SEAL's 128-bit security check (`tc128`) on: the total coefficient-modulus size
 * never exceeds SEAL's limit for the ring dimension.
 */
import { ConfigError } from '../../core/errors.ts';
import type { SealLibrary } from './seal-loader.ts';

/**
 * GAZELLE's 20-bit plaintext prime (USENIX Security 2018, §6): p = 17·2^15 + 1 ≡ 1 mod 2n for every
 * n ≤ 16384, so both presets share it and a quantised model runs unchanged on either.
 */
export const GAZELLE_PLAIN_MODULUS = 557057;

export interface BfvParameterSet {
  readonly preset: string;
  readonly polyModulusDegree: number;
  readonly plainModulus: number;
  /** Bit sizes of the coefficient-modulus primes; the last is the special (key-switching) prime. */
  readonly coeffModulusBits: readonly number[];
}

/**
 * `secure`: three 54/55-bit data primes leave room to flood with ≥ 40 bits of statistical margin on
 * the reference layer (noise.ts); a 55-bit special prime ≥ every data prime keeps key-switching noise
 * small. 54+54+55+55 = 218 bits, exactly SEAL's tc128 limit at n = 8192.
 * `fast`: SEAL's default modulus at n = 4096 (36+36+37 = 109 bits, the tc128 limit); too small to
 * flood with a provable margin, so it needs `acceptLowerMargin` (the margin is reported honestly).
 */
export const PRESETS: Readonly<Record<'secure' | 'fast', BfvParameterSet>> = {
  secure: { preset: 'secure', polyModulusDegree: 8192, plainModulus: GAZELLE_PLAIN_MODULUS, coeffModulusBits: [54, 54, 55, 55] },
  fast: { preset: 'fast', polyModulusDegree: 4096, plainModulus: GAZELLE_PLAIN_MODULUS, coeffModulusBits: [36, 36, 37] },
};

export interface ParameterOptions {
  readonly preset?: unknown;
  readonly polyModulusDegree?: unknown;
  readonly coeffModulusBits?: unknown;
  readonly plainModulus?: unknown;
  readonly plainModulusBits?: unknown;
}

const MIN_DEGREE = 2048;
const MAX_DEGREE = 32768;
/** SEAL's CoeffModulus::Create accepts primes of at most 60 bits. */
const MAX_PRIME_BITS = 60;

/** The parameter set the options describe, validated before SEAL sees it (`ConfigError` on any problem). */
export function resolveParameters(seal: SealLibrary, options: ParameterOptions): BfvParameterSet {
  const custom = options.polyModulusDegree !== undefined || options.coeffModulusBits !== undefined;
  const hasPlain = options.plainModulus !== undefined || options.plainModulusBits !== undefined;
  if (options.preset !== undefined && custom) {
    throw new ConfigError('seal-bfv: give either "preset" or custom parameters (polyModulusDegree, coeffModulusBits), not both');
  }
  if (!custom) {
    const name = options.preset ?? 'secure';
    if (name !== 'secure' && name !== 'fast') {
      throw new ConfigError(`seal-bfv: unknown preset ${JSON.stringify(name)}; valid presets: secure, fast (or custom parameters)`);
    }
    const preset = PRESETS[name];
    // A preset with another plaintext prime: what a model quantised for that prime needs (core/he.ts).
    return hasPlain ? { ...preset, plainModulus: plainModulus(seal, preset.polyModulusDegree, preset.coeffModulusBits, options) } : preset;
  }
  const n = options.polyModulusDegree;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_DEGREE || n > MAX_DEGREE || (n & (n - 1)) !== 0) {
    throw new ConfigError(`seal-bfv: "polyModulusDegree" must be a power of two from ${MIN_DEGREE} to ${MAX_DEGREE}, got ${JSON.stringify(n)}`);
  }
  const bits = checkCoeffModulusBits(seal, n, options.coeffModulusBits);
  return { preset: 'custom', polyModulusDegree: n, plainModulus: plainModulus(seal, n, bits, options), coeffModulusBits: bits };
}

function checkCoeffModulusBits(seal: SealLibrary, n: number, raw: unknown): number[] {
  const minBits = Math.log2(2 * n) + 2;
  if (!Array.isArray(raw) || raw.length < 2 || raw.some((b) => typeof b !== 'number' || !Number.isInteger(b) || b < minBits || b > MAX_PRIME_BITS)) {
    throw new ConfigError(
      `seal-bfv: "coeffModulusBits" must list at least two prime sizes (data primes, then the special key-switching prime), ` +
        `each an integer from ${minBits} to ${MAX_PRIME_BITS} bits at n = ${n}; got ${JSON.stringify(raw)}`,
    );
  }
  const bits = raw as number[];
  const total = bits.reduce((a, b) => a + b, 0);
  const limit = seal.CoeffModulus.MaxBitCount(n, seal.SecurityLevel.tc128);
  if (total > limit) {
    throw new ConfigError(
      `seal-bfv: coefficient modulus of ${total} bits exceeds the 128-bit security limit of ${limit} bits at n = ${n} ` +
        `(SEAL tc128); use fewer or smaller primes, or a larger polyModulusDegree`,
    );
  }
  for (const size of new Set(bits)) {
    const wanted = bits.filter((b) => b === size).length;
    const found = batchingPrimes(seal, n, size, wanted);
    if (found < wanted) {
      throw new ConfigError(
        `seal-bfv: "coeffModulusBits" asks for ${wanted} primes of ${size} bits, but only ${found} primes of that size are ≡ 1 mod 2n = ${2 * n}; ` +
          'use larger or fewer primes',
      );
    }
  }
  const special = bits[bits.length - 1]!;
  if (bits.slice(0, -1).some((b) => b > special)) {
    throw new ConfigError(
      `seal-bfv: the special prime (last of "coeffModulusBits", ${special} bits) must be at least as large as every data prime, ` +
        'or key-switching noise grows by their ratio',
    );
  }
  return [...bits];
}

function plainModulus(seal: SealLibrary, n: number, coeffBits: readonly number[], options: ParameterOptions): number {
  if (options.plainModulus !== undefined && options.plainModulusBits !== undefined) {
    throw new ConfigError('seal-bfv: give "plainModulus" or "plainModulusBits", not both');
  }
  let p: number;
  if (options.plainModulusBits !== undefined) {
    const bits = options.plainModulusBits;
    if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < 17 || bits > 31) {
      throw new ConfigError(`seal-bfv: "plainModulusBits" must be an integer from 17 to 31, got ${JSON.stringify(bits)}`);
    }
    if (batchingPrimes(seal, n, bits, 1) === 0) throw new ConfigError(`seal-bfv: no prime of ${bits} bits is ≡ 1 mod 2n = ${2 * n}; choose another "plainModulusBits"`);
    const modulus = seal.PlainModulus.Batching(n, bits);
    p = Number(modulus.value);
    modulus.delete();
  } else {
    const raw = options.plainModulus ?? GAZELLE_PLAIN_MODULUS;
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 3 || raw >= 2 ** 32) {
      throw new ConfigError(`seal-bfv: "plainModulus" must be an integer prime below 2^32, got ${JSON.stringify(raw)}`);
    }
    p = raw;
  }
  if ((p - 1) % (2 * n) !== 0) {
    throw new ConfigError(`seal-bfv: plain modulus ${p} is not ≡ 1 mod 2n = ${2 * n}, so batching (SIMD slots) is impossible`);
  }
  const modulus = seal.Modulus(BigInt(p));
  const prime = modulus.isPrime;
  modulus.delete();
  if (!prime) throw new ConfigError(`seal-bfv: plain modulus ${p} is not prime`);
  if (Math.log2(p) + 1 >= Math.min(...coeffBits.slice(0, -1))) {
    throw new ConfigError(`seal-bfv: plain modulus ${p} is too large for the smallest data prime (${Math.min(...coeffBits.slice(0, -1))} bits)`);
  }
  return p;
}

/**
 * How many (up to `wanted`) primes of `bits` bits ≡ 1 mod 2n SEAL's prime search finds: like
 * `CoeffModulus::Create` (and `PlainModulus::Batching`), down from 2^bits in steps of 2n, with SEAL's
 * own primality test. Those throw when they find too few, and an exception corrupts node-seal
 * (native-fault.ts), so parameters are checked here first.
 */
function batchingPrimes(seal: SealLibrary, n: number, bits: number, wanted: number): number {
  const step = BigInt(2 * n);
  const floor = 1n << BigInt(bits - 1);
  let found = 0;
  for (let value = (1n << BigInt(bits)) - step + 1n; value > floor && found < wanted; value -= step) {
    const modulus = seal.Modulus(value);
    if (modulus.isPrime) found++;
    modulus.delete();
  }
  return found;
}
