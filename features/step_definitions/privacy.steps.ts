import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { parseConfig } from '../../core/config.ts';
import { wire, type Wiring } from '../../core/container.ts';
import type { PluginKind } from '../../core/plugin.ts';
import { formatResult, runAudit, type AuditReport } from '../../harness/audit.ts';
import type { Check } from '../../harness/checks/check.ts';
import { collectEvidence, type Experiment } from '../../harness/evidence.ts';
import { evaluatorExperiment } from '../../harness/experiments/garbling.ts';
import { heClientExperiment } from '../../harness/experiments/he-linear.ts';
import { otSenderExperiment } from '../../harness/experiments/ot.ts';
import { evaluatorChecks, heClientChecks, otSenderChecks } from '../../harness/suites.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import type { GazelleWorld } from '../support/world.ts';

interface PrivacyAudit {
  readonly wiring: Wiring;
  readonly experiment: Experiment<never>;
  readonly checks: Check[];
  /** Runs per class: enough for every leaky variant's effect (see the detectable effects printed). */
  readonly perClass: number;
  report?: AuditReport;
}

const KEY = 'privacy.audit';
const audit = (world: GazelleWorld) => world.state.get(KEY) as PrivacyAudit;

/** What each view's audit wires and runs. */
const VIEWS: Record<string, (wiring: Wiring) => Omit<PrivacyAudit, 'wiring'>> = {
  "OT sender's view": (w) => ({ experiment: otSenderExperiment({ transport: w.get('transport'), ot: w.get('ot-extension') }) as Experiment<never>, checks: otSenderChecks(), perClass: 20 }),
  "evaluator's view of a ReLU layer": (w) => ({
    experiment: evaluatorExperiment({ transport: w.get('transport'), ot: w.get('ot-extension'), scheme: w.get('garbling') }) as Experiment<never>,
    checks: evaluatorChecks(),
    perClass: 50,
  }),
  "client's view of a linear layer": (w) => ({
    experiment: heClientExperiment({ transport: w.get('transport'), backend: w.get('he') }) as Experiment<never>,
    checks: heClientChecks(w.get('he').params.plainModulus),
    perClass: 8,
  }),
};

const KINDS: Record<string, PluginKind[]> = {
  "OT sender's view": ['transport', 'ot-extension'],
  "evaluator's view of a ReLU layer": ['transport', 'ot-extension', 'garbling'],
  "client's view of a linear layer": ['transport', 'he'],
};

Given('the privacy audit of the {} with the {word} plugin {string}', async function (this: GazelleWorld, view: string, kind: string, plugin: string) {
  const make = VIEWS[view];
  if (!make) throw new Error(`no privacy audit of "${view}"; known: ${Object.keys(VIEWS).join('; ')}`);
  // The HE backend runs the fast preset (n = 4096) to keep the feature quick; its margin is below 40 bits.
  const selection = kind === 'he' ? { name: plugin, options: { preset: 'fast', acceptLowerMargin: true } } : plugin;
  const wiring = await wire(parseConfig({ profile: 'test', plugins: { [kind]: selection } }), builtinRegistry(), KINDS[view]!);
  this.state.set(KEY, { wiring, ...make(wiring) } satisfies PrivacyAudit);
});

When('the audit runs', async function (this: GazelleWorld) {
  const a = audit(this);
  try {
    a.report = await runAudit(a.checks, (attempt) => collectEvidence(a.experiment, { perClass: a.perClass, seed: 'privacy.feature', attempt }));
  } finally {
    await a.wiring.dispose();
  }
  this.log(a.report.results.map(formatResult).join('\n'));
  this.log(`suite false-alarm bound: ${a.report.falseAlarmBound.toExponential(2)} (${a.report.statisticalChecks} statistical checks)`);
});

Then('every check passes', function (this: GazelleWorld) {
  const { report } = audit(this);
  assert.equal(report!.verdict, 'pass', report!.results.map(formatResult).join('\n'));
});

Then('each statistical check prints the effect it could detect', function (this: GazelleWorld) {
  for (const r of audit(this).report!.results) {
    if (r.pValue !== undefined) assert.ok(r.detectableEffect && r.detectableEffect.size > 0, `${r.name} states no detectable effect`);
    else assert.ok(r.margin, `${r.name} states neither a p-value nor a margin`);
  }
});

Then('the check {string} fails', function (this: GazelleWorld, name: string) {
  const { report } = audit(this);
  const result = report!.results.find((r) => r.name === name);
  assert.ok(result, `no check named "${name}"; checks: ${report!.results.map((r) => r.name).join(', ')}`);
  assert.equal(result.verdict, 'fail', report!.results.map(formatResult).join('\n'));
});
