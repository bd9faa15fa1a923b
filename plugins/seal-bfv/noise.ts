/**
 * Worst-case noise bounds for BFV as SEAL 4.1 implements it, and the noise-flooding margin (design §5).
 *
 * Noise is the "absolute invariant noise" A of a ciphertext at modulus Q: c0 + c1·s ≡ (Q/p)·m + A
 * (mod Q), over the reals; decryption is correct while ‖A‖∞ < Q/(2p). Every bound is an ℓ∞ bound
 * that holds for every key, every randomness and every weight, and depends only on public data (the
 * parameters and the sequence of operations, fixed by the public architecture), so the flooding
 * magnitude chosen from it reveals nothing about the weights. Ternary secret: ‖s‖₁ ≤ n.
 *
 * Flooding (Gentry's smudging, as in Cheetah/CrypTFlow2): add e ← U[−2^f, 2^f) to c0 and a fresh
 * public-key encryption of zero (which re-randomises c1) at the top level, then mod-switch down. Per
 * coefficient, SD(A + e, e) ≤ ‖A‖∞ / 2^(f+1); over the n coefficients (union bound) the statistical
 * distance from a simulated ciphertext is ≤ n·‖A‖∞ / 2^(f+1), so the margin in bits is
 * `f + 1 − log2(n·‖A‖∞)`, where A includes the re-randomising encryption's own noise (it must be
 * hidden too, so that its randomness u stays secret and c1 stays pseudorandom under RLWE).
 */

/** SEAL samples errors from a centred binomial distribution with σ = 3.2, support [−21, 21] (≥ the 6σ clip of its Gaussian option). */
export const ERROR_BOUND = 21;

export interface NoiseParameters {
  readonly n: number;
  readonly p: number;
  /** Data primes q_0 … q_{L−1}, in SEAL's order (q_0 remains at the last level). */
  readonly dataModuli: readonly bigint[];
  /** The special prime P used only for key switching. */
  readonly specialModulus: bigint;
}

/** The noise model of one parameter set. All bounds are absolute noise at the top (first data) level. */
export class NoiseModel {
  readonly n: number;
  readonly p: number;
  /** log2 of the top-level modulus Q. */
  readonly log2Q: number;
  /** log2 of the last level's modulus q_0. */
  readonly log2LastModulus: number;
  readonly #modSwitches: number;
  /** Fresh symmetric encryption (SEAL: directly at the top level): ‖e‖∞ + 1/2 rounding of (Q/p)·m, rounded up. */
  readonly symmetric: number;
  /**
   * Fresh public-key encryption. SEAL encrypts at the key level Q·P (‖−e_pk·u + e1 + e2·s‖∞ ≤ B(2n+1)),
   * divides by P with rounding (adds ≤ (1 + ‖s‖₁)/2), then adds the scaled message (≤ 1).
   */
  readonly publicKey: number;
  /**
   * Key switching (rotations): Σ_j [c]_{q_j}·e_j / P over the L data primes, ‖·‖∞ ≤ L·n·q_max·B/P,
   * plus the rounding of the division by P, ≤ (1 + n)/2.
   */
  readonly keySwitch: number;
  /** Factor of a plaintext multiplication: ‖w‖₁ ≤ n·(p−1)/2 (SEAL lifts plaintext coefficients to (−p/2, p/2]). */
  readonly plainProductFactor: number;
  /** Largest top-level noise that still decrypts after mod-switching to the last level. */
  readonly capacity: number;
  /** Flooding noise is uniform on [−2^floodBits, 2^floodBits). */
  readonly floodBits: number;

  constructor(params: NoiseParameters) {
    const { n, p, dataModuli, specialModulus } = params;
    const q = dataModuli.map(Number);
    const P = Number(specialModulus);
    const L = q.length;
    this.n = n;
    this.p = p;
    this.log2Q = q.reduce((s, qi) => s + Math.log2(qi), 0);
    this.log2LastModulus = Math.log2(q[0]!);
    this.#modSwitches = L - 1;
    this.symmetric = ERROR_BOUND + 1;
    this.publicKey = (ERROR_BOUND * (2 * n + 1)) / P + (n + 1) / 2 + 1;
    this.keySwitch = (L * n * Math.max(...q) * ERROR_BOUND) / P + (n + 1) / 2;
    this.plainProductFactor = (n * (p - 1)) / 2;
    // Each of the L−1 mod switches adds ≤ (1 + ‖s‖₁)/2 at its level; the last level must keep
    // (q_0/Q)·A + (L−1)(n+1)/2 < q_0/(2p), i.e. A < Q/(2p) − (Q/q_0)·(L−1)(n+1)/2.
    this.capacity = 2 ** (this.log2Q - 1 - Math.log2(p)) - 2 ** (this.log2Q - this.log2LastModulus) * this.#switchRounding();
    // 2^f ≤ capacity/4: flooding takes a quarter of the room, so any noise with a non-negative margin
    // (‖A‖∞ ≤ 2^(f+1)/n) fits beside it with room to spare.
    this.floodBits = Math.floor(Math.log2(this.capacity)) - 2;
  }

  /** Bound after adding two ciphertexts. */
  add(a: number, b: number): number {
    return a + b;
  }

  /** Bound after adding or subtracting a plaintext: SEAL scales it by Q/p with rounding (≤ 1). */
  addPlain(a: number): number {
    return a + 1;
  }

  /** Bound after multiplying by any plaintext (the public worst case, whatever the weights). */
  mulPlain(a: number): number {
    return a * this.plainProductFactor;
  }

  /** Bound after a Galois automorphism (permutes coefficients up to sign) and key switching. */
  rotate(a: number): number {
    return a + this.keySwitch;
  }

  /** Noise a returned ciphertext must hide: its own plus the re-randomising encryption of zero's. */
  hiddenNoise(bound: number): number {
    return bound + this.publicKey;
  }

  /** Statistical margin in bits of flooding a ciphertext with noise bound `bound` (may be ≤ 0: no guarantee). */
  marginBits(bound: number): number {
    return this.floodBits + 1 - Math.log2(this.n * this.hiddenNoise(bound));
  }

  /**
   * Bound on the output of the reference layer used to vet a parameter set: every output slot sums
   * `fanIn` products of a rotated fresh upload with weights (GAZELLE's hybrid matvec and both conv
   * variants: at most fanIn products, then at most n rotate-and-sum key switches), plus the server's
   * share added and the mask subtracted. Default fan-in: a whole ciphertext's n slots.
   */
  referenceLayerBound(fanIn = this.n): number {
    const product = this.mulPlain(this.rotate(this.publicKey));
    return this.addPlain(this.addPlain(fanIn * product + this.n * this.keySwitch));
  }

  /**
   * Bound at the last level on a ciphertext `finish` returns: (q_0/Q)·(A + fresh zero + 2^f) plus the
   * mod-switch rounding; below q_0/(2p) it decrypts correctly.
   */
  finishedBound(bound: number): number {
    return 2 ** (this.log2LastModulus - this.log2Q) * (this.hiddenNoise(bound) + 2 ** this.floodBits) + this.#switchRounding();
  }

  /** Rounding of the L−1 mod switches to the last level, each ≤ (1 + ‖s‖₁)/2 at its level. */
  #switchRounding(): number {
    return (this.#modSwitches * (this.n + 1)) / 2;
  }

  /** Invariant noise ν = p·A/Q of an absolute bound (decryption needs ν < 1/2). */
  invariant(bound: number): number {
    return 2 ** (Math.log2(bound) + Math.log2(this.p) - this.log2Q);
  }
}
