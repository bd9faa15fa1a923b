/**
 * `gazelle` command line. Exit codes: 0 ok, 1 failure, 2 usage or configuration error.
 * Global options: cli/global-options.ts; a command's own options: its file in cli/commands/.
 */
import { dirname, resolve } from 'node:path';
import { defaultConfig, loadConfigFile, mergeConfig, selectPlugin, type GazelleConfig } from '../core/config.ts';
import type { PluginKind } from '../core/plugin.ts';
import { ConfigError, GazelleError } from '../core/errors.ts';
import { builtinRegistry } from '../plugins/index.ts';
import { parseCommandLine } from './args.ts';
import { UsageError, type Command, type OptionValues } from './command.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';
import { COMMANDS } from './commands/index.ts';
import { renderCommandHelp, renderMainHelp } from './help.ts';
import { applyPluginChoices } from './config-options.ts';
import { applyNetworkOptions } from './network-options.ts';
import { createProgress, type ClosableProgress } from './progress.ts';

async function buildConfig(values: OptionValues): Promise<{ config: GazelleConfig; base: string }> {
  let config = defaultConfig();
  let base = process.cwd();
  if (typeof values.config === 'string') {
    config = loadConfigFile(values.config);
    base = dirname(resolve(values.config));
  }
  config = mergeConfig(applyPluginChoices(config, values), { pluginModules: (values.plugin as string[] | undefined) ?? [] });
  return { config: applyNetworkOptions(config, values), base };
}

export async function main(argv: readonly string[]): Promise<number> {
  const stdout = (text: string) => process.stdout.write(text + '\n');
  const stderr = (text: string) => process.stderr.write(text + '\n');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    stdout(renderMainHelp(COMMANDS, GLOBAL_OPTIONS));
    return name === undefined ? 2 : 0;
  }
  const command: Command | undefined = COMMANDS.find((c) => c.name === name);
  if (!command) {
    stderr(`gazelle: unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}\n(see gazelle --help)`);
    return 2;
  }
  let json = rest.includes('--json');
  let progress: ClosableProgress | undefined;
  try {
    const { values, positionals } = parseCommandLine(rest, { ...GLOBAL_OPTIONS, ...command.options });
    if (values.help) {
      stdout(renderCommandHelp(command, GLOBAL_OPTIONS));
      return 0;
    }
    json = values.json === true;
    const quiet = values.quiet === true;
    const { config, base } = await buildConfig(values);
    const registry = builtinRegistry();
    for (const module of config.pluginModules) await registry.loadModule(module, base);
    for (const kind of Object.keys(config.plugins) as PluginKind[]) selectPlugin(config, registry, kind);
    progress = createProgress({ json, quiet, env: process.env, stdoutIsTerminal: process.stdout.isTTY === true, stream: process.stderr });
    const info = quiet ? () => {} : (line: string) => progress!.write(line);
    return await command.run({ values, positionals, json, quiet, progress, registry, config, stdout, stderr, info });
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof ConfigError;
    const message = error instanceof Error ? error.message : String(error);
    const type = error instanceof Error ? error.name : 'Error';
    if (json) stdout(JSON.stringify({ error: { type, message } }));
    stderr(`gazelle ${name}: ${type}: ${message}`);
    if (usage) stderr(`usage: gazelle ${command.name} ${command.usage}   (gazelle ${command.name} --help: options and examples)`);
    else if (!(error instanceof GazelleError) && error instanceof Error && error.stack) stderr(error.stack);
    return usage ? 2 : 1;
  } finally {
    progress?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
