// Every benchmark suite runs in --quick mode, so bench code cannot rot between benchmark runs.
// Figures are not asserted here (performance targets live in the benchmarks); only the shape.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BENCH_SUITES } from '../bench/index.ts';

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

function collectNumbers(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => collectNumbers(v, path ? `${path}.${k}` : k));
}
