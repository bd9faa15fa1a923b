/**
 * Reports, comparisons and the step library from a user's side: `gazelle compare` run as a command,
 * its JSON, Markdown and HTML read back; and examples/user-project (the README's example) run with
 * plain node in a temporary directory, the packed package installed, cucumber-js its own.
 */
import { After, Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Comparison, ComparedConfiguration } from '../../harness/compare.ts';
import type { GazelleWorld } from '../support/world.ts';
import { projectWithPackage, run } from './package.steps.ts';

const COMPARISON_KEY = 'reports.comparison';
const PROJECT_KEY = 'reports.project';
const PROJECT_RUN_KEY = 'reports.project-run';
/** Sessions of several configurations, each starting HE workers and classifying: minutes on a loaded machine. */
const SLOW = { timeout: 20 * 60_000 };

interface ComparisonRun {
  readonly status: number;
  readonly stderr: string;
  readonly comparison: Comparison;
  readonly dir: string;
}

function comparisonRun(world: GazelleWorld): ComparisonRun {
  const r = world.state.get(COMPARISON_KEY) as ComparisonRun | undefined;
  assert.ok(r, 'no comparison run in this scenario');
  return r;
}

function configuration(world: GazelleWorld, name: string): ComparedConfiguration {
  const found = comparisonRun(world).comparison.configurations.find((c) => c.name === name);
  assert.ok(found, `no configuration "${name}" in the comparison`);
  return found;
}

When('I compare the configurations {string} on network {string} with {int} inference(s)', SLOW, function (this: GazelleWorld, configs: string, network: string, inferences: number) {
  const dir = mkdtempSync(join(tmpdir(), 'gazelle-compare-'));
  const args = ['--import', 'tsx', resolve('cli/main.ts'), 'compare', '--configs', configs, '--network', network, '--inferences', String(inferences), '--out', dir, '--json'];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: SLOW.timeout - 60_000 });
  assert.equal(result.signal, null, `gazelle compare did not finish: ${result.stderr}`);
  const printed = JSON.parse(result.stdout) as Comparison & { report: { json: string } };
  assert.deepEqual(JSON.parse(readFileSync(printed.report.json, 'utf8')), JSON.parse(JSON.stringify({ ...printed, report: undefined })), 'report.json holds what --json printed');
  this.state.set(COMPARISON_KEY, { status: result.status ?? -1, stderr: result.stderr, comparison: printed, dir } satisfies ComparisonRun);
});

Then('every configuration ran and the command exited with 0', function (this: GazelleWorld) {
  const r = comparisonRun(this);
  assert.equal(r.status, 0, r.stderr);
  for (const c of r.comparison.configurations) assert.ok(c.measurement, `${c.name}: ${c.error?.message}`);
});

Then('the configuration {string} passed every check', function (this: GazelleWorld, name: string) {
  const c = configuration(this, name);
  assert.ok(c.passed, JSON.stringify(c.checks));
  assert.deepEqual(c.checks.map((k) => k.name), ['bit-exact', 'flooding-margin']);
});

Then('the configuration {string} is marked for its flooding margin below the requirement, its other checks passed', function (this: GazelleWorld, name: string) {
  const c = configuration(this, name);
  assert.equal(c.passed, false);
  assert.deepEqual(
    c.checks.map((k) => [k.name, k.verdict]),
    [
      ['bit-exact', 'pass'],
      ['flooding-margin', 'fail'],
    ],
  );
  assert.ok(c.measurement!.margin.minBits < c.measurement!.margin.requiredBits);
});

Then('{string} and {string} send the same bytes online and the same setup bytes from client to server', function (this: GazelleWorld, a: string, b: string) {
  const [x, y] = [configuration(this, a).measurement!, configuration(this, b).measurement!];
  assert.deepEqual(x.median.online, { ...y.median.online, seconds: x.median.online.seconds }, 'online: label transfers and ciphertexts do not depend on the garbling scheme');
  assert.equal(x.setup.clientToServer, y.setup.clientToServer, 'setup: the client sends the same keys');
});

Then('{string} sends between {float} and {float} times the offline bytes from server to client of {string}', function (this: GazelleWorld, a: string, low: number, high: number, b: string) {
  const ratio = configuration(this, a).measurement!.median.offline.serverToClient / configuration(this, b).measurement!.median.offline.serverToClient;
  assert.ok(ratio > low && ratio < high, `ratio ${ratio}`);
});

Then('{string} sends fewer setup bytes from client to server than {string}', function (this: GazelleWorld, a: string, b: string) {
  assert.ok(configuration(this, a).measurement!.setup.clientToServer < configuration(this, b).measurement!.setup.clientToServer);
});

Then('the Markdown report has a column for each configuration and marks {string}', function (this: GazelleWorld, name: string) {
  const r = comparisonRun(this);
  const markdown = readFileSync(join(r.dir, 'report.md'), 'utf8');
  const header = markdown.split('\n').find((line) => /^\|\s+\|/.test(line)); // the side-by-side table: its first column holds the figures' names
  assert.ok(header, markdown);
  for (const c of r.comparison.configurations) assert.ok(header.includes(c.passed ? `| ${c.name} |` : `| ${c.name} (marked) |`), header);
  assert.ok(header.includes(`${name} (marked)`));
});

