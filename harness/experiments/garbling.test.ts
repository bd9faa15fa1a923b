import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../core/config.ts';
import { wire } from '../../core/container.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { formatResult, runAudit, type AuditReport } from '../audit.ts';
import { collectEvidence } from '../evidence.ts';
import { evaluatorChecks } from '../suites.ts';
import { evaluatorExperiment } from './garbling.ts';

async function audit(garbling: string): Promise<AuditReport> {
  const wiring = await wire(parseConfig({ profile: 'test', plugins: { garbling } }), builtinRegistry(), ['transport', 'ot-extension', 'garbling']);
  try {
    const experiment = evaluatorExperiment({ transport: wiring.get('transport'), ot: wiring.get('ot-extension'), scheme: wiring.get('garbling') });
    return await runAudit(evaluatorChecks(), (attempt) => collectEvidence(experiment, { perClass: 50, seed: 'garbling.test', attempt }));
  } finally {
    await wiring.dispose();
  }
}

const verdicts = (r: AuditReport) => Object.fromEntries(r.results.map((x) => [x.name, x.verdict]));

describe("privacy of garbling: the evaluator's view of a ReLU layer", () => {
  it('half-gates passes every check', async () => {
    const report = await audit('half-gates');
    assert.equal(report.verdict, 'pass', report.results.map(formatResult).join('\n'));
  });

  it('a garbler fixing its output labels\' permute bits is flagged by fixed-vs-random on the derived permute bits', async () => {
    const report = await audit('insecure-half-gates-permute-leak');
    const v = verdicts(report);
    assert.equal(v['fixed-vs-random:permute-bits'], 'fail', report.results.map(formatResult).join('\n'));
    assert.equal(v['real-vs-simulated:permute-bits'], 'fail', report.results.map(formatResult).join('\n'));
    // the traffic itself looks uniform: only what the evaluator derives gives it away
    assert.equal(v['uniform-bytes'], 'pass');
  });
});
