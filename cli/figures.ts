/**
 * A JSON result (a benchmark's figures) as text for people: nested objects become titled sections,
 * the plain values of a section one aligned table, and numbers get their units from the key names
 * the suites use (`seconds`, `…Ms`, `…Bytes`, `…PerSecond`, `mbPerSecond`, `…Ratio`, `…Speedup`).
 * JSON output (`--json`) keeps the raw numbers; this is for the text output only.
 */
import { formatBytes, formatDuration, formatInteger, formatRate, renderTable } from './format.ts';

/** A key as words: `cotPerSecond` → "cot per second", `instances64` → "instances 64". */
function words(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .toLowerCase();
}

/** A plain number: integers grouped, others to 4 significant digits. */
function plainNumber(value: number): string {
  if (Number.isInteger(value)) return formatInteger(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return formatInteger(value);
  return Number(value.toPrecision(4)).toString();
}

type Unit = (value: number) => string;

/** The unit a key's name says its numbers are in, if it says one. */
function unitOf(key: string): Unit | undefined {
  const k = key.toLowerCase();
  if (k === 'mbpersecond') return (v) => `${plainNumber(v)} MB/s`;
  if (/bytesper/.test(k)) return (v) => `${plainNumber(v)} B`;
  if (/per(second|sec)$/.test(k)) return formatRate;
  if (/(^|[a-z])ms$/.test(k) && !/bytes/.test(k)) return (v) => formatDuration(v / 1000);
  if (/seconds?$/.test(k)) return formatDuration;
  if (/bytes$/.test(k) || k === 'upload' || k === 'download') return formatBytes;
  if (/(ratio|speedup)$/.test(k)) return (v) => `${Number(v.toPrecision(3))}×`;
  return undefined;
}

/** `value` formatted by what its key (or, failing that, its section's key: `parseMs: { aes: 2.1 }`) says it measures. */
export function formatFigure(key: string, value: unknown, inherited?: Unit): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'number') return Array.isArray(value) ? value.map((v) => formatFigure(key, v, inherited)).join(', ') : String(value);
  if (!Number.isFinite(value)) return String(value);
  return (unitOf(key) ?? inherited ?? plainNumber)(value);
}

/** Strings longer than this are printed as a paragraph under the table, not in a column. */
const LONG_TEXT = 40;

function isSection(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An array of objects: each is a section of its own, titled by its `name`/`layer` or its index. */
function titleOf(item: Record<string, unknown>, index: number): string {
  const name = item.name ?? item.layer;
  return typeof name === 'string' ? name : `#${index + 1}`;
}

/** `figures` as indented sections of two-column tables. */
export function renderFigures(figures: Record<string, unknown>, title?: string, depth = 0, inherited?: Unit): string {
  const indent = '  '.repeat(depth);
  const rows: string[][] = [];
  const notes: string[] = [];
  const sections: string[] = [];
  for (const [key, value] of Object.entries(figures)) {
    if (isSection(value)) {
      sections.push(renderFigures(value, words(key), depth + 1, unitOf(key) ?? inherited));
    } else if (Array.isArray(value) && value.length > 0 && value.every(isSection)) {
      value.forEach((item, i) => sections.push(renderFigures(item, `${words(key)}: ${titleOf(item, i)}`, depth + 1, inherited)));
    } else if (typeof value === 'string' && value.length > LONG_TEXT) {
      notes.push(`${indent}  ${words(key)}: ${value}`);
    } else {
      rows.push([words(key), formatFigure(key, value, inherited)]);
    }
  }
  const out: string[] = [];
  if (title !== undefined) out.push(`${indent}${title}`);
  if (rows.length > 0) {
    const table = renderTable(['', ''], rows, ['left', 'right']).split('\n').slice(2); // no header: the title says it
    out.push(...table.map((line) => `${indent}  ${line}`));
  }
  out.push(...notes);
  return [out.join('\n'), ...sections].filter((part) => part !== '').join('\n');
}
