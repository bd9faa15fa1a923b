import { spawnSync } from 'node:child_process';
import { BENCH_SUITES } from '../../bench/index.ts';
import { UsageError, type Command } from '../command.ts';

/** Set in a suite's own process: log progress on stderr even though the parent asked it for JSON. */
const CHILD_LOG = 'GAZELLE_BENCH_CHILD_LOG';

/**
 * Several suites run one process each (as JMH forks per benchmark): a suite must not inherit
 * another's JIT feedback, heap, or process-wide V8 state. The he suite's node-seal grows its wasm
 * memory, which detaches an ArrayBuffer and slows every later typed-array loop (bench gc reports
 * that effect on its own, see bench/gc.ts). The child is this CLI with the same Node flags.
 */
function runInOwnProcess(name: string, quick: boolean, logProgress: boolean): unknown {
  const args = [...process.execArgv, process.argv[1]!, 'bench', name, '--json', ...(quick ? ['--quick'] : [])];
  const child = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, [CHILD_LOG]: logProgress ? '1' : '' },
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`bench suite ${name} failed in its own process (exit ${child.status ?? child.signal}); see its output above`);
  return JSON.parse(child.stdout);
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run benchmark suites and print their figures',
  usage: `[suite...] [--quick] [--json]   (suites: ${Object.keys(BENCH_SUITES).join(', ') || 'none yet'}; default: all, each in its own process)`,
  options: { quick: { type: 'boolean' } },
  async run({ positionals, values, json, stdout, stderr }) {
    const names = positionals.length > 0 ? positionals : Object.keys(BENCH_SUITES);
    for (const name of names) {
      if (!(name in BENCH_SUITES)) {
        throw new UsageError(`unknown bench suite "${name}"; valid: ${Object.keys(BENCH_SUITES).join(', ')}`);
      }
    }
    const quick = values.quick === true;
    const results: Record<string, unknown> = {};
    for (const name of names) {
      if (names.length > 1) {
        results[name] = runInOwnProcess(name, quick, !json);
      } else {
        const suite = await BENCH_SUITES[name]!.load();
        const log = json && process.env[CHILD_LOG] !== '1' ? () => {} : (line: string) => stderr(`[${name}] ${line}`);
        results[name] = await suite.run({ quick, log });
      }
      if (!json) stdout(`${name}: ${JSON.stringify(results[name], null, 2)}`);
    }
    if (json) stdout(JSON.stringify(names.length === 1 ? results[names[0]!] : results, null, 2));
    return 0;
  },
};
