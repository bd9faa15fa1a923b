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

/** A byte string of the other party's secret that must never appear in a view (≥ 16 bytes). */
export interface Canary {
  readonly name: string;
  readonly bytes: Uint8Array;
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
