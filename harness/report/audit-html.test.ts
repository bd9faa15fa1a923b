import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckResult } from '../checks/check.ts';
import type { AuditDocument } from '../audit-report.ts';
import { auditHtml, evidenceStrength } from './audit-html.ts';

function check(name: string, verdict: 'pass' | 'fail', pValue?: number): CheckResult {
  return {
    name,
    method: `${name}: how`,
    statistic: { name: 'T', value: 1.5 },
    ...(pValue !== undefined ? { pValue, alpha: 0.001 } : { margin: { name: 'margin bits', value: 12 } }),
    verdict,
    samples: '6 + 6 views',
    finding: verdict === 'fail' ? 'byte 17 of message 3 <depends>' : 'nothing',
    attempts: verdict === 'fail' ? 2 : 1,
  };
}

/** An audit document as report.json holds it (the shape harness/audit-report.ts writes). */
function document(checks: CheckResult[]): AuditDocument {
  const verdict = checks.every((c) => c.verdict === 'pass') ? 'pass' : 'fail';
  return {
    format: 'gazelle-audit-report/1',
    verdict,
    startedAt: '2026-12-05T10:00:00.000Z',
    seconds: 42,
    network: { name: 'D', source: 'models/D', architectureFingerprint: 'a'.repeat(64), modelFingerprint: null },
    configuration: { plugins: {} },
    plugins: [{ kind: 'masks', name: 'insecure-masks-zero', security: 'insecure-test-only', origin: 'builtin' }],
    versions: { 'gazelle-ts': '0.1.0' },
    parameters: { reveal: 'logits', seed: 's', seedDerivation: 'd', inferencesPerRun: 2, returnedCiphertextsPerInference: 9, garbledEvaluatorBitsPerInference: 100 },
    policy: { alpha: 0.001, correction: 'holm', retries: 1, statement: 'each check at α' } as AuditDocument['policy'],
    audits: [{ observer: 'client', secret: "the server's weights", experiment: 'inference', verdict, seconds: 10, samples: { runsPerClass: 6, simulatedPerAttempt: 6, attempts: 1 }, statisticalChecks: 2, falseAlarmBound: 0.002, checks }],
  };
}

describe('the audit page', () => {
  it('evidence on the −log10 scale: p = 1 is 0, p = 10^-5 is 5, p = 0 is drawn at the top', () => {
    assert.equal(evidenceStrength(1), 0);
    assert.ok(Math.abs(evidenceStrength(1e-5) - 5) < 1e-12);
    assert.equal(evidenceStrength(0), 300);
  });

  it('a failed check is marked in the verdict, its row and the summary; its finding is escaped', () => {
    const html = auditHtml(document([check('fixed-vs-random', 'fail', 1e-9), check('uniformity', 'pass', 0.4), check('margin', 'pass')]));
    assert.ok(html.includes('<title>Privacy audit of network D: FAIL</title>'));
    assert.ok(html.includes('Failed checks: client: fixed-vs-random.'));
    assert.ok(/<tr class="failed"><td><strong>fixed-vs-random<\/strong>/.test(html));
    assert.ok(html.includes('byte 17 of message 3 &lt;depends&gt;'));
    assert.ok(html.includes('(2 attempts)'));
    assert.ok(html.includes('<span class="fail">(insecure-test-only)</span>'));
    assert.ok(!/<script|<link|@import|url\(|src=|href=/i.test(html));
  });

  it('the evidence chart: a bar of −log10 p and one of −log10 α per statistical check, none for deterministic ones', () => {
    const html = auditHtml(document([check('fixed-vs-random', 'fail', 1e-9), check('uniformity', 'pass', 0.1), check('margin', 'pass')]));
    const values = [...html.matchAll(/<rect class="bar" data-series="(\d)" data-category="(\d)" data-value="([^"]+)"/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    assert.deepEqual(
      values.map(([s, c, v]) => [s, c, Number(v!.toFixed(6))]),
      [
        [0, 0, 9],
        [1, 0, 3],
        [0, 1, 1],
        [1, 1, 3],
      ],
    );
  });

  it('a margin that was not finite (null in report.json) reads as such', () => {
    const margin = { ...check('margin', 'pass'), margin: { name: 'margin bits', value: null as unknown as number } };
    assert.ok(auditHtml(document([margin])).includes('margin bits: not finite'));
  });
});
