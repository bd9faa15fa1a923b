/**
 * Configuration: which plugin serves each kind, with options, and whether test doubles are allowed.
 * Read from a JSON file and/or CLI flags; validated against the registry with `ConfigError`s.
 */
import { readFileSync } from 'node:fs';
import { resolveNetworkProfile, type NetworkProfile } from './channel/network-profile.ts';
import { ConfigError } from './errors.ts';
import { PLUGIN_KINDS, type PluginKind, type PluginOptions } from './plugin.ts';
import type { PluginRegistry } from './registry.ts';

export interface PluginSelection {
  readonly name: string;
  readonly options: PluginOptions;
}

export interface GazelleConfig {
  /** `production` refuses `insecure-test-only` plugins; `test` allows them. */
  readonly profile: 'production' | 'test';
  readonly plugins: Readonly<Partial<Record<PluginKind, PluginSelection>>>;
  /** External plugin modules to load before selection (paths relative to the config file's directory or cwd). */
  readonly pluginModules: readonly string[];
  /**
   * The simulated link (channel/network-profile.ts): the wiring wraps the transport in a
   * `ShapingTransport` unless it is absent or `local`.
   */
  readonly network?: NetworkProfile;
}

/** The default plugin of each kind. */
export const DEFAULT_PLUGINS: Readonly<Record<PluginKind, string>> = {
  transport: 'in-memory',
  'base-ot': 'chou-orlandi',
  'ot-extension': 'iknp',
  garbling: 'half-gates',
  he: 'seal-bfv',
  linear: 'gazelle',
  masks: 'uniform',
};

export function defaultConfig(): GazelleConfig {
  return { profile: 'production', plugins: {}, pluginModules: [] };
}

/** Parse and validate a configuration object (e.g. from JSON). */
export function parseConfig(raw: unknown, source = 'configuration'): GazelleConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${source}: expected a JSON object with "profile", "plugins", "pluginModules" and "network"`);
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!CONFIG_KEYS.includes(key)) {
      throw new ConfigError(`${source}: unknown key "${key}"; valid keys: ${CONFIG_KEYS.join(', ')}`);
    }
  }
  const profile = obj.profile ?? 'production';
  if (profile !== 'production' && profile !== 'test') {
    throw new ConfigError(`${source}: "profile" must be "production" or "test", got ${JSON.stringify(profile)}`);
  }
  const plugins: Partial<Record<PluginKind, PluginSelection>> = {};
  const rawPlugins = obj.plugins ?? {};
  if (typeof rawPlugins !== 'object' || rawPlugins === null || Array.isArray(rawPlugins)) {
    throw new ConfigError(`${source}: "plugins" must map a kind to a plugin name or { "name", "options" }`);
  }
  for (const [kind, value] of Object.entries(rawPlugins)) {
    if (!PLUGIN_KINDS.includes(kind as PluginKind)) {
      throw new ConfigError(`${source}: unknown plugin kind "${kind}"; valid kinds: ${PLUGIN_KINDS.join(', ')}`);
    }
    plugins[kind as PluginKind] = parseSelection(value, `${source}: plugins.${kind}`);
  }
  const modules = obj.pluginModules ?? [];
  if (!Array.isArray(modules) || modules.some((m) => typeof m !== 'string')) {
    throw new ConfigError(`${source}: "pluginModules" must be an array of module paths`);
  }
  const network = obj.network === undefined ? undefined : parseNetwork(obj.network, `${source}: "network"`);
  return { profile, plugins, pluginModules: modules as string[], ...(network !== undefined ? { network } : {}) };
}

const CONFIG_KEYS = ['profile', 'plugins', 'pluginModules', 'network'];

/** `"wan"`, or `{ "profile"?: "lan", "latencyMs"?: 20, "bandwidthMbps"?: 400 }`. */
function parseNetwork(value: unknown, where: string): NetworkProfile {
  if (typeof value === 'string') return resolveNetworkProfile({ profile: value }, where);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const spec = value as Record<string, unknown>;
    for (const key of Object.keys(spec)) {
      if (!['profile', 'latencyMs', 'bandwidthMbps'].includes(key)) {
        throw new ConfigError(`${where}: unknown key "${key}"; valid keys: profile, latencyMs, bandwidthMbps`);
      }
    }
    if (spec.profile !== undefined && typeof spec.profile !== 'string') throw new ConfigError(`${where}: "profile" must be a string`);
    return resolveNetworkProfile(spec as { profile?: string; latencyMs?: number; bandwidthMbps?: number }, where);
  }
  throw new ConfigError(`${where}: expected a profile name (local, lan, wan) or { "profile", "latencyMs", "bandwidthMbps" }`);
}

function parseSelection(value: unknown, where: string): PluginSelection {
  if (typeof value === 'string') return { name: value, options: {} };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { name, options = {} } = value as { name?: unknown; options?: unknown };
    if (typeof name !== 'string') throw new ConfigError(`${where}: "name" must be a string`);
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new ConfigError(`${where}: "options" must be an object`);
    }
    return { name, options: options as PluginOptions };
  }
  throw new ConfigError(`${where}: expected a plugin name or { "name": ..., "options": {...} }`);
}

/**
 * `config` as the JSON `parseConfig` reads back into the same configuration (for a worker thread
 * or a child process, and for reports). A network profile is written as its figures.
 */
export function configToJson(config: GazelleConfig): Record<string, unknown> {
  const { network } = config;
  return {
    profile: config.profile,
    plugins: config.plugins,
    pluginModules: config.pluginModules,
    ...(network === undefined
      ? {}
      : {
          network:
            network.name !== 'custom'
              ? network.name
              : { latencyMs: network.latencyMs, ...(Number.isFinite(network.bandwidthBytesPerSecond) ? { bandwidthMbps: (network.bandwidthBytesPerSecond * 8) / 1e6 } : {}) },
        }),
  };
}

/** Read a JSON configuration file. */
export function loadConfigFile(path: string): GazelleConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read configuration file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`configuration file ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseConfig(raw, path);
}

