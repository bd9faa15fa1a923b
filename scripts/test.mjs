#!/usr/bin/env node
// `npm test`: typecheck, node's test runner (unit + property tests), then the Cucumber features,
// both under c8 coverage. Ends with one line `N passed, N failed` counting both runners, and exits
// non-zero on any failure. Extra arguments filter the test files by substring (e.g. `npm test -- ot`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const tmp = join(root, '.tmp');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const filters = process.argv.slice(2);
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

function run(label, command, args, env = {}) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.git', '.tmp', 'coverage', 'reports', 'dist'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(path));
    else if (entry.name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out.sort();
}

let passed = 0;
let failed = 0;

const typecheck = run('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', '.']);
if (typecheck !== 0) failed += 1;

const coverageDir = join(tmp, 'coverage');
const c8 = (clean) => [bin('c8'), '--reporter=none', `--temp-directory=${coverageDir}`, `--clean=${clean}`, '--exclude=**/*.test.ts', '--exclude=features/**', '--exclude=node_modules/**', '--exclude=dist/**'];

const testFiles = findTests(root).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (testFiles.length > 0) {
  const tap = join(tmp, 'unit.tap');
  const [c8bin, ...c8args] = c8(true);
  run('unit and property tests (node --test)', c8bin, [
    ...c8args, process.execPath, '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...testFiles,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const pass = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? NaN);
  const fail = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? NaN);
  if (Number.isNaN(pass) || Number.isNaN(fail)) {
    process.stdout.write('node --test produced no summary: counting the run as one failure\n');
    failed += 1;
  } else {
    passed += pass;
    failed += fail;
  }
}

if (filters.length === 0 || filters.includes('features')) {
  const [c8bin, ...c8args] = c8(false);
  const status = run('features (cucumber-js)', c8bin, [...c8args, bin('cucumber-js')], { NODE_OPTIONS: '--import tsx' });
  const jsonPath = join(tmp, 'cucumber.json');
  let counted = false;
  if (existsSync(jsonPath)) {
    try {
      for (const feature of JSON.parse(readFileSync(jsonPath, 'utf8'))) {
        for (const scenario of feature.elements ?? []) {
          if (scenario.type === 'background') continue;
          const steps = [...(scenario.before ?? []), ...(scenario.steps ?? []), ...(scenario.after ?? [])];
          if (steps.every((s) => s.result?.status === 'passed')) passed += 1;
          else failed += 1;
          counted = true;
        }
      }
    } catch {
      counted = false;
    }
  }
  if (!counted && status !== 0) failed += 1;
}

spawnSync(bin('c8'), ['report', '--reporter=text-summary', `--temp-directory=${coverageDir}`, '--report-dir', join(root, 'coverage')], {
  cwd: root,
  stdio: 'inherit',
});

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
