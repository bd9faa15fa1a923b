/**
 * Wires the selected plugins: creates one plugin of each needed kind, in dependency order, and
 * holds the instances by kind. A plain typed registry rather than a DI container: plugins are
 * looked up by kind, never injected by constructor, and `get` returns the kind's interface type
 * (README, "Configuration and plugins", says why tsyringe was dropped).
 */
import { isShaped } from './channel/network-profile.ts';
import { ShapingTransport } from './channel/shaping-transport.ts';
import { selectPlugin, type GazelleConfig } from './config.ts';
import { ConfigError } from './errors.ts';
import { PLUGIN_KINDS, type PluginKind, type PluginKinds, type Plugins } from './plugin.ts';
import type { PluginRegistry } from './registry.ts';

export interface Wiring extends Plugins {
  /** Release what the plugins hold (native memory, sockets), last created first. */
  dispose(): Promise<void>;
}

/** The created plugins by kind; `get` of a kind that was not wired is a `ConfigError` naming the wired ones. */
class WiredPlugins implements Plugins {
  readonly #instances = new Map<PluginKind, unknown>();

  set<K extends PluginKind>(kind: K, instance: PluginKinds[K]): void {
    this.#instances.set(kind, instance);
  }

  get<K extends PluginKind>(kind: K): PluginKinds[K] {
    if (!this.#instances.has(kind)) {
      throw new ConfigError(`no ${kind} plugin is wired here; wired kinds: ${[...this.#instances.keys()].join(', ') || '(none)'}`);
    }
    return this.#instances.get(kind) as PluginKinds[K];
  }
}

/**
 * Create the plugins of `kinds` (and of every kind they depend on: all earlier kinds are created
 * first, in `PLUGIN_KINDS` order). With a network profile in the configuration, the transport
 * every plugin and caller gets is shaped to it (`ShapingTransport`).
 */
export async function wire(config: GazelleConfig, registry: PluginRegistry, kinds: readonly PluginKind[]): Promise<Wiring> {
  const plugins = new WiredPlugins();
  const created: unknown[] = [];
  const last = Math.max(...kinds.map((k) => PLUGIN_KINDS.indexOf(k)));
  const needed = new Set<PluginKind>(kinds);
  try {
    for (const kind of PLUGIN_KINDS.slice(0, last + 1)) {
      if (!needed.has(kind) && !dependsOnEarlier(kind, needed)) continue;
      const selection = selectPlugin(config, registry, kind);
      const instance = await registry.get(kind, selection.name).create(selection.options, plugins);
      created.push(instance);
      plugins.set(kind, kind === 'transport' ? withNetwork(instance as PluginKinds['transport'], config) : instance);
    }
  } catch (error) {
    await disposeAll(created);
    throw error;
  }
  return {
    get: (kind) => plugins.get(kind),
    dispose: () => disposeAll(created),
  };
}

/** `body` with the plugins of `kinds` (`wire`), disposed of when it ends, however it ends. */
export async function withWiring<T>(config: GazelleConfig, registry: PluginRegistry, kinds: readonly PluginKind[], body: (wiring: Wiring) => Promise<T>): Promise<T> {
  const wiring = await wire(config, registry, kinds);
  try {
    return await body(wiring);
  } finally {
    await wiring.dispose();
  }
}

/** The transport as configured, or shaped to the configuration's network profile (design §3: LAN/WAN runs). */
function withNetwork(transport: PluginKinds['transport'], config: GazelleConfig): PluginKinds['transport'] {
  return config.network !== undefined && isShaped(config.network) ? new ShapingTransport(transport, config.network) : transport;
}

/**
 * Kinds that other kinds build on: an OT extension needs a base OT. (Linear kernels take the HE
 * backend per call, so the engine's main thread can plan with them without loading the HE library.)
 */
const DEPENDENCIES: Readonly<Partial<Record<PluginKind, readonly PluginKind[]>>> = {
  'ot-extension': ['base-ot'],
};

function dependsOnEarlier(kind: PluginKind, needed: Set<PluginKind>): boolean {
  for (const [dependent, deps] of Object.entries(DEPENDENCIES)) {
    if (needed.has(dependent as PluginKind) && deps!.includes(kind)) return true;
  }
  return false;
}

async function disposeAll(items: readonly unknown[]): Promise<void> {
  for (const item of [...items].reverse()) {
    const d = item as { dispose?: () => unknown };
    if (typeof d.dispose === 'function') await d.dispose();
  }
}
