/**
 * Two-class distribution checks (design §7b, §10): fixed-vs-random leakage assessment (TVLA /
 * ISO 17825, dudect) — the observer's views under a fixed secret of the other party against views
 * under random ones, with the observer's own input and randomness held fixed — and real-vs-
 * simulated, the same comparison between real views and a simulator's. If a feature's distribution
 * differs between the classes, the view depends on what it must not.
 *
 * Two tests: `welch` compares every position of the feature separately (TVLA's sample points),
 * with the policy's correction across positions; `ks` pools every value of a class (for features
 * whose positions are exchangeable, like the decryption noise of every coefficient).
 */
import { ksDetectableEffect, welchDetectableEffect } from '../stats/detectable-effect.ts';
import { ksTwoSample } from '../stats/ks.ts';
import { correct } from '../stats/multiple-testing.ts';
import { welchTTest } from '../stats/welch.ts';
import { featureColumns, pooledValues, type Feature } from '../features.ts';
import type { View } from '../view.ts';
import type { AuditPolicy, Check, CheckResult, Evidence } from './check.ts';

export type Comparison = 'fixed-vs-random' | 'real-vs-simulated';

export interface TwoClassOptions {
  readonly name: string;
  readonly feature: Feature;
  readonly test: 'welch' | 'ks';
  readonly comparison?: Comparison;
}

function classesOf(evidence: Evidence, comparison: Comparison): [readonly View[], readonly View[], string, string] {
  return comparison === 'fixed-vs-random'
    ? [evidence.fixed, evidence.random, 'fixed', 'random']
    : [evidence.random, evidence.simulated, 'real', 'simulated'];
}

export function twoClassCheck(options: TwoClassOptions): Check {
  const comparison = options.comparison ?? 'fixed-vs-random';
  return {
    name: options.name,
    statistical: true,
    run(evidence, policy) {
      const [a, b, nameA, nameB] = classesOf(evidence, comparison);
      if (a.length < 2 || b.length < 2) throw new RangeError(`${options.name}: needs at least 2 ${nameA} and 2 ${nameB} views, got ${a.length} and ${b.length}`);
      const samples = `${a.length} ${nameA} and ${b.length} ${nameB} views`;
      return options.test === 'welch'
        ? positionwise(options, comparison, a, b, samples, policy)
        : pooled(options, comparison, a, b, samples, policy);
    },
  };
}

function positionwise(options: TwoClassOptions, comparison: Comparison, a: readonly View[], b: readonly View[], samples: string, policy: AuditPolicy): CheckResult {
  const columns = featureColumns([...a, ...b], options.feature);
  const method = `${comparison}, Welch t at every position of "${options.feature.name}", ${policy.correction} correction`;
  if ('lengthMismatch' in columns) {
    // A feature whose length differs between views is itself a data-dependent size.
    return { name: options.name, method, statistic: { name: 'feature length differs', value: 1 }, pValue: 0, alpha: policy.alpha, verdict: 'fail', samples, finding: columns.lengthMismatch, attempts: 1 };
  }
  const m = columns.columns.length;
  if (m === 0) throw new RangeError(`${options.name}: the feature "${options.feature.name}" is empty`);
  const t = new Float64Array(m);
  const p = new Float64Array(m);
  columns.columns.forEach((column, j) => {
    const r = welchTTest(column.subarray(0, a.length), column.subarray(a.length));
    t[j] = r.statistic;
    p[j] = r.pValue;
  });
  const corrected = correct(p, policy.correction);
  const at = corrected.mostSignificant;
  return {
    name: options.name,
    method,
    statistic: { name: 'max |t|', value: Math.abs(t[at]!) },
    pValue: corrected.familyPValue,
    alpha: policy.alpha,
    verdict: corrected.familyPValue <= policy.alpha ? 'fail' : 'pass',
    // Per position, the test runs at α/m in the worst case (the first step of Holm, or Bonferroni).
    detectableEffect: welchDetectableEffect([a.length, b.length], policy.alpha / m, policy.power),
    samples: `${samples}, ${m} positions`,
    finding: `most significant at position ${at}: t = ${t[at]!.toPrecision(4)}, raw p = ${p[at]!.toExponential(2)}`,
    attempts: 1,
  };
}

function pooled(options: TwoClassOptions, comparison: Comparison, a: readonly View[], b: readonly View[], samples: string, policy: AuditPolicy): CheckResult {
  const x = pooledValues(a, options.feature);
  const y = pooledValues(b, options.feature);
  const r = ksTwoSample(x, y);
  return {
    name: options.name,
    method: `${comparison}, two-sample Kolmogorov–Smirnov on every value of "${options.feature.name}" pooled per class`,
    statistic: { name: 'KS D', value: r.statistic },
    pValue: r.pValue,
    alpha: policy.alpha,
    verdict: r.pValue <= policy.alpha ? 'fail' : 'pass',
    detectableEffect: ksDetectableEffect([x.length, y.length], policy.alpha, policy.power),
    samples: `${samples}, ${x.length} and ${y.length} values`,
    finding: `D = ${r.statistic.toPrecision(4)}, p = ${r.pValue.toExponential(2)}`,
    attempts: 1,
  };
}
