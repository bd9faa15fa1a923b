/**
 * Transport options from a plugin configuration (JSON values), checked once with `ConfigError`s so
 * that a typo or a nonsensical value fails at start-up, not in the middle of a session.
 */
import { ConfigError } from './errors.ts';
import type { PluginOptions } from './plugin.ts';
import type { TransportOptions } from './transport.ts';

/** The largest frame the 32-bit length field of a frame header can announce. */
export const MAX_FRAME_LIMIT = 0xffff_ffff;

/** Every option resolved to a number; `idleTimeoutMs: 0` means "wait forever". */
export type ResolvedTransportOptions = Required<TransportOptions>;

export const DEFAULT_TRANSPORT_OPTIONS: ResolvedTransportOptions = {
  maxFrameBytes: 4 * 1024 * 1024,
  idleTimeoutMs: 0,
  connectTimeoutMs: 10_000,
};

/** Upper bound for timeouts: Node timers overflow past 2^31 - 1 ms and would fire at once. */
const MAX_TIMEOUT_MS = 0x7fff_ffff;

/** What an integer option accepts and means (the error message quotes `meaning`). */
export interface OptionRule {
  readonly min: number;
  readonly max: number;
  readonly meaning: string;
}

export type OptionRules<T> = Readonly<Record<keyof T, OptionRule>>;

export const TRANSPORT_OPTION_RULES: OptionRules<TransportOptions> = {
  maxFrameBytes: { min: 1, max: MAX_FRAME_LIMIT, meaning: 'largest frame accepted, in bytes' },
  idleTimeoutMs: { min: 0, max: MAX_TIMEOUT_MS, meaning: 'recv (and a send the peer does not read) gives up after this many ms without progress; 0 = never' },
  connectTimeoutMs: { min: 1, max: MAX_TIMEOUT_MS, meaning: 'connect gives up after this many ms' },
};

/**
 * Validate `options` against `rules` (unknown keys, non-integers and out-of-range values are
 * `ConfigError`s naming the option) and fill in `defaults`. A transport with options of its own
 * passes its rules and defaults together with the common ones.
 */
export function parseIntegerOptions<T extends object>(options: PluginOptions | Partial<T>, rules: OptionRules<T>, defaults: Required<T>, where: string): Required<T> {
  const resolved = { ...defaults };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!(key in rules)) {
      throw new ConfigError(`${where}: unknown option "${key}"; valid options: ${Object.keys(rules).join(', ')}`);
    }
    const rule = rules[key as keyof T];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
      throw new ConfigError(`${where}: "${key}" (${rule.meaning}) must be an integer from ${rule.min} to ${rule.max}, got ${JSON.stringify(value)}`);
    }
    (resolved as Record<string, number>)[key] = value;
  }
  return resolved;
}

/** The common transport options of `options`, validated, with the defaults filled in. */
export function parseTransportOptions(options: PluginOptions | TransportOptions, where = 'transport options'): ResolvedTransportOptions {
  return parseIntegerOptions(options, TRANSPORT_OPTION_RULES, DEFAULT_TRANSPORT_OPTIONS, where);
}
