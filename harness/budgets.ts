/**
 * Bandwidth, round and latency budgets on a measured session: sizes and durations as
 * people write them in feature files ("2 MB", "800 ms"), the figure a budget constrains, and the
 * check, whose failure says what was measured, what the budget allows and by how much it is over.
 *
 * Bytes and rounds of an inference are deterministic (they equal the plan's prediction), so every
 * inference must keep within such a budget; time varies with the machine, so a time budget holds the
 * median of the session's inferences.
 */
import { formatBytes, formatDuration, formatInteger } from '../cli/format.ts';
import type { NetworkProfile } from '../core/channel/network-profile.ts';
import { GazelleError } from '../core/errors.ts';
import type { Figures } from '../core/inference/figures.ts';
import type { PhaseTraffic } from '../core/inference/traffic.ts';
import { median } from '../bench/measure.ts';
import type { Measurement } from './measurement.ts';

/** A measured figure over its budget. */
export class BudgetExceededError extends GazelleError {}

export const PHASES = ['setup', 'offline', 'online'] as const;
export type Phase = (typeof PHASES)[number];
export const DIRECTIONS = { 'client to server': 'clientToServer', 'server to client': 'serverToClient' } as const;
export type Direction = keyof typeof DIRECTIONS;

/** Decimal prefixes as networks quote sizes (1 MB = 10^6 B, as the reports print them), and binary ones. */
const BYTE_UNITS: Readonly<Record<string, number>> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
const TIME_UNITS: Readonly<Record<string, number>> = { ms: 1e-3, s: 1, min: 60 };

export const BYTE_SIZE_PATTERN = /\d+(?:\.\d+)?\s?(?:B|kB|KB|MB|GB|KiB|MiB|GiB)/;
export const DURATION_PATTERN = /\d+(?:\.\d+)?\s?(?:ms|s|min)/;

function parseQuantity(text: string, units: Readonly<Record<string, number>>, what: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s?([A-Za-z]+)\s*$/.exec(text);
  const unit = match ? units[match[2]!] : undefined;
  if (!match || unit === undefined) throw new RangeError(`${what} "${text}": expected a number and one of the units ${Object.keys(units).join(', ')}`);
  return Number(match[1]) * unit;
}

/** "2 MB" → 2,000,000 bytes; "1.5 MiB" → 1,572,864. */
export function parseByteSize(text: string): number {
  return Math.round(parseQuantity(text, BYTE_UNITS, 'size'));
}

/** "800 ms" → 0.8 seconds; "2 min" → 120. */
export function parseDuration(text: string): number {
  return parseQuantity(text, TIME_UNITS, 'duration');
}

/** The figures of `phase` in every inference (the session's once for setup). */
function phaseFigures(measurement: Measurement, phase: Phase): Figures[] {
  return phase === 'setup' ? [measurement.setup] : measurement.inferences.map((r) => r.figures[phase]);
}

function layerFigures(measurement: Measurement, layer: string, phase: Exclude<Phase, 'setup'>): Figures[] {
  const names = measurement.median.layers.map((l) => l.name);
  if (!names.includes(layer)) throw new RangeError(`no layer "${layer}" in network ${measurement.network.name}; its layers: ${names.join(', ')}`);
  return measurement.inferences.map((r) => r.figures.layers.find((l) => l.name === layer)![phase]);
}

function over(what: string, measured: string, limit: string, ratio: number): BudgetExceededError {
  return new BudgetExceededError(`${what} is ${measured}, over its budget of ${limit} by ${((ratio - 1) * 100).toFixed(1)}%`);
}

function requireAll(values: readonly number[], limit: number, what: string, show: (v: number) => string): void {
  const worst = Math.max(...values);
  if (worst > limit) throw over(what + (values.length > 1 ? ` (largest of ${values.length} inferences)` : ''), show(worst), show(limit), worst / limit);
}

const bytes = (v: number) => `${formatBytes(v)} (${formatInteger(v)} B)`;

/** Every inference's (or the setup's) traffic in `direction`, or both ways, is at most `limit` bytes. */
export function checkTraffic(measurement: Measurement, phase: Phase, direction: Direction | 'both ways', limit: number): void {
  const values = phaseFigures(measurement, phase).map((f) => (direction === 'both ways' ? f.clientToServer + f.serverToClient : f[DIRECTIONS[direction]]));
  requireAll(values, limit, `the ${phase} traffic ${direction === 'both ways' ? 'both ways' : `from ${direction}`}`, bytes);
}

