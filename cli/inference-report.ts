/**
 * Text output of private inferences (`gazelle infer --local`, `npm start`): per-layer time, bytes
 * each way and rounds, offline and online, with totals; human-readable units (cli/format.ts).
 */
import type { Figures, InferenceFigures } from '../core/inference/figures.ts';
import { formatBytes, formatDuration, renderTable } from './format.ts';

function cells(f: Figures): string[] {
  return [formatDuration(f.seconds), formatBytes(f.clientToServer), formatBytes(f.serverToClient), String(f.rounds)];
}

/** One row per layer and phase (layers with no traffic and no time in a phase are left out), then totals. */
export function layerTable(figures: InferenceFigures, setup?: Figures): string {
  const rows: string[][] = [];
  if (setup) rows.push(['(session)', 'setup', ...cells(setup)]);
  for (const phase of ['offline', 'online'] as const) {
    for (const layer of figures.layers) {
      const f = layer[phase];
      if (f.messages === 0 && f.seconds < 5e-4) continue;
      rows.push([layer.name, phase, ...cells(f)]);
    }
    rows.push([`total`, phase, ...cells(figures[phase])]);
  }
  return renderTable(['layer', 'phase', 'time', 'client→server', 'server→client', 'rounds'], rows);
}

/** One phase as one line: time, bytes each way, rounds. */
export function describeFigures(f: Figures): string {
  return `${formatDuration(f.seconds)}, ${formatBytes(f.clientToServer)} client→server, ${formatBytes(f.serverToClient)} server→client, ${f.rounds} rounds`;
}

/** Offline + online, as one line: time and bytes. */
export function inferenceSummary(figures: InferenceFigures): string {
  const seconds = figures.offline.seconds + figures.online.seconds;
  const bytes = figures.offline.clientToServer + figures.offline.serverToClient + figures.online.clientToServer + figures.online.serverToClient;
  return `${formatDuration(seconds)} (offline ${formatDuration(figures.offline.seconds)}, online ${formatDuration(figures.online.seconds)}), ${formatBytes(bytes)}`;
}
