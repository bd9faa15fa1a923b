import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BENCH_SUITES } from '../../bench/index.ts';
import { isShaped, type NetworkProfile } from '../../core/channel/network-profile.ts';
import type { GazelleConfig } from '../../core/config.ts';
import type { Progress } from '../../core/progress.ts';
import type { PluginRegistry } from '../../core/registry.ts';
import { numberOption } from '../args.ts';
import { UsageError, type Command, type OptionValues } from '../command.ts';
import { renderFigures } from '../figures.ts';
import { NETWORK_OPTIONS } from '../network-options.ts';

/** Set in a suite's own process: log progress on stderr even though the parent asked it for JSON. */
const CHILD_LOG = 'GAZELLE_BENCH_CHILD_LOG';

/** The options of this run again, for a suite's own process (positionals, --json and --quiet aside). */
function forwardedOptions(values: OptionValues): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    if (['json', 'quiet', 'help'].includes(key) || value === undefined || value === false) return [];
    if (value === true) return [`--${key}`];
    return (Array.isArray(value) ? value : [value]).flatMap((v) => [`--${key}`, String(v)]);
  });
}

/**
 * Several suites run one process each (as JMH forks per benchmark): a suite must not inherit
 * another's JIT feedback, heap, or process-wide V8 state. The he suite's node-seal grows its wasm
 * memory, which detaches an ArrayBuffer and slows every later typed-array loop (bench gc reports
 * that effect on its own, see bench/gc.ts). The child is this CLI with the same Node flags; its
 * informational lines come back through `info` (so they print above progress bars).
 */
function runInOwnProcess(name: string, values: OptionValues, info: ((line: string) => void) | undefined): Promise<unknown> {
  const args = [...process.execArgv, process.argv[1]!, 'bench', name, '--json', ...forwardedOptions(values)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, [CHILD_LOG]: info ? '1' : '' } });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const errors: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    errors.push(line);
    info?.(line);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const tail = info ? 'see its output above' : `its stderr:\n${errors.slice(-20).join('\n')}`;
        reject(new Error(`bench suite ${name} failed in its own process (exit ${code ?? signal}); ${tail}`));
      } else {
        resolve(JSON.parse(stdout));
      }
    });
  });
}

function checkSuites(names: readonly string[], withNetwork: boolean): void {
  for (const name of names) {
    if (!(name in BENCH_SUITES)) throw new UsageError(`unknown bench suite "${name}"; valid: ${Object.keys(BENCH_SUITES).join(', ')}`);
    if (withNetwork && BENCH_SUITES[name]!.network !== true) {
      const taking = Object.keys(BENCH_SUITES).filter((n) => BENCH_SUITES[n]!.network === true);
      throw new UsageError(
        `bench suite "${name}" measures without a network, so a network profile would not change it; ` +
          `suites that take one: ${taking.join(', ') || '(none yet)'}`,
      );
    }
  }
}

interface RunContext {
  readonly values: OptionValues;
  readonly config: GazelleConfig;
  readonly registry: PluginRegistry;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly progress: Progress;
  readonly info: (line: string) => void;
  readonly network: NetworkProfile | undefined;
}

async function runSuites(names: readonly string[], { values, config, registry, json, quiet, progress, info, network }: RunContext) {
  const quick = values.quick === true;
  const results: Record<string, unknown> = {};
  if (names.length > 1) {
    const phase = progress.start('bench suites', names.length);
    try {
      for (const name of names) {
        phase.tick(0, name);
        results[name] = await runInOwnProcess(name, values, json || quiet ? undefined : info);
        phase.tick(1, name);
      }
    } finally {
      phase.done();
    }
  } else {
    const name = names[0]!;
    const suite = await BENCH_SUITES[name]!.load();
    const log = json && process.env[CHILD_LOG] !== '1' ? () => {} : (line: string) => info(`[${name}] ${line}`);
    const networks = typeof values.network === 'string' ? values.network.split(',').map((n) => n.trim()) : undefined;
    const scale = numberOption(values.scale, '--scale', { min: 0.001, max: 1 });
    results[name] = await suite.run({ quick, log, progress, config, registry, ...(network !== undefined ? { network } : {}), ...(networks ? { networks } : {}), ...(scale !== undefined ? { scale } : {}) });
  }
  return results;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run benchmark suites and print their figures',
  usage: '[suite...] [options]',
  description:
    `Suites: ${Object.entries(BENCH_SUITES)
      .map(([name, entry]) => `${name} (${entry.summary})`)
      .join('; ')}.\n` +
    'With no suite named, all run; several suites run one process each, so that none inherits another\'s\n' +
    'JIT state or heap. Prints each suite\'s figures as tables (sizes, times and rates in units), or one\n' +
    'JSON document of raw numbers with --json (one suite: its figures; several: an object by suite name).\n' +
    'Informational lines go to stderr. Speed targets are checked here, never in unit tests.',
  options: {
    quick: {
      type: 'boolean',
      description:
        'small sizes and single repeats: checks in seconds that a suite still runs (the test suite does this); ' +
        'its figures are not measurements and must not be quoted',
    },
    network: {
      type: 'string',
      value: 'A,B,C,D,CIFAR',
      description: 'for e2e: the benchmark networks to run, comma-separated (default A,B,C,D; each under local, LAN and WAN unless a profile is given; CIFAR locally)',
    },
    scale: {
      type: 'string',
      value: '<fraction>',
      description: 'for serve: run this fraction of the full counts (0 < f ≤ 1; clients and inferences each by √f, killed clients and the soak by f), for a shorter run; the figures state the counts run',
    },
    ...NETWORK_OPTIONS,
  },
  examples: [
    { command: 'gazelle bench ot', explanation: 'OT figures as tables: base OTs, IKNP correlated/random/chosen OTs per second, bytes per OT' },
    { command: 'gazelle bench gc --json > gc.json', explanation: 'garbling figures as one JSON document' },
    { command: 'gazelle bench ot circuit --quick', explanation: 'a quick check that two suites run, each in its own process' },
    { command: 'gazelle bench serve --json', explanation: 'gazelle serve with network D under 8 concurrent clients, 100 killed ones and a soak of 1,000 inferences (long: --scale 0.2 runs a fifth)' },
    { command: 'gazelle bench e2e --network D --json', explanation: 'network D end to end in two processes, under local, LAN and WAN: seconds, bytes and rounds per phase and layer' },
  ],
  async run({ positionals, values, json, quiet, config, registry, progress, stdout, info }) {
    const names = positionals.length > 0 ? positionals : Object.keys(BENCH_SUITES);
    checkSuites(names, config.network !== undefined && isShaped(config.network));
    const results = await runSuites(names, { values, config, registry, json, quiet, progress, info, network: config.network });
    if (json) {
      stdout(JSON.stringify(names.length === 1 ? results[names[0]!] : results, null, 2));
    } else {
      for (const name of names) stdout(renderFigures(results[name] as Record<string, unknown>, `${name}${config.network ? ` (network: ${config.network.name})` : ''}`) + '\n');
    }
    return 0;
  },
};
