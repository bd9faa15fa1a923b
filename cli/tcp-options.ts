/**
 * The command line's TCP settings for the commands that talk to another machine (`serve`,
 * `infer --connect`): a `HOST:PORT` address, and the configuration with the TCP transport whose
 * options come, in order, from the command line, the configuration file, then the command's
 * safe defaults.
 */
import { mergeConfig, type GazelleConfig } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import type { Address } from '../core/transport.ts';
import type { TcpTransportOptions } from '../plugins/transport-tcp/tcp-options.ts';
import { UsageError } from './command.ts';

/** `host:port`, `[v6]:port`; the port from 1 to 65535. */
export function parseHostPort(text: string, flag: string): Required<Address> {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) {
    throw new UsageError(`${flag} expects HOST:PORT (e.g. 127.0.0.1:7470, or [::1]:7470 for IPv6), got ${JSON.stringify(text)}`);
  }
  return { host: match[1] ?? match[2]!, port };
}

/**
 * `config` with the TCP transport: its options are `given` (from flags; undefined ones are not
 * given), else the configuration's, else `defaults`. A configuration that selects another
 * transport is a `ConfigError`: `command` talks over a network.
 */
export function tcpConfig(config: GazelleConfig, command: string, defaults: TcpTransportOptions, given: TcpTransportOptions = {}): GazelleConfig {
  const selected = config.plugins.transport;
  if (selected && selected.name !== 'tcp') {
    throw new ConfigError(`${command} talks over TCP; the configuration selects the "${selected.name}" transport (remove it, or choose tcp)`);
  }
  const flags = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return mergeConfig(config, { plugins: { transport: { name: 'tcp', options: { ...defaults, ...selected?.options, ...flags } } } });
}
