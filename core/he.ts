/**
 * The additively homomorphic encryption backend (BFV with batching). Slot vectors are `Uint32Array`s
 * of values in [0, p), length `slotCount`; SEAL's batching arranges them as 2 rows of `rowSize`
 * (design §4): `rotateRows(k)` rotates both rows by k, `rotateColumns` swaps the rows.
 *
 * Every handle holds native memory: dispose it, or track it in a `DisposalScope`.
 */
import type { Disposable } from './dispose.ts';

export interface HeParameters {
  /** Preset name (`secure`, `fast`) or `custom`. */
  readonly preset: string;
  /** Ring dimension n. */
  readonly polyModulusDegree: number;
  /** Number of batching slots (= n). */
  readonly slotCount: number;
  /** Slots per row (= n/2); the rotation length. */
  readonly rowSize: number;
  /** Plaintext prime p, p ≡ 1 mod 2n. */
  readonly plainModulus: number;
  /** Bit sizes of the coefficient-modulus primes (the last one is the special key-switching prime). */
  readonly coeffModulusBits: readonly number[];
}

/** An encrypted slot vector. */
export interface HeCiphertext extends Disposable {
  readonly kind: 'ciphertext';
}

/** An encoded slot vector (for multiplication: already in NTT form at the ciphertext's level). */
export interface HePlaintext extends Disposable {
  readonly kind: 'plaintext';
}

/** The client's keys: secret key, public key, Galois keys for the requested steps. */
export interface HeClientKeys extends Disposable {
  readonly kind: 'client-keys';
  /** The rotation steps the Galois keys cover. */
  readonly galoisSteps: readonly number[];
}

/** What the server receives from the client: public key and Galois keys. */
export interface HeServerKeys extends Disposable {
  readonly kind: 'server-keys';
  readonly galoisSteps: readonly number[];
}

/** Result of preparing a ciphertext for return to the client (design §5). */
export interface FinishedCiphertext {
  /** Serialised ciphertext, noise-flooded and mod-switched to the last level. */
  readonly bytes: Uint8Array;
  /** Achieved statistical margin in bits: log2(flooding noise / bound on the weight-dependent noise). */
  readonly marginBits: number;
}

/**
 * An HE backend plugin. Its options include `plainModulus`: the engine sets it to the plaintext
 * prime of the model being served (core/inference/he-config.ts) unless the configuration chose one.
 */
export interface HeBackend extends Disposable {
  readonly name: string;
  readonly params: HeParameters;

  // Client side -------------------------------------------------------------------------------
  /** Fresh keys, with Galois keys for exactly `galoisSteps` (row rotations; 0 means the column swap). */
  generateKeys(galoisSteps: readonly number[]): HeClientKeys;
  /** Serialise what the server needs (public key, Galois keys). */
  exportServerKeys(keys: HeClientKeys): Uint8Array;
  /** Seeded symmetric encryption, serialised (about half the bytes of a public-key encryption). */
  encryptSymmetric(values: Uint32Array, keys: HeClientKeys): Uint8Array;
  /** Decrypt and decode to slot values in [0, p). */
  decrypt(ciphertext: HeCiphertext, keys: HeClientKeys): Uint32Array;
  /** Remaining noise budget in bits (diagnostics and tests). */
  noiseBudget(ciphertext: HeCiphertext, keys: HeClientKeys): number;
  /**
   * Diagnostics (optional): the decryption noise of every coefficient, as invariant noise ν_i
   * (decryption is correct while all |ν_i| < 1/2), to the resolution the backend can reach. The
   * verification harness tests that its distribution does not depend on the server's weights (§5, §7).
   */
  decryptionNoise?(ciphertext: HeCiphertext, keys: HeClientKeys): Float64Array;
  /** Diagnostics (optional): native objects alive in this thread, so tests can prove nothing leaks. */
  liveObjects?(): number;

  // Server side -------------------------------------------------------------------------------
  /** Deserialise and validate the client's keys; garbage is a `ProtocolError`. */
  importServerKeys(bytes: Uint8Array): HeServerKeys;
  /** Public-key encryption (used by the server for fresh encryptions, and as the upload baseline). */
  encryptPublic(values: Uint32Array, keys: HeServerKeys): HeCiphertext;
  /** Encode for addition. */
  encode(values: Uint32Array): HePlaintext;
  /** Encode for multiplication: transformed to NTT form once; callers cache it (weights are fixed). */
  encodeForMultiply(values: Uint32Array): HePlaintext;
  add(a: HeCiphertext, b: HeCiphertext): HeCiphertext;
  /** a += b, no new ciphertext. */
  addInPlace(a: HeCiphertext, b: HeCiphertext): void;
  addPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext;
  subPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext;
  mulPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext;
  /** Rotate both rows left by `steps` (negative: right). Needs the Galois key for `steps`. */
  rotateRows(a: HeCiphertext, steps: number, keys: HeServerKeys): HeCiphertext;
  /** Swap the two rows. Needs the Galois key for step 0. */
  rotateColumns(a: HeCiphertext, keys: HeServerKeys): HeCiphertext;
  /**
   * Flood the noise, mod-switch to the last level and serialise, for return to the client.
   * `minMarginBits` is the caller's requirement for this ciphertext (an inference returning R
   * ciphertexts needs 40 + log2 R bits each); the backend applies the larger of it and its own
   * minimum, and throws a `SecurityError` below that unless it is configured to accept less.
   */
  finish(a: HeCiphertext, keys: HeServerKeys, minMarginBits?: number): FinishedCiphertext;

  // Both sides --------------------------------------------------------------------------------
  serialize(ciphertext: HeCiphertext): Uint8Array;
  /** Deserialise and validate (parameters, sizes); garbage is a `ProtocolError`. */
  deserialize(bytes: Uint8Array): HeCiphertext;
}
