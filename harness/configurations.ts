/**
 * Configurations by name or file, for the step library and `gazelle compare`: a name is one of the
 * JSON files shipped in the package's `configs/` (secure, fast, classic, tcp, wan); anything with a
 * path separator or a `.json` ending is a configuration file of the user's. Each comes with the
 * registry it needs (built-ins plus its own plugin modules, relative to its file), so that two
 * configurations compared side by side never see each other's plugins. Plugins are obtained only
 * through the wiring, from this configuration and registry.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadConfigFile, selectPlugin, type GazelleConfig } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import { PACKAGE_ROOT } from '../core/package-root.ts';
import type { PluginKind } from '../core/plugin.ts';
import type { PluginRegistry } from '../core/registry.ts';
import { builtinRegistry } from '../plugins/index.ts';

/** The named configurations shipped with the package. */
export const CONFIGS_DIR = join(PACKAGE_ROOT, 'configs');

export interface NamedConfiguration {
  /** The name it was given by (`secure`), or the file's name without `.json`. */
  readonly name: string;
  /** The file it was read from. */
  readonly file: string;
  readonly config: GazelleConfig;
}

/** Names of the shipped configurations. */
export function configurationNames(): string[] {
  return existsSync(CONFIGS_DIR) ? readdirSync(CONFIGS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort() : [];
}

function isFileReference(nameOrFile: string): boolean {
  return nameOrFile.endsWith('.json') || nameOrFile.includes('/') || nameOrFile.includes('\\');
}

/** `secure` (a shipped configuration) or `path/to/config.json` (relative to `cwd`). */
export function resolveConfiguration(nameOrFile: string, cwd = process.cwd()): NamedConfiguration {
  if (isFileReference(nameOrFile)) {
    const file = resolve(cwd, nameOrFile);
    return { name: basename(file, '.json'), file, config: loadConfigFile(file) };
  }
  const file = join(CONFIGS_DIR, `${nameOrFile}.json`);
  if (!/^[\w.-]+$/.test(nameOrFile) || !existsSync(file)) {
    throw new ConfigError(`no configuration "${nameOrFile}": name one of ${configurationNames().join(', ')}, or a JSON file (path/to/config.json)`);
  }
  return { name: nameOrFile, file, config: loadConfigFile(file) };
}

/**
 * The registry `configuration` runs with: the built-ins, then `extraModules` (the command line's
 * `--plugin`, relative to `cwd`), then its own plugin modules (relative to its file); every
 * configured selection checked against it and the profile.
 */
export async function registryFor(configuration: NamedConfiguration, extraModules: readonly string[] = [], cwd = process.cwd()): Promise<PluginRegistry> {
  const registry = builtinRegistry();
  for (const module of extraModules) await registry.loadModule(module, cwd);
  for (const module of configuration.config.pluginModules) await registry.loadModule(module, dirname(configuration.file));
  for (const kind of Object.keys(configuration.config.plugins) as PluginKind[]) selectPlugin(configuration.config, registry, kind);
  return registry;
}
