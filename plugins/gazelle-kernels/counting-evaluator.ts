/**
 * The homomorphic operations a kernel performs, each call counted as it is made: the counts a
 * prepared layer reports are measured at the call sites, never recomputed from formulas.
 */
import type { DisposalScope } from '../../core/dispose.ts';
import type { HeBackend, HeCiphertext, HePlaintext, HeServerKeys } from '../../core/he.ts';
import type { OpCounts } from '../../core/linear.ts';

export function zeroCounts(): OpCounts {
  return { rotations: 0, plainMultiplications: 0, multiplicands: 0, additions: 0 };
}

export class CountingEvaluator {
  readonly counts = zeroCounts();
  readonly #multiplied = new WeakSet<HeCiphertext>();

  constructor(
    private readonly backend: HeBackend,
    private readonly keys: HeServerKeys,
  ) {}

  /** Rotate both rows left by `step` (never 0: the identity needs no rotation). */
  rotateRows(a: HeCiphertext, step: number): HeCiphertext {
    this.counts.rotations++;
    return this.backend.rotateRows(a, step, this.keys);
  }

  /** Swap the two rows (slot lanes). */
  rotateColumns(a: HeCiphertext): HeCiphertext {
    this.counts.rotations++;
    return this.backend.rotateColumns(a, this.keys);
  }

  /** a += b. */
  addInPlace(a: HeCiphertext, b: HeCiphertext): void {
    this.counts.additions++;
    this.backend.addInPlace(a, b);
  }

  addPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext {
    this.counts.additions++;
    return this.backend.addPlain(a, b);
  }

  mulPlain(a: HeCiphertext, b: HePlaintext): HeCiphertext {
    this.counts.plainMultiplications++;
    if (!this.#multiplied.has(a)) {
      this.#multiplied.add(a);
      this.counts.multiplicands++;
    }
    return this.backend.mulPlain(a, b);
  }

  /**
   * acc + a·b: the first product becomes the accumulator (tracked in `scope`), later ones are
   * added in place and released at once, so a layer never holds more than its accumulators.
   */
  multiplyAccumulate(acc: HeCiphertext | undefined, a: HeCiphertext, b: HePlaintext, scope: DisposalScope): HeCiphertext {
    if (acc === undefined) return scope.track(this.mulPlain(a, b));
    const product = this.mulPlain(a, b);
    try {
      this.addInPlace(acc, product);
    } finally {
      product.dispose();
    }
    return acc;
  }

  /** acc += rotation of `a` (the rotated copy is released at once). */
  addRotated(acc: HeCiphertext, a: HeCiphertext, step: number | 'swap'): void {
    const rotated = step === 'swap' ? this.rotateColumns(a) : this.rotateRows(a, step);
    try {
      this.addInPlace(acc, rotated);
    } finally {
      rotated.dispose();
    }
  }
}
