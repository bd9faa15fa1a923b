/**
 * Regenerates the curated example reports under reports/examples/ (linked from the README):
 * - compare-D/: `gazelle compare` of network D under the secure, classic and fast configurations,
 *   five MNIST test digits each (the command as a user runs it);
 * - D-secure/: the session report the step library's report step writes, for the secure
 *   configuration of that same comparison (its measured figures, not a second run).
 * Run from the repository: node --import tsx scripts/example-reports.ts   (a few minutes; run it on
 * a quiet machine, the reports state the load average they were measured at)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.ts';
import type { Comparison } from '../harness/compare.ts';
import { writeMeasurementReport } from '../harness/report/measurement-report.ts';

const EXAMPLES = join(PACKAGE_ROOT, 'reports', 'examples');
const compareDir = join(EXAMPLES, 'compare-D');
const args = ['bin/gazelle.mjs', 'compare', '--configs', 'secure,classic,fast', '--network', 'D', '--inferences', '5', '--out', compareDir];
console.log(`gazelle ${args.slice(1).join(' ')}`);
const compare = spawnSync(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
if (compare.status !== 0) process.exit(compare.status ?? 1);

const comparison = JSON.parse(readFileSync(join(compareDir, 'report.json'), 'utf8')) as Comparison;
const secure = comparison.configurations.find((c) => c.name === 'secure')?.measurement;
if (!secure) throw new Error('the comparison has no measurement of the secure configuration');
console.log(`session report: ${writeMeasurementReport(join(EXAMPLES, 'D-secure'), secure).html}`);
