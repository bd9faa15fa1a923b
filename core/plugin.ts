/**
 * The plugin mechanism: a plugin declares its kind, name and security model and knows how to
 * create its implementation. Configuration picks one plugin per kind; the container wires them.
 */
import type { Transport } from './transport.ts';
import type { BaseOt, OtExtension } from './ot.ts';
import type { GarblingScheme } from './garbling.ts';
import type { HeBackend } from './he.ts';
import type { LinearKernels } from './linear.ts';
import type { MaskSampler } from './masks.ts';

/** What each plugin kind implements. */
export interface PluginKinds {
  transport: Transport;
  'base-ot': BaseOt;
  'ot-extension': OtExtension;
  garbling: GarblingScheme;
  he: HeBackend;
  linear: LinearKernels;
  masks: MaskSampler;
}

export type PluginKind = keyof PluginKinds;

/** Every kind, in dependency order (a kind's plugins may resolve only kinds listed before it). */
export const PLUGIN_KINDS: readonly PluginKind[] = ['transport', 'base-ot', 'ot-extension', 'garbling', 'he', 'linear', 'masks'];

/**
 * `semi-honest`: secure against honest-but-curious parties (the project's model).
 * `insecure-test-only`: a test double (trusted dealer, plaintext HE...), refused outside test configurations.
 */
export type SecurityModel = 'semi-honest' | 'insecure-test-only';
export const SECURITY_MODELS: readonly SecurityModel[] = ['semi-honest', 'insecure-test-only'];

/** Options for a plugin, from the configuration (JSON values). */
export type PluginOptions = Readonly<Record<string, unknown>>;

export interface Plugin<K extends PluginKind = PluginKind> {
  readonly kind: K;
  readonly name: string;
  readonly security: SecurityModel;
  /** One line for `gazelle plugins`. */
  readonly description: string;
  /**
   * Build the implementation. `plugins` already holds the plugins of the earlier kinds this one
   * depends on (see `PLUGIN_KINDS`): an OT extension takes `plugins.get('base-ot')`.
   */
  create(options: PluginOptions, plugins: Plugins): PluginKinds[K] | Promise<PluginKinds[K]>;
}

/** The plugins wired so far, by kind (`core/container.ts`). */
export interface Plugins {
  get<K extends PluginKind>(kind: K): PluginKinds[K];
}

/** Any plugin, whatever its kind. */
export type AnyPlugin = { [K in PluginKind]: Plugin<K> }[PluginKind];

/** Identity with a type check; plugin modules use it to declare themselves. */
export function definePlugin<K extends PluginKind>(plugin: Plugin<K>): Plugin<K> {
  return plugin;
}
