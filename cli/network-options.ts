/**
 * The network options, shared by every command that runs both parties (gc run, bench, and later
 * infer, compare): a command spreads `NETWORK_OPTIONS` into its options, and main.ts turns the
 * values into the configuration's network profile (`applyNetworkOptions`), once, before the
 * command runs. The wiring then shapes the transport (core/container.ts); commands do nothing else.
 */
import { NETWORK_LIMITS, NETWORK_PROFILE_NAMES, NETWORK_PROFILES, resolveNetworkProfile } from '../core/channel/network-profile.ts';
import { mergeConfig, type GazelleConfig } from '../core/config.ts';
import { choiceOption, numberOption } from './args.ts';
import type { CommandOptions, OptionValues } from './command.ts';
import { formatBitRate, formatDuration } from './format.ts';

const describe = (name: 'lan' | 'wan') =>
  `${name.toUpperCase()} = ${formatBitRate(NETWORK_PROFILES[name].bandwidthBytesPerSecond)} with ${formatDuration(NETWORK_PROFILES[name].latencyMs / 1000)} one way`;

export const NETWORK_OPTIONS: CommandOptions = {
  'network-profile': {
    type: 'string',
    value: NETWORK_PROFILE_NAMES.join('|'),
    description:
      `simulate the link between the parties: local = no shaping (default), ${describe('lan')}, ${describe('wan')} ` +
      "(OpenCheetah's throttling settings); overrides the configuration's \"network\"",
  },
  'latency-ms': {
    type: 'string',
    value: '<ms>',
    description: 'one-way delay of the simulated link in milliseconds (a round trip costs twice this); overrides the profile\'s',
  },
  'bandwidth-mbps': {
    type: 'string',
    value: '<Mbit/s>',
    description: 'speed of the simulated link in Mbit/s (10^6 bits per second) in each direction; overrides the profile\'s',
  },
};

/** `config` with the network profile the options describe; unchanged if none of them is given. */
export function applyNetworkOptions(config: GazelleConfig, values: OptionValues): GazelleConfig {
  const profile = choiceOption(values['network-profile'], NETWORK_PROFILE_NAMES, '--network-profile');
  const latencyMs = numberOption(values['latency-ms'], '--latency-ms', NETWORK_LIMITS.latencyMs);
  const bandwidthMbps = numberOption(values['bandwidth-mbps'], '--bandwidth-mbps', NETWORK_LIMITS.bandwidthMbps);
  if (profile === undefined && latencyMs === undefined && bandwidthMbps === undefined) return config;
  // Explicit figures refine the named profile, else the configuration's, else local.
  return mergeConfig(config, { network: resolveNetworkProfile({ profile, latencyMs, bandwidthMbps }, 'command line', config.network) });
}
