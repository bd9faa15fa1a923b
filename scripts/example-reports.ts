/**
 * Regenerates the curated example reports under reports/examples/ (linked from the README):
 * - compare-D/: `gazelle compare` of network D under the secure, classic and fast configurations,
 *   five MNIST test digits each (the command as a user runs it);
 * - D-secure/: the session report the step library's report step writes, for the secure
 *   configuration of that same comparison (its measured figures, not a second run);
 * - audit-D/: `gazelle audit` of network D with a fixed seed (report.json, report.md), and its
 *   report.html (harness/report/audit-html.ts) with the performance of the secure session above and
 *   the decryption-noise distributions behind the circuit-privacy check, with and without flooding.
 * Run from the repository: node --import tsx scripts/example-reports.ts   (minutes; run it on a
 * quiet machine: the reports state the load average they were measured at)
 * With --render-only, neither command runs: the pages are rendered again from the committed report.json
 * files (after a change to the renderers); the noise distributions are drawn afresh (seconds).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../core/config.ts';
import { withWiring } from '../core/container.ts';
import { PACKAGE_ROOT } from '../core/package-root.ts';
import type { Comparison } from '../harness/compare.ts';
import type { AuditDocument } from '../harness/audit-report.ts';
import { auditHtml } from '../harness/report/audit-html.ts';
import { writeComparisonReport } from '../harness/report/compare-report.ts';
import { writeMeasurementReport } from '../harness/report/measurement-report.ts';
import { decryptionNoiseHistogram } from '../harness/report/noise-distribution.ts';
import { builtinRegistry } from '../plugins/index.ts';

const EXAMPLES = join(PACKAGE_ROOT, 'reports', 'examples');
const renderOnly = process.argv.includes('--render-only');

/** `gazelle <args>` as a user runs it; its exit code. */
function gazelle(args: readonly string[]): number {
  console.log(`gazelle ${args.join(' ')}`);
  return spawnSync(process.execPath, ['bin/gazelle.mjs', ...args], { cwd: PACKAGE_ROOT, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } }).status ?? 1;
}

const compareDir = join(EXAMPLES, 'compare-D');
if (!renderOnly && gazelle(['compare', '--configs', 'secure,classic,fast', '--network', 'D', '--inferences', '5', '--out', compareDir]) !== 0) process.exit(1);
const comparison = JSON.parse(readFileSync(join(compareDir, 'report.json'), 'utf8')) as Comparison;
if (renderOnly) writeComparisonReport(compareDir, comparison);
const secure = comparison.configurations.find((c) => c.name === 'secure')?.measurement;
if (!secure) throw new Error('the comparison has no measurement of the secure configuration');
console.log(`session report: ${writeMeasurementReport(join(EXAMPLES, 'D-secure'), secure).html}`);

const auditDir = join(EXAMPLES, 'audit-D');
// Exit code 1 is a failed check: the report says which, and is rendered all the same.
if (!renderOnly && gazelle(['audit', '--network', 'D', '--seed', 'gazelle-ts-example', '--out', auditDir]) > 1) process.exit(1);
const audit = JSON.parse(readFileSync(join(auditDir, 'report.json'), 'utf8')) as AuditDocument;
const distributions = [];
for (const he of ['seal-bfv', 'insecure-seal-bfv-no-flooding']) {
  // The leaky variant is insecure-test-only: the test profile admits it, as the audit's own runs do.
  const config = parseConfig({ profile: 'test', plugins: { he: { name: he, options: { preset: 'secure' } } } }, 'example noise distribution');
  distributions.push(await withWiring(config, builtinRegistry(), ['he'], async (wiring) => decryptionNoiseHistogram(wiring.get('he'))));
}
writeFileSync(join(auditDir, 'report.html'), auditHtml(audit, { measurement: secure, distributions }));
console.log(`audit report: ${join(auditDir, 'report.html')}`);
