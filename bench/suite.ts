/** A benchmark suite: `gazelle bench <name>` runs it and prints its result (JSON with --json). */
import type { NetworkProfile } from '../core/channel/network-profile.ts';
import type { GazelleConfig } from '../core/config.ts';
import type { Progress } from '../core/progress.ts';
import type { PluginRegistry } from '../core/registry.ts';

export interface BenchOptions {
  /** Quick mode: small sizes, for smoke tests of the bench code itself. */
  readonly quick: boolean;
  /** Progress lines (to stderr), silent in JSON mode. */
  readonly log: (line: string) => void;
  /** Long phases (layers, repeats): bars when someone watches a terminal; absent means nobody watches. */
  readonly progress?: Progress;
  /**
   * The network profile the user asked for (`--network-profile`, `--latency-ms`, `--bandwidth-mbps`,
   * or the configuration's "network"); undefined if none. Only suites whose `BENCH_SUITES` entry says
   * `network: true` get one: they run over `wire(config)`'s shaped transport or a `ShapingTransport`.
   */
  readonly network?: NetworkProfile;
  /** The configuration of the command (`--config`, `--use`, `--profile`): the plugins a suite wires (bench/wiring.ts). */
  readonly config?: GazelleConfig;
  /** The command's plugin registry (built-ins and `--plugin` modules); default: the built-ins. */
  readonly registry?: PluginRegistry;
  /** `--scale`: the fraction of its full counts a long suite runs (serve); undefined means all of them. */
  readonly scale?: number;
  /** `--network`: the benchmark networks (A, B, C, D, CIFAR) a suite that runs models measures. */
  readonly networks?: readonly string[];
}

export interface BenchSuite {
  readonly name: string;
  readonly summary: string;
  run(options: BenchOptions): Promise<Record<string, unknown>>;
}
