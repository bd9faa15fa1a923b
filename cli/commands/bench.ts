import { BENCH_SUITES } from '../../bench/index.ts';
import { UsageError, type Command } from '../command.ts';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run benchmark suites and print their figures',
  usage: `[suite...] [--quick] [--json]   (suites: ${Object.keys(BENCH_SUITES).join(', ') || 'none yet'}; default: all)`,
  options: { quick: { type: 'boolean' } },
  async run({ positionals, values, json, stdout, stderr }) {
    const names = positionals.length > 0 ? positionals : Object.keys(BENCH_SUITES);
    for (const name of names) {
      if (!(name in BENCH_SUITES)) {
        throw new UsageError(`unknown bench suite "${name}"; valid: ${Object.keys(BENCH_SUITES).join(', ')}`);
      }
    }
    const results: Record<string, unknown> = {};
    for (const name of names) {
      const suite = await BENCH_SUITES[name]!.load();
      const log = json ? () => {} : (line: string) => stderr(`[${name}] ${line}`);
      results[name] = await suite.run({ quick: values.quick === true, log });
      if (!json) stdout(`${name}: ${JSON.stringify(results[name], null, 2)}`);
    }
    if (json) stdout(JSON.stringify(names.length === 1 ? results[names[0]!] : results, null, 2));
    return 0;
  },
};
