/**
 * Uniformity checks (design §7b): what a party receives should look uniform where the protocol
 * says it is — OT and garbled-circuit messages are pseudorandom bytes, shares of the additive
 * sharing are uniform mod p (a mask sampled with `% p` on raw bytes is not). Chi-square goodness of
 * fit on every value of the feature, pooled over all real views (both classes).
 */
import { chiSquareDetectableEffect } from '../stats/detectable-effect.ts';
import { uniformBytesTest, uniformModPTest, type ChiSquareResult } from '../stats/chi-square.ts';
import { describeSelector, pooledValues, selectedBytes, type Feature, type MessageSelector } from '../features.ts';
import type { AuditPolicy, Check, CheckResult, Evidence } from './check.ts';

function result(name: string, method: string, r: ChiSquareResult, views: number, policy: AuditPolicy): CheckResult {
  return {
    name,
    method,
    statistic: { name: 'χ²', value: r.statistic },
    pValue: r.pValue,
    alpha: policy.alpha,
    verdict: r.pValue <= policy.alpha ? 'fail' : 'pass',
    detectableEffect: chiSquareDetectableEffect(r.bins, r.count, policy.alpha, policy.power),
    samples: `${r.count} values from ${views} views, ${r.bins} bins`,
    finding: `χ²(${r.df}) = ${r.statistic.toFixed(1)}, p = ${r.pValue.toExponential(2)}`,
    attempts: 1,
  };
}

function realViews(evidence: Evidence) {
  return [...evidence.fixed, ...evidence.random];
}

/** The bytes of the selected messages are uniform in [0, 256). */
export function uniformBytesCheck(name: string, selector: MessageSelector): Check {
  return {
    name,
    statistical: true,
    run(evidence, policy) {
      const views = realViews(evidence);
      const bytes = new Uint8Array(pooledValues(views, { name: describeSelector(selector), extract: (v) => selectedBytes(v, selector) }));
      return result(name, `chi-square goodness of fit, bytes of ${describeSelector(selector)} uniform in [0, 256)`, uniformBytesTest(bytes), views.length, policy);
    },
  };
}

/** The values of `feature` (shares) are uniform in [0, p). */
export function uniformModPCheck(name: string, feature: Feature, p: number): Check {
  return {
    name,
    statistical: true,
    run(evidence, policy) {
      const views = realViews(evidence);
      return result(name, `chi-square goodness of fit, "${feature.name}" uniform in [0, ${p})`, uniformModPTest(pooledValues(views, feature), p), views.length, policy);
    },
  };
}
