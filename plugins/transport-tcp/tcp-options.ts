/**
 * The TCP transport's options: the common ones (core/transport-options.ts) and the limits a
 * listener needs against many or hostile clients. The defaults bound what a listener holds
 * whatever its peers do: at most `maxSessions` sessions, each holding at most `maxBufferedBytes`
 * received and unread, all of them together at most `maxTotalBufferedBytes` (plus a small read-ahead
 * each, see tcp-channel.ts). The idle timeout stays the caller's choice (0 = wait for ever), since
 * how long a peer may legitimately compute between messages depends on the protocol.
 */
import { ConfigError } from '../../core/errors.ts';
import type { PluginOptions } from '../../core/plugin.ts';
import { DEFAULT_TRANSPORT_OPTIONS, parseIntegerOptions, TRANSPORT_OPTION_RULES, type OptionRules } from '../../core/transport-options.ts';
import type { TransportOptions } from '../../core/transport.ts';

export interface TcpTransportOptions extends TransportOptions {
  /** Sessions a listener runs at once; a connection beyond them is refused with a reason. */
  maxSessions?: number;
  /** Bytes one connection holds received and not yet read; a message longer than this is refused. */
  maxBufferedBytes?: number;
  /** Bytes all of a listener's connections hold together (at least `maxBufferedBytes`). */
  maxTotalBufferedBytes?: number;
}

export type ResolvedTcpOptions = Required<TcpTransportOptions>;

const MIB = 1024 * 1024;

export const DEFAULT_TCP_OPTIONS: ResolvedTcpOptions = {
  ...DEFAULT_TRANSPORT_OPTIONS,
  maxSessions: 64,
  maxBufferedBytes: 64 * MIB,
  maxTotalBufferedBytes: 256 * MIB,
};

const RULES: OptionRules<TcpTransportOptions> = {
  ...TRANSPORT_OPTION_RULES,
  maxSessions: { min: 1, max: 1_000_000, meaning: 'sessions a listener runs at once; more connections are refused' },
  maxBufferedBytes: { min: 1024, max: Number.MAX_SAFE_INTEGER, meaning: 'bytes one connection holds received and unread' },
  maxTotalBufferedBytes: { min: 1024, max: Number.MAX_SAFE_INTEGER, meaning: "bytes a listener's connections hold received and unread, together" },
};

export function parseTcpOptions(options: PluginOptions | TcpTransportOptions, where = 'tcp transport options'): ResolvedTcpOptions {
  const resolved = parseIntegerOptions(options, RULES, DEFAULT_TCP_OPTIONS, where);
  if (resolved.maxTotalBufferedBytes < resolved.maxBufferedBytes) {
    throw new ConfigError(
      `${where}: "maxTotalBufferedBytes" (${resolved.maxTotalBufferedBytes}) is below "maxBufferedBytes" (${resolved.maxBufferedBytes}): ` +
        'a message one connection may receive must fit in the listener\'s total',
    );
  }
  return resolved;
}
