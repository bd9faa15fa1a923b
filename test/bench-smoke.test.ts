// Every benchmark suite runs in --quick mode, so bench code cannot rot between benchmark runs.
// Figures are not asserted here (performance targets live in the benchmarks); only the shape.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BENCH_SUITES } from '../bench/index.ts';
import { parseConfig } from '../core/config.ts';

describe('benchmark suites (quick mode)', () => {
  for (const [name, entry] of Object.entries(BENCH_SUITES)) {
    it(`${name} runs and reports finite figures`, async () => {
      const suite = await entry.load();
      assert.equal(suite.name, name);
      const result = await suite.run({ quick: true, log: () => {} });
      const numbers = collectNumbers(result);
      assert.ok(numbers.length > 0, `${name} reported no figures`);
      for (const [path, value] of numbers) assert.ok(Number.isFinite(value), `${name}: ${path} = ${value}`);
    });
  }
});

describe('bench suites measure what the configuration selects', () => {
  it('ot: the configured base OT, over the in-memory transport its clock needs whatever the configured transport', async () => {
    const suite = await BENCH_SUITES.ot!.load();
    const config = parseConfig({ profile: 'test', plugins: { 'base-ot': 'insecure-ideal-base-ot', transport: 'tcp' } });
    const result = (await suite.run({ quick: true, log: () => {}, config })) as { plugins: Record<string, string> };
    assert.deepEqual(result.plugins, { transport: 'in-memory', baseOt: 'insecure-ideal-base-ot', otExtension: 'iknp' });
  });
});

describe('gazelle bench with several suites', () => {
  it('runs each in a process of its own and prints one JSON document of them all', () => {
    const launcher = fileURLToPath(new URL('../bin/gazelle.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [launcher, 'bench', 'ot', 'circuit', '--quick', '--json'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(result), ['ot', 'circuit']);
    for (const [name, figures] of Object.entries(result)) assert.ok(collectNumbers(figures).length > 0, `${name} reported no figures`);
  });
});

function collectNumbers(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => collectNumbers(v, path ? `${path}.${k}` : k));
}
