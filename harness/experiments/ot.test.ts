import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../core/config.ts';
import { wire } from '../../core/container.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { formatResult, runAudit, type AuditReport } from '../audit.ts';
import { collectEvidence } from '../evidence.ts';
import { otSenderChecks } from '../suites.ts';
import { otSenderExperiment } from './ot.ts';

async function audit(extension: string): Promise<AuditReport> {
  const wiring = await wire(parseConfig({ profile: 'test', plugins: { 'ot-extension': extension } }), builtinRegistry(), ['transport', 'ot-extension']);
  try {
    const experiment = otSenderExperiment({ transport: wiring.get('transport'), ot: wiring.get('ot-extension') });
    return await runAudit(otSenderChecks(), (attempt) => collectEvidence(experiment, { perClass: 20, seed: 'ot.test', attempt }));
  } finally {
    await wiring.dispose();
  }
}

const verdicts = (r: AuditReport) => Object.fromEntries(r.results.map((x) => [x.name, x.verdict]));

describe("privacy of OT extension: the sender's view", () => {
  it('iknp over chou-orlandi passes every check', async () => {
    const report = await audit('iknp');
    assert.equal(report.verdict, 'pass', report.results.map(formatResult).join('\n'));
  });

  it('a PRG that restarts every batch (reused pads) is flagged by repeated-blocks', async () => {
    const report = await audit('insecure-iknp-pad-reuse');
    assert.equal(verdicts(report)['repeated-blocks'], 'fail', report.results.map(formatResult).join('\n'));
  });

  it('a fixed PRG seed (choice bits in the clear) is flagged by canary', async () => {
    const report = await audit('insecure-iknp-fixed-seed');
    assert.equal(verdicts(report)['canary'], 'fail', report.results.map(formatResult).join('\n'));
  });
});
