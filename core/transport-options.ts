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

const RULES: Readonly<Record<keyof TransportOptions, { min: number; max: number; meaning: string }>> = {
  maxFrameBytes: { min: 1, max: MAX_FRAME_LIMIT, meaning: 'largest frame accepted, in bytes' },
  idleTimeoutMs: { min: 0, max: MAX_TIMEOUT_MS, meaning: 'recv gives up after this many ms without data; 0 = never' },
  connectTimeoutMs: { min: 1, max: MAX_TIMEOUT_MS, meaning: 'connect gives up after this many ms' },
};

/**
 * Validate `options` (unknown keys, non-integers and out-of-range values are `ConfigError`s naming
 * the option) and fill in the defaults.
 */
export function parseTransportOptions(options: PluginOptions | TransportOptions, where = 'transport options'): ResolvedTransportOptions {
  const resolved = { ...DEFAULT_TRANSPORT_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!(key in RULES)) {
      throw new ConfigError(`${where}: unknown option "${key}"; valid options: ${Object.keys(RULES).join(', ')}`);
    }
    const rule = RULES[key as keyof TransportOptions];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
      throw new ConfigError(
        `${where}: "${key}" (${rule.meaning}) must be an integer from ${rule.min} to ${rule.max}, got ${JSON.stringify(value)}`,
      );
    }
    resolved[key as keyof TransportOptions] = value;
  }
  return resolved;
}
