/**
 * Network profiles: the link a two-party run is simulated over. `local` is no shaping at all (the
 * transport as it is); `lan` and `wan` are the presets of shaping.ts; explicit latency and/or
 * bandwidth override a profile's (starting from `local`'s "no delay, no limit" when none is named).
 * One definition, read from a configuration's `"network"` and from the command line's
 * `--network-profile` / `--latency-ms` / `--bandwidth-mbps`, applied by the wiring (container.ts)
 * as a `ShapingTransport` around the configured transport.
 */
import { ConfigError } from '../errors.ts';
import { NETWORK_PRESETS, type ShapingOptions } from './shaping.ts';

export const NETWORK_PROFILE_NAMES = ['local', 'lan', 'wan'] as const;
export type NetworkProfileName = (typeof NETWORK_PROFILE_NAMES)[number];

export interface NetworkProfile extends ShapingOptions {
  /** `local`, `lan`, `wan`, or `custom` once latency or bandwidth is set explicitly. */
  readonly name: NetworkProfileName | 'custom';
}

export const NETWORK_PROFILES: Readonly<Record<NetworkProfileName, NetworkProfile>> = {
  local: { name: 'local', latencyMs: 0, bandwidthBytesPerSecond: Infinity },
  lan: { name: 'lan', ...NETWORK_PRESETS.lan },
  wan: { name: 'wan', ...NETWORK_PRESETS.wan },
};

/** What a user writes: a profile name and/or explicit figures (one-way latency, Mbit/s = 10^6 bit/s). */
export interface NetworkSpec {
  readonly profile?: string;
  readonly latencyMs?: number;
  readonly bandwidthMbps?: number;
}

/** Bounds on explicit figures: a day of latency, a terabit per second. */
export const NETWORK_LIMITS = {
  latencyMs: { min: 0, max: 86_400_000 },
  bandwidthMbps: { min: 1e-3, max: 1e6 },
} as const;

/**
 * The profile `spec` describes: its named profile, else `fallback` (default `local`), with the
 * explicit figures on top. A `ConfigError` naming `where` for an unknown name or a value out of range.
 */
export function resolveNetworkProfile(spec: NetworkSpec, where = 'network', fallback: NetworkProfile = NETWORK_PROFILES.local): NetworkProfile {
  const { profile, latencyMs, bandwidthMbps } = spec;
  if (profile !== undefined && !(NETWORK_PROFILE_NAMES as readonly string[]).includes(profile)) {
    throw new ConfigError(`${where}: unknown network profile ${JSON.stringify(profile)}; valid: ${NETWORK_PROFILE_NAMES.join(', ')}`);
  }
  const base = profile === undefined ? fallback : NETWORK_PROFILES[profile as NetworkProfileName];
  const check = (value: number | undefined, key: keyof typeof NETWORK_LIMITS, meaning: string): void => {
    const { min, max } = NETWORK_LIMITS[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max)) {
      throw new ConfigError(`${where}: ${key} (${meaning}) must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
  };
  check(latencyMs, 'latencyMs', 'one-way delay in milliseconds');
  check(bandwidthMbps, 'bandwidthMbps', 'link speed in Mbit/s');
  if (latencyMs === undefined && bandwidthMbps === undefined) return base;
  return {
    name: 'custom',
    latencyMs: latencyMs ?? base.latencyMs,
    bandwidthBytesPerSecond: bandwidthMbps === undefined ? base.bandwidthBytesPerSecond : (bandwidthMbps * 1e6) / 8,
  };
}

/** Whether `profile` changes anything (a delay or a finite bandwidth). */
export function isShaped(profile: NetworkProfile): boolean {
  return profile.latencyMs > 0 || Number.isFinite(profile.bandwidthBytesPerSecond);
}

/** For JSON output: the profile in the units users give it (`bandwidthMbps: null` = unlimited). */
export function describeNetworkProfile(profile: NetworkProfile): { profile: string; latencyMs: number; bandwidthMbps: number | null } {
  const mbps = (profile.bandwidthBytesPerSecond * 8) / 1e6;
  return { profile: profile.name, latencyMs: profile.latencyMs, bandwidthMbps: Number.isFinite(mbps) ? mbps : null };
}
