import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../core/config.ts';
import { wire } from '../../core/container.ts';
import type { RandomSource } from '../../core/random.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { formatResult, runAudit, type AuditReport } from '../audit.ts';
import { collectEvidence } from '../evidence.ts';
import { heClientChecks } from '../suites.ts';
import { heClientExperiment, type HeExperimentOptions } from './he-linear.ts';

async function audit(he: string, sampleMask?: HeExperimentOptions['sampleMask']): Promise<AuditReport> {
  const config = parseConfig({ profile: 'test', plugins: { he: { name: he, options: { preset: 'fast', acceptLowerMargin: true } } } });
  const wiring = await wire(config, builtinRegistry(), ['transport', 'he']);
  try {
    const backend = wiring.get('he');
    const experiment = heClientExperiment({ transport: wiring.get('transport'), backend, ...(sampleMask ? { sampleMask } : {}) });
    return await runAudit(heClientChecks(backend.params.plainModulus), (attempt) => collectEvidence(experiment, { perClass: 12, seed: 'he-linear.test', attempt }));
  } finally {
    await wiring.dispose();
  }
}

const verdicts = (r: AuditReport) => Object.fromEntries(r.results.map((x) => [x.name, x.verdict]));
const show = (r: AuditReport) => r.results.map(formatResult).join('\n');

/** The classic mistake: a 32-bit word reduced `% p` (small residues are favoured). */
function modPOnWords(source: RandomSource, count: number, p: number): Uint32Array {
  return Uint32Array.from(new Uint32Array(source.fill(new Uint8Array(4 * count)).buffer), (w) => (w & 0xfffff) % p);
}

describe("privacy of an HE linear layer: the client's view", () => {
  // The clean backend and flooding off are features/privacy.feature's scenarios.
  it('a mask drawn with `% p` is flagged by uniform-shares; no mask at all by fixed-vs-random:shares', async () => {
    const biased = await audit('seal-bfv', modPOnWords);
    assert.equal(verdicts(biased)['uniform-shares'], 'fail', show(biased));
    const unmasked = await audit('seal-bfv', (_source, count) => new Uint32Array(count));
    assert.equal(verdicts(unmasked)['fixed-vs-random:shares'], 'fail', show(unmasked));
  });
});
