/**
 * Running a set of privacy checks on collected evidence under an `AuditPolicy`: every check on the
 * first collection; each failing statistical check again on fresh collections, up to
 * `policy.retries` times, failing only if every attempt fails (see `AuditPolicy` for the resulting
 * false-alarm rate). This is the entry point the engine-level audit calls with whole-inference
 * views.
 */
import { checkPolicy, DEFAULT_POLICY, suiteFalseAlarmBound, type AuditPolicy, type Check, type CheckResult, type Evidence, type Verdict } from './checks/check.ts';

export interface AuditReport {
  readonly policy: AuditPolicy;
  readonly results: readonly CheckResult[];
  /** Statistical checks in the suite (K of the false-alarm bound). */
  readonly statisticalChecks: number;
  /** Upper bound on the probability that this suite fails on a clean system. */
  readonly falseAlarmBound: number;
  readonly verdict: Verdict;
}

/** `collect(attempt)` gathers independent evidence for each attempt (fresh seeds for attempt > 0). */
export async function runAudit(checks: readonly Check[], collect: (attempt: number) => Promise<Evidence>, policy: AuditPolicy = DEFAULT_POLICY): Promise<AuditReport> {
  checkPolicy(policy);
  const names = new Set<string>();
  for (const c of checks) {
    if (names.has(c.name)) throw new RangeError(`runAudit: two checks are named "${c.name}"`);
    names.add(c.name);
  }
  const first = await collect(0);
  const results = checks.map((c) => c.run(first, policy));
  for (let attempt = 1; attempt <= policy.retries; attempt++) {
    const failing = checks.map((c, i) => [c, i] as const).filter(([c, i]) => c.statistical && results[i]!.verdict === 'fail');
    if (failing.length === 0) break;
    const evidence = await collect(attempt);
    for (const [c, i] of failing) {
      const again = c.run(evidence, policy);
      // A pass on fresh evidence clears the chance failure; a second failure is reported as the latest.
      results[i] = { ...again, attempts: attempt + 1 };
    }
  }
  const statisticalChecks = checks.filter((c) => c.statistical).length;
  return {
    policy,
    results,
    statisticalChecks,
    falseAlarmBound: suiteFalseAlarmBound(policy, statisticalChecks),
    verdict: results.every((r) => r.verdict === 'pass') ? 'pass' : 'fail',
  };
}

/** One line per check, for logs and the feature's output: name, verdict, statistic, p-value or margin, detectable effect. */
export function formatResult(r: CheckResult): string {
  const evidence = r.pValue !== undefined ? `p = ${r.pValue.toExponential(2)} (α = ${r.alpha})` : `${r.margin!.name}: ${r.margin!.value.toExponential(2)}`;
  const effect = r.detectableEffect ? `; detectable: ${r.detectableEffect.size.toPrecision(3)} ${r.detectableEffect.unit} at power ${r.detectableEffect.power}` : '';
  return `${r.verdict.toUpperCase()} ${r.name}: ${r.statistic.name} = ${r.statistic.value.toPrecision(4)}, ${evidence}${effect}; ${r.samples}; ${r.finding}${r.attempts > 1 ? `; attempts ${r.attempts}` : ''}`;
}
