/**
 * What a privacy check is and what it reports (design §7): a name, a statistic, a p-value (for
 * statistical checks) or a margin (for deterministic ones), and a verdict. Checks read `Evidence`:
 * views of one observing party collected by fixed-vs-random leakage assessment (TVLA / ISO 17825,
 * dudect) and, where a simulator exists, simulated views.
 */
import type { Party } from '../../core/channel.ts';
import { openUnitInterval, nonNegativeInteger } from '../arguments.ts';
import type { DetectableEffect } from '../stats/detectable-effect.ts';
import type { Correction } from '../stats/multiple-testing.ts';
import type { View } from '../view.ts';

/** A byte string of the other party's secret that must never appear in a view (at least one window long). */
export interface Canary {
  readonly name: string;
  readonly bytes: Uint8Array;
  /**
   * Bytes per searched window (default 16). Low-entropy secrets (small integer weights as int32)
   * need longer windows, so that a chance match in structured bytes (SEAL headers) stays unlikely.
   */
  readonly window?: number;
  /** Entropy of one window in bits, for the chance-match bound (default 8 per byte: uniform bytes). */
  readonly bits?: number;
  /**
   * Windows start every `stride` bytes of the secret (default 1). Arrays of 32-bit values use 4: a
   * leaked stretch of at least window + 3 bytes still contains a whole window.
   */
  readonly stride?: number;
}

/** What the server reported of the ciphertexts it returned in one run, and what the configuration requires of each. */
export interface MarginRecord {
  /** The smallest circuit-privacy (flooding) margin of any returned ciphertext, in bits. */
  readonly minBits: number;
  /** The margin each must have: 40 + log2 of the ciphertexts returned per inference (design §5). */
  readonly requiredBits: number;
  /** Ciphertexts returned in the run. */
  readonly ciphertexts: number;
}

export interface Evidence {
  readonly observer: Party;
  /** The observer's views with the other party's secret fixed (runs interleaved with `random`). */
  readonly fixed: readonly View[];
  /** The observer's views with a fresh random secret of the other party each run. */
  readonly random: readonly View[];
  /** `simulated[i]` is produced from the observer's input and output in `random[i]` only (may be empty). */
  readonly simulated: readonly View[];
  /** `secrets[i]`: the other party's secrets in run `random[i]`, as canaries. */
  readonly secrets: readonly (readonly Canary[])[];
  /** Whole inferences: the returned ciphertexts' margins of every run (both classes). */
  readonly margins?: readonly MarginRecord[];
}

export type Verdict = 'pass' | 'fail';

export interface CheckResult {
  readonly name: string;
  /** What was computed: test, feature, correction. */
  readonly method: string;
  readonly statistic: { readonly name: string; readonly value: number };
  /** Statistical checks: the family-wise p-value after the correction (fail iff ≤ α). */
  readonly pValue?: number;
  readonly alpha?: number;
  /** Deterministic checks: the quantity that decides, and the bound on a chance failure. */
  readonly margin?: { readonly name: string; readonly value: number };
  readonly verdict: Verdict;
  /** The smallest effect the test detects with the policy's power (statistical checks). */
  readonly detectableEffect?: DetectableEffect;
  /** Sample sizes, in words. */
  readonly samples: string;
  /** Where the evidence is (most significant position, first mismatch, canary hit), in words. */
  readonly finding: string;
  /** Evidence collections it ran on (1 + retries used). */
  readonly attempts: number;
}

export interface Check {
  readonly name: string;
  /** Statistical checks fail by chance with probability ≤ α and are retried on fresh evidence; deterministic ones are not. */
  readonly statistical: boolean;
  run(evidence: Evidence, policy: AuditPolicy): CheckResult;
}

/**
 * The audit's error control. Each statistical check tests a family of features (every byte
 * position, say) and controls the family-wise false-alarm probability at `alpha` with
 * `correction`. A failing statistical check is re-run `retries` times on freshly collected
 * evidence and fails only if every attempt fails, so a clean check fails with probability
 * ≤ alpha^(retries+1); over K statistical checks the suite's false-alarm rate is at most
 * K·alpha^(retries+1) (union bound; deterministic checks add nothing).
 */
export interface AuditPolicy {
  readonly alpha: number;
  readonly correction: Correction;
  readonly retries: number;
  /** Power at which detectable effects are stated. */
  readonly power: number;
}

export const DEFAULT_POLICY: AuditPolicy = { alpha: 1e-3, correction: 'holm', retries: 1, power: 0.9 };

export function checkPolicy(policy: AuditPolicy): AuditPolicy {
  openUnitInterval(policy.alpha, 'audit policy: alpha');
  openUnitInterval(policy.power, 'audit policy: power');
  nonNegativeInteger(policy.retries, 'audit policy: retries');
  if (policy.correction !== 'holm' && policy.correction !== 'bonferroni') throw new RangeError(`audit policy: unknown correction ${String(policy.correction)}`);
  return policy;
}

/** Upper bound on the probability that a clean suite of `statisticalChecks` checks fails: 1 − (1 − α^(r+1))^K ≤ K·α^(r+1). */
export function suiteFalseAlarmBound(policy: AuditPolicy, statisticalChecks: number): number {
  nonNegativeInteger(statisticalChecks, 'suiteFalseAlarmBound: number of checks');
  const perCheck = policy.alpha ** (policy.retries + 1);
  return -Math.expm1(statisticalChecks * Math.log1p(-perCheck));
}