/** The same for one layer of the plan (offline or online). */
export function checkLayerTraffic(measurement: Measurement, layer: string, phase: Exclude<Phase, 'setup'>, limit: number): void {
  const values = layerFigures(measurement, layer, phase).map((f) => f.clientToServer + f.serverToClient);
  requireAll(values, limit, `the ${phase} traffic of layer ${layer}`, bytes);
}

/** Every inference's (or the setup's) rounds, changes of direction seen by the client, are at most `limit`. */
export function checkRounds(measurement: Measurement, phase: Phase, limit: number): void {
  requireAll(
    phaseFigures(measurement, phase).map((f) => f.rounds),
    limit,
    `the ${phase} phase's rounds`,
    (v) => formatInteger(v),
  );
}

/** The median time of `phase` (or of offline + online: 'inference') over the session's inferences is at most `limit` seconds. */
export function checkTime(measurement: Measurement, phase: Phase | 'inference', limit: number): void {
  const seconds =
    phase === 'inference' ? measurement.inferences.map((r) => r.figures.offline.seconds + r.figures.online.seconds) : phaseFigures(measurement, phase).map((f) => f.seconds);
  const typical = median(seconds);
  if (typical > limit) {
    const all = seconds.length > 1 ? ` (median of ${seconds.map((s) => formatDuration(s)).join(', ')}; load average ${measurement.environment.loadAverage})` : '';
    throw over(`the ${phase === 'inference' ? 'whole inference (offline + online)' : `${phase} phase`}'s time${all}`, formatDuration(typical), formatDuration(limit), typical / limit);
  }
}

/**
 * The time `traffic` occupies a link: one one-way latency per round (a change of direction waits
 * for the other side's message) plus every byte at the link's bandwidth: the usual estimate of
 * communication cost, computation not included.
 */
export function linkSeconds(traffic: PhaseTraffic, link: Pick<NetworkProfile, 'latencyMs' | 'bandwidthBytesPerSecond'>): number {
  return (traffic.rounds * link.latencyMs) / 1000 + (traffic.clientToServer + traffic.serverToClient) / link.bandwidthBytesPerSecond;
}

/**
 * The time the plan's traffic of `phase` (its prediction, core/inference/traffic.ts; for the
 * session's setup, which the plan does not cover, the measured setup) needs on `link` is at most
 * `limit` seconds: a budget per network and link that holds before anything runs over that link.
 */
export function checkLinkTime(measurement: Measurement, phase: Phase, link: NetworkProfile, limit: number): void {
  const traffic = phase === 'setup' ? measurement.setup : measurement.predicted[phase];
  const seconds = linkSeconds(traffic, link);
  if (seconds > limit) {
    const how = `${formatInteger(traffic.rounds)} rounds × ${link.latencyMs} ms + ${formatBytes(traffic.clientToServer + traffic.serverToClient)} at ${link.bandwidthBytesPerSecond === Infinity ? 'unlimited bandwidth' : `${(link.bandwidthBytesPerSecond * 8) / 1e6} Mbit/s`}`;
    throw over(`on a ${link.name} link the ${phase} traffic's time (${how})`, formatDuration(seconds), formatDuration(limit), seconds / limit);
  }
}

/** Every inference's bytes each way and rounds, per phase and per layer, equal the plan's prediction. */
export function checkTrafficAsPredicted(measurement: Measurement): void {
  const { predicted } = measurement;
  const differences: string[] = [];
  const compare = (where: string, got: Figures, want: { clientToServer: number; serverToClient: number; rounds: number }) => {
    for (const key of ['clientToServer', 'serverToClient', 'rounds'] as const) {
      if (got[key] !== want[key]) differences.push(`${where} ${key}: measured ${got[key]}, planned ${want[key]}`);
    }
  };
  measurement.inferences.forEach((r, i) => {
    for (const phase of ['offline', 'online'] as const) {
      compare(`inference ${i} ${phase}`, r.figures[phase], predicted[phase]);
      r.figures.layers.forEach((layer, k) => compare(`inference ${i} ${phase} ${layer.name}`, layer[phase], predicted.layers[k]![phase]));
    }
  });
  if (differences.length > 0) throw new BudgetExceededError(`the traffic differs from the plan's prediction: ${differences.slice(0, 8).join('; ')}${differences.length > 8 ? `; and ${differences.length - 8} more` : ''}`);
}