Then('the HTML report is self-contained, with {int} charts holding a bar for each configuration', function (this: GazelleWorld, charts: number) {
  const r = comparisonRun(this);
  const html = readFileSync(join(r.dir, 'report.html'), 'utf8');
  assert.ok(!/<script|<link|<img|<iframe|@import|url\(|src=|href=/i.test(html), 'no script, stylesheet, image, frame or link to fetch');
  const svgs = html.match(/<svg class="chart[^]*?<\/svg>/g) ?? [];
  assert.equal(svgs.length, charts);
  const configurations = r.comparison.configurations.length;
  for (const svg of svgs) {
    const series = new Set([...svg.matchAll(/data-series="(\d+)"/g)].map((m) => m[1]));
    assert.equal(series.size, configurations, 'one series per configuration in every chart');
  }
  for (const c of r.comparison.configurations.filter((x) => !x.passed)) {
    assert.ok(svgs.every((svg) => svg.includes(`${c.name} (fails)`)), `${c.name} is marked in every chart, not left out`);
  }
});

Given('the example project examples\\/user-project, with the packed package installed', function (this: GazelleWorld) {
  const project = projectWithPackage(['@cucumber/cucumber']);
  cpSync(resolve('examples/user-project'), project, { recursive: true });
  this.state.set(PROJECT_KEY, project);
});

Given('features of its own with a budget below what the protocol sends and a leaky mask sampler', function (this: GazelleWorld) {
  const project = this.state.get(PROJECT_KEY) as string;
  writeFileSync(
    join(project, 'features', 'over-budget.feature'),
    ['Feature: A budget too tight', '  Scenario: Over budget', '    Given network "C" with configuration "secure"', '    When the client classifies 1 test digit', '    Then the online traffic from client to server is at most 100 kB', ''].join('\n'),
  );
  // All-zero masks hand the client the server's share in the clear; the HE test double keeps the
  // audit to seconds (it is flagged too: it floods nothing), as in features/privacy.feature.
  writeFileSync(join(project, 'configs', 'leaky-masks.json'), JSON.stringify({ profile: 'test', plugins: { masks: 'insecure-masks-zero', he: 'insecure-plain-he' } }));
  writeFileSync(
    join(project, 'features', 'leaky-masks.feature'),
    ['Feature: A leaky mask sampler', '  Scenario: Leaky masks', '    Given network "A" with configuration "configs/leaky-masks.json"', "    Then the client's view passes every privacy check", ''].join('\n'),
  );
});

interface CucumberScenario {
  name: string;
  steps: { name: string; result: { status: string; error_message?: string } }[];
}

When('that project runs cucumber-js with plain node', SLOW, function (this: GazelleWorld) {
  const project = this.state.get(PROJECT_KEY) as string;
  const result = run(process.execPath, [join(project, 'node_modules/@cucumber/cucumber/bin/cucumber.js'), '--format', 'json:results.json'], project, SLOW.timeout - 60_000);
  const results = existsSync(join(project, 'results.json')) ? (JSON.parse(readFileSync(join(project, 'results.json'), 'utf8')) as { elements: CucumberScenario[] }[]) : [];
  this.state.set(PROJECT_RUN_KEY, { ...result, scenarios: results.flatMap((f) => f.elements) });
});

function projectScenario(world: GazelleWorld, name: string): CucumberScenario {
  const r = world.state.get(PROJECT_RUN_KEY) as { stdout: string; stderr: string; scenarios: CucumberScenario[] };
  const found = r.scenarios.find((s) => s.name === name);
  assert.ok(found, `no scenario "${name}" ran; cucumber said:\n${r.stdout}\n${r.stderr}`);
  return found;
}

Then('its example scenario passes and writes its HTML report', function (this: GazelleWorld) {
  const scenario = projectScenario(this, 'Network C classifies test digits over TCP within its budgets');
  for (const step of scenario.steps) assert.equal(step.result.status, 'passed', `${step.name}: ${step.result.error_message ?? ''}`);
  const html = readFileSync(join(this.state.get(PROJECT_KEY) as string, 'reports', 'C-over-tcp', 'report.html'), 'utf8');
  assert.ok(html.includes('<title>Private inference: C under over-tcp</title>'));
});

Then('the scenario over budget fails at its budget, saying what was measured and by how much it is over', function (this: GazelleWorld) {
  const r = this.state.get(PROJECT_RUN_KEY) as { status: number };
  assert.equal(r.status, 1, 'cucumber-js exits with 1 when a scenario fails');
  const failed = projectScenario(this, 'Over budget').steps.find((s) => s.result.status === 'failed');
  assert.equal(failed?.name, 'the online traffic from client to server is at most 100 kB');
  assert.match(failed!.result.error_message ?? '', /BudgetExceededError: the online traffic from client to server is [\d.]+ kB \([\d,]+ B\), over its budget of 100 kB \(100,000 B\) by \d+\.\d%/);
});

Then("the leaky scenario fails at the privacy step, naming the check that targets all-zero masks", function (this: GazelleWorld) {
  const failed = projectScenario(this, 'Leaky masks').steps.find((s) => s.result.status === 'failed');
  assert.equal(failed?.name, "the client's view passes every privacy check");
  assert.match(failed!.result.error_message ?? '', /PrivacyCheckError: the client's view fails \d+ of \d+ privacy checks: .*FAIL uniform-shares/);
});

After(function (this: GazelleWorld) {
  const project = this.state.get(PROJECT_KEY) as string | undefined;
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
  const comparison = this.state.get(COMPARISON_KEY) as ComparisonRun | undefined;
  if (comparison !== undefined) rmSync(comparison.dir, { recursive: true, force: true });
});