/** `base` with the selections of `override` on top. */
export function mergeConfig(base: GazelleConfig, override: Partial<GazelleConfig>): GazelleConfig {
  const network = override.network ?? base.network;
  return {
    profile: override.profile ?? base.profile,
    plugins: { ...base.plugins, ...override.plugins },
    pluginModules: [...base.pluginModules, ...(override.pluginModules ?? [])],
    ...(network !== undefined ? { network } : {}),
  };
}

/**
 * `config` with plugin `name` chosen for `kind` (a command-line choice such as `--use transport=tcp`).
 * The options configured for that kind stay when they belong to the same plugin: choosing TCP on the
 * command line must not drop the TCP options of the configuration file.
 */
export function choosePlugin(config: GazelleConfig, kind: PluginKind, name: string): GazelleConfig {
  const current = config.plugins[kind];
  const options = current?.name === name ? current.options : {};
  return { ...config, plugins: { ...config.plugins, [kind]: { name, options } } };
}

/**
 * `config` with `options` set over those of the plugin selected for `kind` (configured, or the
 * default): what a bench needs to run the configured HE backend at each preset, or the configured
 * TCP transport with its own frame size.
 */
export function withPluginOptions(config: GazelleConfig, kind: PluginKind, options: PluginOptions): GazelleConfig {
  const current = config.plugins[kind] ?? { name: DEFAULT_PLUGINS[kind], options: {} };
  return { ...config, plugins: { ...config.plugins, [kind]: { name: current.name, options: { ...current.options, ...options } } } };
}

/** The selection for `kind`: configured, or the default; checked against the registry and the profile. */
export function selectPlugin(config: GazelleConfig, registry: PluginRegistry, kind: PluginKind): PluginSelection {
  const selection = config.plugins[kind] ?? { name: DEFAULT_PLUGINS[kind], options: {} };
  const plugin = registry.get(kind, selection.name);
  if (plugin.security === 'insecure-test-only' && config.profile !== 'test') {
    const secure = registry.names(kind).filter((n) => registry.get(kind, n).security !== 'insecure-test-only');
    throw new ConfigError(
      `${kind} plugin "${selection.name}" is insecure-test-only and the profile is "${config.profile}"; ` +
        `choose one of ${secure.join(', ') || '(none)'} or set "profile": "test"`,
    );
  }
  return selection;
}
