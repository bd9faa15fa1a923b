/**
 * `gazelle` command line. Exit codes: 0 ok, 1 failure, 2 usage or configuration error.
 * Global flags: --json, --config <file>, --plugin <module> (repeatable), --profile, --use kind=name.
 */
import { parseArgs } from 'node:util';
import { dirname, resolve } from 'node:path';
import { defaultConfig, loadConfigFile, mergeConfig, parseConfig, selectPlugin, type GazelleConfig } from '../core/config.ts';
import type { PluginKind } from '../core/plugin.ts';
import { ConfigError, GazelleError } from '../core/errors.ts';
import { builtinRegistry } from '../plugins/index.ts';
import { UsageError, type Command, type OptionSpec } from './command.ts';
import { COMMANDS } from './commands/index.ts';

const GLOBAL_OPTIONS: OptionSpec = {
  json: { type: 'boolean' },
  config: { type: 'string' },
  plugin: { type: 'string', multiple: true },
  profile: { type: 'string' },
  use: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
};

const GLOBAL_HELP = `Global options:
  --json               machine-readable output (one JSON document on stdout)
  --config <file>      JSON configuration: { "profile", "plugins": { kind: name | {name, options} }, "pluginModules" }
  --plugin <module>    load plugins from a module (repeatable); same kind and name replaces a built-in
  --use <kind=name>    select a plugin for a kind (repeatable), overriding the configuration
  --profile <p>        production (default) or test (allows insecure-test-only plugins)
  -h, --help           help`;

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'gazelle: private CNN inference (BFV + garbled circuits) and its verification harness',
    '',
    'Usage: gazelle <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL_HELP,
    '',
    'Exit codes: 0 ok, 1 failure, 2 usage or configuration error.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return `Usage: gazelle ${command.name} ${command.usage}\n\n${command.summary}\n\n${GLOBAL_HELP}`;
}

async function buildConfig(values: Record<string, unknown>): Promise<{ config: GazelleConfig; base: string }> {
  let config = defaultConfig();
  let base = process.cwd();
  if (typeof values.config === 'string') {
    config = loadConfigFile(values.config);
    base = dirname(resolve(values.config));
  }
  const plugins: Record<string, string> = {};
  for (const use of (values.use as string[] | undefined) ?? []) {
    const [kind, name] = use.split('=');
    if (!kind || !name) throw new UsageError(`--use expects kind=name, got "${use}"`);
    plugins[kind] = name;
  }
  const override = parseConfig({ plugins, ...(values.profile !== undefined ? { profile: values.profile } : {}) }, 'command line');
  config = mergeConfig(config, {
    plugins: override.plugins,
    ...(values.profile !== undefined ? { profile: override.profile } : {}),
    pluginModules: (values.plugin as string[] | undefined) ?? [],
  });
  return { config, base };
}

export async function main(argv: readonly string[]): Promise<number> {
  const stdout = (text: string) => process.stdout.write(text + '\n');
  const stderr = (text: string) => process.stderr.write(text + '\n');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    stdout(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    stderr(`gazelle: unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}\n(see gazelle --help)`);
    return 2;
  }
  let json = false;
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      stdout(commandHelp(command));
      return 0;
    }
    json = values.json === true;
    const { config, base } = await buildConfig(values);
    const registry = builtinRegistry();
    for (const module of config.pluginModules) await registry.loadModule(module, base);
    for (const kind of Object.keys(config.plugins) as PluginKind[]) selectPlugin(config, registry, kind);
    return await command.run({ values, positionals, json, registry, config, stdout, stderr });
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = error instanceof Error ? error.message : String(error);
    if (json) stdout(JSON.stringify({ error: { type: (error as Error).name ?? 'Error', message } }));
    stderr(`gazelle ${name}: ${(error as Error).name ?? 'Error'}: ${message}`);
    if (usage) stderr(`usage: gazelle ${command.name} ${command.usage}`);
    else if (!(error instanceof GazelleError) && error instanceof Error && error.stack) stderr(error.stack);
    return usage ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
