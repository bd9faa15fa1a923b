/**
 * The command line's plugin choices on top of a configuration: `--use kind=name` (repeatable) and
 * `--profile`. main.ts applies them to the `--config` file (or the defaults); `gazelle compare`
 * applies them to each configuration it compares.
 */
import { choosePlugin, mergeConfig, parseConfig, type GazelleConfig } from '../core/config.ts';
import type { PluginKind } from '../core/plugin.ts';
import { UsageError, type OptionValues } from './command.ts';

export function applyPluginChoices(config: GazelleConfig, values: OptionValues): GazelleConfig {
  const uses = ((values.use as string[] | undefined) ?? []).map((use) => {
    const [kind, name, ...rest] = use.split('=');
    if (!kind || !name || rest.length > 0) throw new UsageError(`--use expects kind=name, got "${use}"`);
    return [kind, name] as const;
  });
  // Validates kinds and the profile with the configuration's own messages.
  const override = parseConfig({ plugins: Object.fromEntries(uses), ...(values.profile !== undefined ? { profile: values.profile } : {}) }, 'command line');
  let chosen = config;
  for (const [kind, name] of uses) chosen = choosePlugin(chosen, kind as PluginKind, name);
  return values.profile !== undefined ? mergeConfig(chosen, { profile: override.profile }) : chosen;
}
