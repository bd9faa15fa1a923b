/** The set of known plugins: built-ins plus any loaded from external modules. */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './errors.ts';
import { PLUGIN_KINDS, SECURITY_MODELS, type AnyPlugin, type Plugin, type PluginKind } from './plugin.ts';

export interface RegisteredPlugin {
  readonly plugin: AnyPlugin;
  /** `builtin`, or the module path it was loaded from. */
  readonly origin: string;
}

/**
 * Where a registry's plugins came from, so that another thread can rebuild the same registry
 * (plugin objects hold functions and cannot be sent to a worker): a module exporting
 * `builtinRegistry()`, then the plugin modules in the order they were loaded.
 */
export interface RegistrySource {
  readonly builtins?: string;
  readonly modules: readonly string[];
}

export class PluginRegistry {
  readonly #byKind = new Map<PluginKind, Map<string, RegisteredPlugin>>();
  readonly #builtins: string | undefined;
  readonly #modules: string[] = [];

  /** `builtinsModule`: the URL of the module whose `builtinRegistry()` made this registry, if any. */
  constructor(builtinsModule?: string) {
    this.#builtins = builtinsModule;
  }

  /** Rebuild a registry from its `source` (in a worker thread, say). */
  static async fromSource(source: RegistrySource): Promise<PluginRegistry> {
    let registry = new PluginRegistry();
    if (source.builtins !== undefined) {
      const module = (await import(source.builtins)) as { builtinRegistry?: () => PluginRegistry };
      if (typeof module.builtinRegistry !== 'function') throw new ConfigError(`${source.builtins} exports no builtinRegistry()`);
      registry = module.builtinRegistry();
    }
    for (const path of source.modules) await registry.loadModule(path);
    return registry;
  }

  get source(): RegistrySource {
    return { ...(this.#builtins !== undefined ? { builtins: this.#builtins } : {}), modules: [...this.#modules] };
  }

  /** Add `plugin`; one with the same kind and name replaces the earlier one (how users override built-ins). */
  register(plugin: AnyPlugin, origin = 'builtin'): void {
    validatePlugin(plugin, origin);
    let named = this.#byKind.get(plugin.kind);
    if (!named) this.#byKind.set(plugin.kind, (named = new Map()));
    named.set(plugin.name, { plugin, origin });
  }

  /** The plugin `name` of `kind`, or a `ConfigError` listing the valid names. */
  get<K extends PluginKind>(kind: K, name: string): Plugin<K> {
    const entry = this.#byKind.get(kind)?.get(name);
    if (!entry) {
      const valid = this.names(kind);
      throw new ConfigError(
        `unknown ${kind} plugin "${name}"; valid choices: ${valid.length ? valid.join(', ') : '(none registered)'}`,
      );
    }
    return entry.plugin as unknown as Plugin<K>;
  }

  has(kind: PluginKind, name: string): boolean {
    return this.#byKind.get(kind)?.has(name) ?? false;
  }

  names(kind: PluginKind): string[] {
    return [...(this.#byKind.get(kind)?.keys() ?? [])].sort();
  }

  /** Every registered plugin, by kind order then name. */
  list(): RegisteredPlugin[] {
    return PLUGIN_KINDS.flatMap((kind) => this.names(kind).map((name) => this.#byKind.get(kind)!.get(name)!));
  }

  /**
   * Import a module and register the plugins it exports: a default export that is a plugin or an
   * array of plugins, and/or named exports that are plugins. Anything else is a `ConfigError`.
   */
  async loadModule(modulePath: string, cwd = process.cwd(), timeoutMs = PLUGIN_LOAD_TIMEOUT_MS): Promise<AnyPlugin[]> {
    const absolute = isAbsolute(modulePath) ? modulePath : resolve(cwd, modulePath);
    const module = await importPluginModule(absolute, timeoutMs);
    const candidates: unknown[] = [];
    for (const [key, value] of Object.entries(module)) {
      if (key === 'default' && Array.isArray(value)) candidates.push(...value);
      else if (looksLikePlugin(value)) candidates.push(value);
    }
    if (candidates.length === 0) {
      throw new ConfigError(
        `plugin module ${absolute} exports no plugin: export default definePlugin({ kind, name, security, description, create })`,
      );
    }
    const plugins = candidates.map((candidate) => {
      validatePlugin(candidate, absolute);
      return candidate as AnyPlugin;
    });
    for (const plugin of plugins) this.register(plugin, absolute);
    this.#modules.push(absolute);
    return plugins;
  }
}

/** How long a plugin module may take to load (its top-level code and awaits) before it is a `ConfigError`. */
export const PLUGIN_LOAD_TIMEOUT_MS = 30_000;

/**
 * Import a plugin module, or fail with a `ConfigError` saying why it did not load. A top-level
 * await that waits on nothing that can still happen would otherwise end the process silently: Node
 * exits with code 13 once the event loop is empty. 'beforeExit' is emitted just before that, while
 * the import is still pending, so it is reported then; an await that keeps the loop busy for ever
 * (a timer, a socket) is caught by the timeout, whose timer does not itself keep the loop alive.
 */
function importPluginModule(path: string, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, module?: Record<string, unknown>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      process.off('beforeExit', stuck);
      if (error === undefined) resolve(module!);
      else reject(error);
    };
    const stuck = (): void =>
      finish(new ConfigError(`plugin module ${path} never finished loading: its top-level await waits on something that can never happen`));
    const timer = setTimeout(
      () => finish(new ConfigError(`plugin module ${path} did not finish loading within ${timeoutMs / 1000} s (is its top-level await waiting for ever?)`)),
      timeoutMs,
    );
    timer.unref();
    process.once('beforeExit', stuck);
    import(pathToFileURL(path).href).then(
      (module: Record<string, unknown>) => finish(undefined, module),
      (error: unknown) => finish(new ConfigError(`cannot load plugin module ${path}: ${(error as Error).message}`, { cause: error })),
    );
  });
}

function looksLikePlugin(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'kind' in value && 'create' in value;
}

function validatePlugin(value: unknown, origin: string): asserts value is AnyPlugin {
  const where = origin === 'builtin' ? 'built-in plugin' : `plugin from ${origin}`;
  if (typeof value !== 'object' || value === null) throw new ConfigError(`${where} is not an object`);
  const p = value as Partial<Record<keyof AnyPlugin, unknown>>;
  if (typeof p.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(p.name)) {
    throw new ConfigError(`${where} has an invalid name ${JSON.stringify(p.name)}: use lower-case letters, digits and '-'`);
  }
  if (!PLUGIN_KINDS.includes(p.kind as PluginKind)) {
    throw new ConfigError(`${where} "${p.name}" has unknown kind ${JSON.stringify(p.kind)}; valid kinds: ${PLUGIN_KINDS.join(', ')}`);
  }
  if (!SECURITY_MODELS.includes(p.security as never)) {
    throw new ConfigError(
      `${where} "${p.name}" has unknown security model ${JSON.stringify(p.security)}; valid: ${SECURITY_MODELS.join(', ')}`,
    );
  }
  if (typeof p.create !== 'function') throw new ConfigError(`${where} "${p.name}" has no create() function`);
  if (typeof p.description !== 'string') throw new ConfigError(`${where} "${p.name}" has no description`);
}
