/**
 * The false-alarm rate in practice (issue 13): run the clean OT and garbling audits `runs` times
 * with independent seeds and count failing checks. The policy bounds a clean suite's failure
 * probability by K·α^(retries+1) (K statistical checks); this shows what it is on real runs, and
 * the raw family p-values (uniform-ish under the null) that a retry would have needed.
 * Run: node --import tsx scripts/privacy-false-alarms.ts [runs=20]
 */
import { parseConfig } from '../core/config.ts';
import { wire } from '../core/container.ts';
import { builtinRegistry } from '../plugins/index.ts';
import { formatResult, runAudit } from '../harness/audit.ts';
import { collectEvidence } from '../harness/evidence.ts';
import { evaluatorExperiment } from '../harness/experiments/garbling.ts';
import { otSenderExperiment } from '../harness/experiments/ot.ts';
import { evaluatorChecks, otSenderChecks } from '../harness/suites.ts';

const runs = Number(process.argv[2] ?? 20);
const wiring = await wire(parseConfig({ profile: 'production' }), builtinRegistry(), ['transport', 'ot-extension', 'garbling']);
let failures = 0;
let firstAttemptFailures = 0;
let bound = 0;
try {
  const suites = [
    { experiment: otSenderExperiment({ transport: wiring.get('transport'), ot: wiring.get('ot-extension') }), checks: otSenderChecks, perClass: 20 },
    { experiment: evaluatorExperiment({ transport: wiring.get('transport'), ot: wiring.get('ot-extension'), scheme: wiring.get('garbling') }), checks: evaluatorChecks, perClass: 50 },
  ];
  for (let run = 0; run < runs; run++) {
    for (const s of suites) {
      const report = await runAudit(s.checks(), (attempt) => collectEvidence(s.experiment as never, { perClass: s.perClass, seed: `false-alarms/${run}`, attempt }));
      bound = Math.max(bound, report.falseAlarmBound);
      firstAttemptFailures += report.results.filter((r) => r.attempts > 1).length;
      for (const r of report.results.filter((x) => x.verdict === 'fail')) {
        failures++;
        console.log(`run ${run} ${s.experiment.name}: ${formatResult(r)}`);
      }
    }
  }
} finally {
  await wiring.dispose();
}
console.log(JSON.stringify({ runs, suites: 2, failingChecks: failures, retriedChecks: firstAttemptFailures, falseAlarmBoundPerSuite: bound }));
