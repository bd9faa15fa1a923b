/**
 * The false-alarm rate in practice (issue 13): run clean audits `runs` times with independent seeds
 * and count failing checks. The policy bounds a clean suite's failure probability by K·α^(retries+1)
 * (K statistical checks); this shows what it is on real runs, and how often a check needed its retry.
 * Not part of CI (whole-inference audits take minutes each).
 *
 *   node --import tsx scripts/privacy-false-alarms.ts [--runs 20] [--suites inference|primitives|all] [--network A] [--out FILE]
 *
 * `inference`: `gazelle audit`'s defaults (both observers, 3 sessions per class, 2 inferences per
 * session) on the network with the secure default plugins; `primitives`: the OT sender's and the
 * evaluator's building-block suites. Each audit's result is appended to FILE as it finishes (default
 * reports/false-alarms-<time>.json; reports/ survives `npm test`, which empties .tmp).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../core/config.ts';
import { wire } from '../core/container.ts';
import { loadModel } from '../core/model/model-store.ts';
import { builtinRegistry } from '../plugins/index.ts';
import { formatResult, runAudit, type AuditReport } from '../harness/audit.ts';
import { collectEvidence } from '../harness/evidence.ts';
import { evaluatorExperiment } from '../harness/experiments/garbling.ts';
import { closeInferencePools, startInferencePools } from '../harness/experiments/inference.ts';
import { otSenderExperiment } from '../harness/experiments/ot.ts';
import { auditInference } from '../harness/inference-audit.ts';
import { evaluatorChecks, otSenderChecks } from '../harness/suites.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, suites: { type: 'string', default: 'inference' }, network: { type: 'string', default: 'A' }, out: { type: 'string' } },
});
const runs = Number(values.runs);
const suites = values.suites!;
if (!Number.isSafeInteger(runs) || runs < 1 || !['inference', 'primitives', 'all'].includes(suites)) throw new Error('usage: --runs N --suites inference|primitives|all');
const out = values.out ?? `reports/false-alarms-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
mkdirSync(dirname(out), { recursive: true });

const registry = builtinRegistry();
const tally = { audits: 0, failedAudits: 0, failingChecks: 0, retriedChecks: 0, statisticalChecks: 0, worstBound: 0 };

function record(run: number, suite: string, report: AuditReport, seconds: number): void {
  const failing = report.results.filter((r) => r.verdict === 'fail');
  const retried = report.results.filter((r) => r.attempts > 1);
  tally.audits++;
  tally.failedAudits += failing.length > 0 ? 1 : 0;
  tally.failingChecks += failing.length;
  tally.retriedChecks += retried.length;
  tally.statisticalChecks = Math.max(tally.statisticalChecks, report.statisticalChecks);
  tally.worstBound = Math.max(tally.worstBound, report.falseAlarmBound);
  for (const r of [...failing, ...retried.filter((r) => r.verdict === 'pass')]) console.log(`run ${run} ${suite}: ${formatResult(r)}`);
  const line = { run, suite, verdict: report.verdict, seconds, falseAlarmBound: report.falseAlarmBound, checks: report.results.map((r) => ({ name: r.name, verdict: r.verdict, pValue: r.pValue ?? null, attempts: r.attempts })) };
  appendFileSync(out, `${JSON.stringify(line)}\n`);
  console.log(`run ${run} ${suite}: ${report.verdict} (${seconds.toFixed(0)} s)`);
}

if (suites !== 'inference') {
  const wiring = await wire(parseConfig({ profile: 'production' }), registry, ['transport', 'ot-extension', 'garbling']);
  try {
    const primitive = [
      { experiment: otSenderExperiment({ transport: wiring.get('transport'), ot: wiring.get('ot-extension') }), checks: otSenderChecks, perClass: 20 },
      { experiment: evaluatorExperiment({ transport: wiring.get('transport'), ot: wiring.get('ot-extension'), scheme: wiring.get('garbling') }), checks: evaluatorChecks, perClass: 50 },
    ];
    for (let run = 0; run < runs; run++) {
      for (const s of primitive) {
        const t0 = performance.now();
        const report = await runAudit(s.checks(), (attempt) => collectEvidence(s.experiment as never, { perClass: s.perClass, seed: `false-alarms/${run}`, attempt }));
        record(run, s.experiment.name, report, (performance.now() - t0) / 1000);
      }
    }
  } finally {
    await wiring.dispose();
  }
}

if (suites !== 'primitives') {
  const config = parseConfig({ profile: 'test' });
  const model = loadModel(values.network!);
  const pools = await startInferencePools(config, registry, model.architecture.plainModulus);
  try {
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      const audit = await auditInference({ config, registry, model, runs: 3, inferences: 2, seed: `false-alarms/${run}`, pools });
      for (const a of audit.audits) record(run, `${a.experiment}`, a.report, a.seconds);
      console.log(`run ${run}: both views ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    await closeInferencePools(pools);
  }
}

const summary = { summary: true, runs, suites, ...tally };
appendFileSync(out, `${JSON.stringify(summary)}\n`);
console.log(JSON.stringify(summary));
console.log(`results: ${out}`);
