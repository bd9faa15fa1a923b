/**
 * How a bench suite obtains what it measures: the plugins of the command's configuration
 * (`--config`, `--use`, `--plugin`) through the wiring, never by constructing a plugin class. A
 * suite that measures one plugin on purpose (the in-memory transport of a turn-taking clock,
 * half-gates against classic) chooses it in the configuration (`choosePlugin`, `withPluginOptions`).
 */
import { configToJson, defaultConfig, parseConfig, type GazelleConfig } from '../core/config.ts';
import { wire, withWiring, type Wiring } from '../core/container.ts';
import type { PluginKind } from '../core/plugin.ts';
import { PluginRegistry } from '../core/registry.ts';
import { builtinRegistry } from '../plugins/index.ts';
import type { BenchOptions } from './suite.ts';

/** The command's configuration, or the defaults (a suite run from code). */
export function benchConfig(options: BenchOptions): GazelleConfig {
  return options.config ?? defaultConfig();
}

/** The plugins of `kinds` as `config` (default: the command's) selects them, from the command's registry. */
export function wireBench(options: BenchOptions, kinds: readonly PluginKind[], config = benchConfig(options)): Promise<Wiring> {
  return wire(config, options.registry ?? builtinRegistry(), kinds);
}

/** `body` with the wiring of `kinds` as `config` selects them, disposed of after. */
export function withBenchWiring<T>(options: BenchOptions, kinds: readonly PluginKind[], config: GazelleConfig, body: (wiring: Wiring) => Promise<T>): Promise<T> {
  return withWiring(config, options.registry ?? builtinRegistry(), kinds, body);
}

/** `config` and the suite's registry as one command-line argument, for a process the suite starts. */
export function wiringArgument(options: BenchOptions, config: GazelleConfig): string {
  return JSON.stringify({ config: configToJson(config), registry: (options.registry ?? builtinRegistry()).source });
}

/** In a process a suite started: the configuration and registry of `wiringArgument`. */
export async function readWiringArgument(argument: string): Promise<{ config: GazelleConfig; registry: PluginRegistry }> {
  const { config, registry } = JSON.parse(argument) as { config: unknown; registry: PluginRegistry['source'] };
  return { config: parseConfig(config, 'bench process argument'), registry: await PluginRegistry.fromSource(registry) };
}
