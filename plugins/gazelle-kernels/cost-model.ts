/** Relative operation costs, for choosing between ways of computing the same layer. */
import type { OpCounts } from '../../core/linear.ts';

/** Relative cost of one operation of each kind (any unit; only ratios matter). */
export interface CostModel {
  readonly rotation: number;
  readonly plainMultiplication: number;
  /** Extra cost of a ciphertext's first product (its forward NTT, in an NTT-caching backend). */
  readonly multiplicand: number;
  readonly addition: number;
}

/**
 * Ratios measured on seal-bfv at n = 8192 (`npx gazelle bench he`): a rotation (key switch) ≈ 5 ms,
 * a forward NTT ≈ 1.5 ms, a pointwise product ≈ 0.6 ms, an addition ≈ 0.1 ms.
 */
export const DEFAULT_COST_MODEL: CostModel = { rotation: 1, plainMultiplication: 0.12, multiplicand: 0.3, addition: 0.02 };

export function countsCost(counts: OpCounts, model: CostModel): number {
  return (
    counts.rotations * model.rotation +
    counts.plainMultiplications * model.plainMultiplication +
    counts.multiplicands * model.multiplicand +
    counts.additions * model.addition
  );
}
