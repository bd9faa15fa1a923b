import { AfterAll, Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Party } from '../../core/channel.ts';
import { parseConfig, type GazelleConfig } from '../../core/config.ts';
import { wire, type Wiring } from '../../core/container.ts';
import type { Model } from '../../core/model/model.ts';
import { randomModel } from '../../core/model/networks.ts';
import type { PluginKind } from '../../core/plugin.ts';
import { formatResult, runAudit, type AuditReport } from '../../harness/audit.ts';
import { AUDIT_REPORT_FORMAT, type AuditDocument } from '../../harness/audit-report.ts';
import type { Check } from '../../harness/checks/check.ts';
import { collectEvidence, type Experiment } from '../../harness/evidence.ts';
import { evaluatorExperiment } from '../../harness/experiments/garbling.ts';
import { heClientExperiment } from '../../harness/experiments/he-linear.ts';
import { closeInferencePools, startInferencePools, type InferencePools } from '../../harness/experiments/inference.ts';
import { otSenderExperiment } from '../../harness/experiments/ot.ts';
import { auditInference } from '../../harness/inference-audit.ts';
import { evaluatorChecks, heClientChecks, otSenderChecks } from '../../harness/suites.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import type { GazelleWorld } from '../support/world.ts';
import { PLACEHOLDER } from './cli.steps.ts';

/** A privacy audit to run: `run` collects the evidence and runs the checks. */
interface PrivacyAudit {
  readonly run: () => Promise<AuditReport>;
  report?: AuditReport;
}

const KEY = 'privacy.audit';
const audit = (world: GazelleWorld) => world.state.get(KEY) as PrivacyAudit;
/** Whole inferences: sessions take seconds, so audits run for minutes: one step may take this long. */
const SLOW = { timeout: 600_000 };

interface PrimitiveAudit {
  readonly experiment: Experiment<never>;
  readonly checks: Check[];
  /** Runs per class: enough for every leaky variant's effect (see the detectable effects printed). */
  readonly perClass: number;
}

/** What each building block's audit wires and runs. */
const VIEWS: Record<string, (wiring: Wiring) => PrimitiveAudit> = {
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
  const { experiment, checks, perClass } = make(wiring);
  this.state.set(KEY, {
    run: async () => {
      try {
        return await runAudit(checks, (attempt) => collectEvidence(experiment, { perClass, seed: 'privacy.feature', attempt }));
      } finally {
        await wiring.dispose();
      }
    },
  } satisfies PrivacyAudit);
});

/**
 * Whole inferences. HE workers are shared by the scenarios with the same HE plugin (starting them
 * costs seconds). Runs: 2 per class (the checks pool thousands of values per view; their printed
 * detectable effects are far below the leaky variants' effects), of 2 inferences each: a pad
 * reused between the session's OT calls shows, and per-slot-masks sees every slot 4 times.
 */
const pools = new Map<string, Promise<InferencePools>>();

function poolsFor(config: GazelleConfig, plainModulus: number): Promise<InferencePools> {
  const key = JSON.stringify([config.plugins.he ?? null, plainModulus]);
  let found = pools.get(key);
  if (!found) pools.set(key, (found = startInferencePools(config, builtinRegistry(), plainModulus)));
  return found;
}

AfterAll(async () => {
  const started = await Promise.allSettled(pools.values());
  await Promise.all(started.flatMap((s) => (s.status === 'fulfilled' ? [closeInferencePools(s.value)] : [])));
});

/** The random model of each network, quantised once for every scenario (a second per network). */
const models = new Map<string, Model>();

function modelFor(network: string): Model {
  let model = models.get(network);
  if (!model) models.set(network, (model = randomModel(network, 'privacy.feature').model));
  return model;
}

function inferenceAudit(world: GazelleWorld, party: string, network: string, plugins: Readonly<Record<string, unknown>>): void {
  const observer = party as Party;
  if (observer !== 'client' && observer !== 'server') throw new Error(`no party "${party}": client or server`);
  const config = parseConfig({ profile: 'test', plugins });
  const model = modelFor(network);
  world.state.set(KEY, {
    run: async () => {
      const result = await auditInference({
        config,
        registry: builtinRegistry(),
        model,
        reveal: network === 'C' ? 'label' : 'logits',
        observers: [observer],
        runs: 2,
        inferences: 2,
        seed: 'privacy.feature',
        pools: await poolsFor(config, model.architecture.plainModulus),
      });
      return result.audits[0]!.report;
    },
  } satisfies PrivacyAudit);
}

Given("the privacy audit of the {word}'s view of private inferences with network {string}", function (this: GazelleWorld, party: string, network: string) {
  inferenceAudit(this, party, network, {});
});

Given(
  "the privacy audit of the {word}'s view of private inferences with network {string}, the {word} plugin {string} and the HE plugin {string}",
  function (this: GazelleWorld, party: string, network: string, kind: string, plugin: string, he: string) {
    if ((kind === 'he') !== (he === '-')) throw new Error('name the HE plugin ("-" when the plugin under test is the HE plugin)');
    inferenceAudit(this, party, network, { [kind]: plugin, ...(kind === 'he' ? {} : { he }) });
  },
);

