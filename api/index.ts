/**
 * `gazelle-ts`: the public API. Everything a program needs to run the protocol's pieces through
 * the plugin mechanism, as the command line does: build a configuration, wire one plugin per kind,
 * and run what the engines offer on their interfaces. Deeper modules are internal and may change.
 *
 * ```ts
 * import { builtinRegistry, parseConfig, wire, runGcLocally, circuitProgram, loadBristolFile } from 'gazelle-ts';
 * const wiring = await wire(parseConfig({ network: 'wan' }), builtinRegistry(), ['transport', 'ot-extension', 'garbling']);
 * const circuit = loadBristolFile('aes_128.txt');
 * const result = await runGcLocally({ transport: wiring.get('transport'), ot: wiring.get('ot-extension'),
 *   program: circuitProgram(circuit, 1), garblerInputs: [[key]], evaluatorInputs: [[plaintext]],
 *   options: { scheme: wiring.get('garbling') } });
 * await wiring.dispose();
 * ```
 */

// Plugin definition and the interfaces of every kind (also `gazelle-ts/plugin`), errors included.
export * from './plugin.ts';

// Configuration and wiring: one plugin per kind, chosen by configuration; built-ins; external modules.
export { choosePlugin, DEFAULT_PLUGINS, defaultConfig, loadConfigFile, mergeConfig, parseConfig, selectPlugin } from '../core/config.ts';
export type { GazelleConfig, PluginSelection } from '../core/config.ts';
export { wire } from '../core/container.ts';
export type { Wiring } from '../core/container.ts';
export { PluginRegistry } from '../core/registry.ts';
export type { RegisteredPlugin } from '../core/registry.ts';
export { BUILTIN_PLUGINS, builtinRegistry } from '../plugins/index.ts';

// Network profiles (config "network"): the wiring shapes the transport to them.
export { describeNetworkProfile, NETWORK_PROFILE_NAMES, NETWORK_PROFILES, resolveNetworkProfile } from '../core/channel/network-profile.ts';
export type { NetworkProfile, NetworkProfileName, NetworkSpec } from '../core/channel/network-profile.ts';
export { CountingChannel } from '../core/channel/counting.ts';
export type { ChannelStats, TrafficStats } from '../core/channel/counting.ts';

// Garbled circuits: Bristol circuits, programs, the two-party runner.
export { DEFAULT_MAX_CIRCUIT_BYTES, loadBristolFile, parseBristol } from '../core/circuit/bristol.ts';
export type { BristolFileOptions, BristolFormat, BristolParseOptions } from '../core/circuit/bristol.ts';
export { writeBristolFashion } from '../core/circuit/bristol-fashion.ts';
export type { Circuit } from '../core/circuit/circuit.ts';
export { circuitProgram } from '../core/gc/program.ts';
export type { GcProgram } from '../core/gc/program.ts';
export { garbleAndSend, receiveAndEvaluate } from '../core/gc/runner.ts';
export type { GcInputValues, GcRunOptions, GcRunStats } from '../core/gc/runner.ts';
export { runGcLocally } from '../core/gc/local-run.ts';
export type { LocalGcResult } from '../core/gc/local-run.ts';

// Progress of long phases, for engines and their callers.
export { NO_PROGRESS } from '../core/progress.ts';
export type { Progress, ProgressPhase } from '../core/progress.ts';
