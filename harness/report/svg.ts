/**
 * Inline SVG charts for reports, drawn from numbers alone (no library, no script): grouped
 * horizontal bar charts (one group per category, one bar per series: layers × phases, phases ×
 * configurations) and histograms with a marked interval (decryption noise against the flooding
 * interval). Horizontal bars keep long layer names readable on a phone: each group's name sits on
 * its own line above its bars. Every bar carries a `<title>` with its exact value and a printed
 * label, so the chart reads without colour too.
 */
import { escapeHtml } from './html.ts';

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8C6D00', '#333333'] as const;

const WIDTH = 480;
const FONT = 14;

export interface BarSeries {
  readonly name: string;
  /** One value per category (≥ 0). */
  readonly values: readonly number[];
  /** Drawn with a dashed outline and "(fails)" in the legend: a configuration that failed a check. */
  readonly marked?: boolean;
}

export interface BarChart {
  /** Caption under the chart. */
  readonly caption: string;
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  /** Value labels: formatBytes, formatDuration, ... */
  readonly format: (value: number) => string;
}

/** Approximate width of `text` at `size` px in a sans-serif face (for layout only). */
function textWidth(text: string, size = FONT): number {
  return text.length * size * 0.56;
}

function checkSeries(categories: number, series: readonly BarSeries[], what: string): void {
  if (series.length === 0) throw new RangeError(`${what}: no series`);
  for (const s of series) {
    if (s.values.length !== categories) throw new RangeError(`${what}: series "${s.name}" has ${s.values.length} values for ${categories} categories`);
    s.values.forEach((v, i) => {
      if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${what}: series "${s.name}", value ${i} is ${v} (bars need a finite value ≥ 0)`);
    });
  }
}

/** Legend rows (wrapped to the chart's width); returns the SVG and the height it takes. */
function legend(series: readonly { name: string; marked?: boolean }[], top: number): { svg: string; height: number } {
  const parts: string[] = [];
  let x = 0;
  let y = top;
  series.forEach((s, i) => {
    const label = s.marked ? `${s.name} (fails)` : s.name;
    const w = 18 + textWidth(label) + 14;
    if (x > 0 && x + w > WIDTH) {
      x = 0;
      y += FONT + 8;
    }
    const dash = s.marked ? ' stroke="#b3261e" stroke-width="1.5" stroke-dasharray="3 2"' : '';
    parts.push(
      `<g class="legend-item"><rect x="${x}" y="${y}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"${dash}/>` +
        `<text x="${x + 17}" y="${y + 10.5}">${escapeHtml(label)}</text></g>`,
    );
    x += w;
  });
  return { svg: parts.join(''), height: y - top + FONT + 10 };
}

function svgOpen(height: number, label: string, kind: string): string {
  return `<svg class="chart ${kind}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${Math.ceil(height)}" role="img" aria-label="${escapeHtml(label)}" font-family="system-ui, sans-serif" font-size="${FONT}" fill="#1d1d1f">`;
}

/** A grouped horizontal bar chart in a `<figure>`. */
export function barChart(chart: BarChart): string {
  const { categories, series } = chart;
  checkSeries(categories.length, series, 'bar chart');
  const max = Math.max(...series.flatMap((s) => s.values), 0);
  const labelRoom = Math.max(...series.flatMap((s) => s.values.map((v) => textWidth(chart.format(v))))) + 8;
  const plot = WIDTH - labelRoom;
  const bar = 14;
  const gap = 3;
  const { svg: legendSvg, height: legendHeight } = legend(series, 0);
  const parts: string[] = [`<g class="legend">${legendSvg}</g>`];
  let y = legendHeight + 6;
  categories.forEach((category, c) => {
    parts.push(`<text class="category" x="0" y="${y + FONT}" font-weight="600">${escapeHtml(category)}</text>`);
    y += FONT + 5;
    series.forEach((s, i) => {
      const value = s.values[c]!;
      const w = max > 0 ? (value / max) * plot : 0;
      const dash = s.marked ? ' stroke="#b3261e" stroke-width="1.5" stroke-dasharray="3 2"' : '';
      const text = chart.format(value);
      parts.push(
        `<g class="bar-group"><rect class="bar" data-series="${i}" data-category="${c}" data-value="${value}" x="0" y="${y}" width="${w.toFixed(2)}" height="${bar}" fill="${PALETTE[i % PALETTE.length]}"${dash}>` +
          `<title>${escapeHtml(`${s.name}, ${category}: ${text}`)}</title></rect>` +
          `<text class="value" x="${(w + 4).toFixed(2)}" y="${y + bar - 2}" fill="#5f6368">${escapeHtml(text)}</text></g>`,
      );
      y += bar + gap;
    });
    y += 8;
  });
  return `<figure>${svgOpen(y, chart.caption, 'bar-chart')}${parts.join('\n')}</svg><figcaption>${escapeHtml(chart.caption)}</figcaption></figure>`;
}

export interface Histogram {
  readonly caption: string;
  /** Bin edges, increasing: k + 1 edges for k bins. */
  readonly edges: readonly number[];
  /** Counts per bin, one list per series (overlaid, translucent). */
  readonly series: readonly { readonly name: string; readonly counts: readonly number[] }[];
  /** An interval to mark (the flooding interval, say): shaded, with dashed bounds. */
  readonly interval?: { readonly lo: number; readonly hi: number; readonly label: string };
  /** Labels of the horizontal axis. */
  readonly format: (value: number) => string;
}

/** A histogram (counts over bins) in a `<figure>`. */
export function histogram(h: Histogram): string {
  const k = h.edges.length - 1;
  if (k < 1) throw new RangeError(`histogram: needs at least 2 bin edges, got ${h.edges.length}`);
  for (let i = 0; i < k; i++) if (!(h.edges[i]! < h.edges[i + 1]!)) throw new RangeError(`histogram: bin edges must increase (edge ${i}: ${h.edges[i]}, edge ${i + 1}: ${h.edges[i + 1]})`);
  checkSeries(k, h.series.map((s) => ({ name: s.name, values: s.counts })), 'histogram');
  const { svg: legendSvg, height: legendHeight } = legend(h.series, 0);
  const max = Math.max(1, ...h.series.flatMap((s) => s.counts));
  const left = Math.max(44, textWidth(String(max)) + 8); // room for the largest count on the vertical axis
  const top = legendHeight + 8;
  const plotHeight = 180;
  const bottom = top + plotHeight;
  const lo = Math.min(h.edges[0]!, h.interval?.lo ?? Infinity);
  const hi = Math.max(h.edges[k]!, h.interval?.hi ?? -Infinity);
  const plotWidth = WIDTH - left - 8;
  const x = (v: number) => left + ((v - lo) / (hi - lo)) * plotWidth;
  const y = (count: number) => bottom - (count / max) * plotHeight;
  const parts: string[] = [`<g class="legend">${legendSvg}</g>`];
  if (h.interval) {
    const [a, b] = [x(h.interval.lo), x(h.interval.hi)];
    parts.push(
      `<g class="interval"><rect x="${a.toFixed(2)}" y="${top}" width="${(b - a).toFixed(2)}" height="${plotHeight}" fill="#f0e6c8" fill-opacity="0.6"/>` +
        `<line x1="${a.toFixed(2)}" y1="${top}" x2="${a.toFixed(2)}" y2="${bottom}" stroke="#8c6d00" stroke-dasharray="4 3"/>` +
        `<line x1="${b.toFixed(2)}" y1="${top}" x2="${b.toFixed(2)}" y2="${bottom}" stroke="#8c6d00" stroke-dasharray="4 3"/>` +
        `<text x="${((a + b) / 2).toFixed(2)}" y="${top + FONT + 2}" text-anchor="middle" fill="#6b5400">${escapeHtml(h.interval.label)}</text></g>`,
    );
  }
  h.series.forEach((s, i) => {
    const bars = s.counts
      .map((count, b) => {
        const x0 = x(h.edges[b]!);
        const w = Math.max(0.5, x(h.edges[b + 1]!) - x0 - 0.5);
        return `<rect class="bin" data-series="${i}" data-bin="${b}" data-count="${count}" x="${x0.toFixed(2)}" y="${y(count).toFixed(2)}" width="${w.toFixed(2)}" height="${(bottom - y(count)).toFixed(2)}"><title>${escapeHtml(`${s.name}: ${count} in [${h.format(h.edges[b]!)}, ${h.format(h.edges[b + 1]!)})`)}</title></rect>`;
      })
      .join('');
    parts.push(`<g class="series" fill="${PALETTE[i % PALETTE.length]}" fill-opacity="0.55">${bars}</g>`);
  });
  const ticks = Array.from({ length: 5 }, (_, t) => lo + ((hi - lo) * t) / 4);
  parts.push(
    `<g class="axes" stroke="#5f6368"><line x1="${left}" y1="${bottom}" x2="${left + plotWidth}" y2="${bottom}"/><line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}"/></g>`,
    ...ticks.map((t, i) => `<text x="${x(t).toFixed(2)}" y="${bottom + 16}" text-anchor="${i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}" fill="#5f6368">${escapeHtml(h.format(t))}</text>`),
    `<text x="${left - 4}" y="${top + FONT}" text-anchor="end" fill="#5f6368">${max}</text>`,
    `<text x="${left - 4}" y="${bottom}" text-anchor="end" fill="#5f6368">0</text>`,
  );
  return `<figure>${svgOpen(bottom + 24, h.caption, 'histogram')}${parts.join('\n')}</svg><figcaption>${escapeHtml(h.caption)}</figcaption></figure>`;
}