When('the audit runs', SLOW, async function (this: GazelleWorld) {
  const a = audit(this);
  a.report = await a.run();
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
  expectFailures(this, [name]);
});

Then('the checks {string} fail', function (this: GazelleWorld, names: string) {
  expectFailures(this, names.split(/,\s*/));
});

function expectFailures(world: GazelleWorld, names: readonly string[]): void {
  const { report } = audit(world);
  for (const name of names) {
    const result = report!.results.find((r) => r.name === name);
    assert.ok(result, `no check named "${name}"; checks: ${report!.results.map((r) => r.name).join(', ')}`);
    assert.equal(result.verdict, 'fail', `${name} passed:\n${report!.results.map(formatResult).join('\n')}`);
  }
}

// The refusal's Then is ot.steps.ts's "the configuration is refused because the plugin is ...", which reads 'ot.failure'.
When('a production configuration selects the {word} plugin {string}', async function (this: GazelleWorld, kind: string, name: string) {
  const failure = await wire(parseConfig({ profile: 'production', plugins: { [kind]: name } }), builtinRegistry(), [kind as PluginKind]).then(
    async (wiring) => void (await wiring.dispose()),
    (error: unknown) => error,
  );
  this.state.set('ot.failure', failure);
});

/**
 * A third party's mask sampler, written as its author would (a plain module outside the project,
 * claiming semi-honest security) with the classic bug: 20-bit random words reduced `% p`, so that
 * residues below 2^20 − p come twice as often.
 */
Given("a third party's masks plugin module {string} outside the project that reduces random words mod p", function (this: GazelleWorld, name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'gazelle-audit-plugin-'));
  const path = join(dir, `${name}.mjs`);
  writeFileSync(
    path,
    `export default {
  kind: 'masks',
  name: ${JSON.stringify(name)},
  security: 'semi-honest',
  description: 'masks from 20-bit random words mod p',
  create: () => ({
    name: ${JSON.stringify(name)},
    sample(random, count, p) {
      const bytes = random.fill(new Uint8Array(3 * count));
      return Uint32Array.from({ length: count }, (_, i) => ((bytes[3 * i] | (bytes[3 * i + 1] << 8) | (bytes[3 * i + 2] << 16)) & 0xfffff) % p);
    },
  }),
};\n`,
  );
  this.state.set(`${PLACEHOLDER}module`, path);
});

interface ReportFiles {
  readonly json: AuditDocument;
  readonly markdown: string;
}

function reportsIn(world: GazelleWorld, name: string): ReportFiles {
  const dir = world.state.get(PLACEHOLDER + name) as string;
  return { json: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as AuditDocument, markdown: readFileSync(join(dir, 'report.md'), 'utf8') };
}

Then('the audit reports in {string} say {string} for network {string}', function (this: GazelleWorld, name: string, verdict: string, network: string) {
  const { json, markdown } = reportsIn(this, name);
  assert.equal(json.format, AUDIT_REPORT_FORMAT);
  assert.equal(json.verdict, verdict);
  assert.equal(json.network.name, network);
  assert.ok(json.audits.length > 0 && json.audits.every((a) => a.checks.length > 0 && a.samples.runsPerClass >= 2));
  for (const check of json.audits.flatMap((a) => a.checks)) {
    assert.ok(check.name && check.statistic && (check.pValue !== undefined || check.margin !== undefined), `check ${check.name} states a p-value or a margin`);
  }
  assert.ok(markdown.startsWith(`# Privacy audit of network ${network}: ${verdict.toUpperCase()}`), markdown.slice(0, 200));
  const html = readFileSync(join(this.state.get(PLACEHOLDER + name) as string, 'report.html'), 'utf8');
  assert.ok(html.includes(`<title>Privacy audit of network ${network}: ${verdict.toUpperCase()}</title>`), html.slice(0, 300));
  assert.ok(html.includes('<h2>Layers</h2>') && html.includes('<svg'), 'the page charts a measured session of the network, layer by layer');
});

Then("the {word}'s check {string} fails in the report in {string}", function (this: GazelleWorld, party: string, check: string, name: string) {
  const { json, markdown } = reportsIn(this, name);
  const result = json.audits.find((a) => a.observer === party)?.checks.find((c) => c.name === check);
  assert.equal(result?.verdict, 'fail', JSON.stringify(result));
  assert.match(markdown, new RegExp(`Failed checks: .*${party}: ${check}`));
});

Then('the report in {string} names the {string} plugin {string} loaded from that module', function (this: GazelleWorld, name: string, kind: string, plugin: string) {
  const { json } = reportsIn(this, name);
  const row = json.plugins.find((p) => p.kind === kind);
  assert.deepEqual(row && { name: row.name, origin: row.origin }, { name: plugin, origin: this.state.get(`${PLACEHOLDER}module`) });
});
