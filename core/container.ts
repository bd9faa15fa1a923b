/** Wires the selected plugins into a tsyringe container under their `KIND_TOKENS`. */
import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { isShaped } from './channel/network-profile.ts';
import { ShapingTransport } from './channel/shaping-transport.ts';
import { selectPlugin, type GazelleConfig } from './config.ts';
import { PLUGIN_KINDS, type PluginKind, type PluginKinds } from './plugin.ts';
import type { PluginRegistry } from './registry.ts';
import { KIND_TOKENS, TOKENS } from './tokens.ts';

export interface Wiring {
  readonly container: DependencyContainer;
  /** The implementation of `kind` (must have been among the requested kinds). */
  get<K extends PluginKind>(kind: K): PluginKinds[K];
  /** Release what the plugins hold (native memory, sockets). */
  dispose(): Promise<void>;
}

/**
 * Create the plugins of `kinds` (and of every kind they may depend on: all earlier kinds are created
 * first, in `PLUGIN_KINDS` order) in a fresh child container. With a network profile in the
 * configuration, the transport every plugin and caller resolves is shaped to it (`ShapingTransport`).
 */
export async function wire(config: GazelleConfig, registry: PluginRegistry, kinds: readonly PluginKind[]): Promise<Wiring> {
  const child = rootContainer.createChildContainer();
  child.registerInstance(TOKENS.Config, config);
  const created: unknown[] = [];
  const last = Math.max(...kinds.map((k) => PLUGIN_KINDS.indexOf(k)));
  const needed = new Set<PluginKind>(kinds);
  try {
    for (const kind of PLUGIN_KINDS.slice(0, last + 1)) {
      if (!needed.has(kind) && !dependsOnEarlier(kind, needed)) continue;
      const selection = selectPlugin(config, registry, kind);
      const instance = await registry.get(kind, selection.name).create(selection.options, child);
      created.push(instance);
      child.registerInstance(KIND_TOKENS[kind], kind === 'transport' ? withNetwork(instance as PluginKinds['transport'], config) : instance);
    }
  } catch (error) {
    await disposeAll(created);
    throw error;
  }
  return {
    container: child,
    get: (kind) => child.resolve(KIND_TOKENS[kind]),
    dispose: () => disposeAll(created),
  };
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
    const d = item as { dispose?: () => unknown; close?: () => unknown };
    if (typeof d.dispose === 'function') await d.dispose();
  }
}
