/**
 * Human-readable figures for text output (JSON output keeps raw numbers): sizes, durations, rates
 * and aligned tables. Sizes and rates use decimal (SI) prefixes, as network speeds do: 1 MB = 10^6 B.
 */

/** At most 3 significant digits, no trailing zeros: 1.2, 340, 12.3. */
function significant(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const text = abs >= 100 ? Math.round(value).toString() : Number(value.toPrecision(3)).toString();
  return text;
}

/** `value` scaled to the largest prefix it reaches: 1234567 → "1.23 M". */
function withPrefix(value: number, unit: string, prefixes: readonly string[], base = 1000): string {
  let scaled = value;
  let k = 0;
  while (Math.abs(scaled) >= base && k < prefixes.length - 1) {
    scaled /= base;
    k++;
  }
  // 999.7 kB rounds to "1000 kB": show it as the next prefix instead.
  if (Math.abs(Math.round(scaled)) >= base && k < prefixes.length - 1) {
    scaled /= base;
    k++;
  }
  return `${significant(scaled)} ${prefixes[k]}${unit}`;
}

/** Bytes: 512 B, 1.2 kB, 340 MB, 2.1 GB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  return withPrefix(bytes, 'B', ['', 'k', 'M', 'G', 'T', 'P']);
}

/** A duration in seconds: 850 ns, 12 µs, 340 ms, 1.5 s, 2 min 5 s, 1 h 2 min. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  if (seconds === 0) return '0 s';
  if (seconds < 1e-6) return `${significant(seconds * 1e9)} ns`;
  if (seconds < 1e-3) return `${significant(seconds * 1e6)} µs`;
  if (seconds < 1) {
    const ms = Number((seconds * 1e3).toPrecision(3));
    return ms >= 1000 ? '1 s' : `${significant(ms)} ms`;
  }
  if (seconds < 60) {
    const s = Number(seconds.toPrecision(3));
    if (s < 60) return `${significant(s)} s`;
  }
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

/** Things per second: 9.4 M/s, 512/s; with a unit: 11.1 M AND/s. */
export function formatRate(perSecond: number, unit = ''): string {
  if (!Number.isFinite(perSecond)) return String(perSecond);
  const text = withPrefix(perSecond, '', ['', 'k', 'M', 'G', 'T']).trimEnd();
  return unit === '' ? `${text}/s` : `${text} ${unit}/s`;
}

/** A link speed from bytes per second, in bits as networks are quoted: 400 Mbit/s, 3 Gbit/s. */
export function formatBitRate(bytesPerSecond: number): string {
  if (bytesPerSecond === Infinity) return 'unlimited';
  return `${withPrefix(bytesPerSecond * 8, 'bit', ['', 'k', 'M', 'G', 'T'])}/s`;
}

/** An integer with thousands separators: 1,024,000. */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export type Alignment = 'left' | 'right';

/**
 * Rows of cells as aligned columns, two spaces apart, with the header underlined by dashes.
 * Columns whose cells (below the header) all start with a digit, sign or dot are right-aligned
 * unless `align` says otherwise.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly Alignment[]): string {
  const columns = header.length;
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const alignment = header.map((_, c) => align?.[c] ?? (rows.length > 0 && rows.every((r) => /^[-+.\d]/.test(r[c] ?? '')) ? 'right' : 'left'));
  const line = (cells: readonly string[]) =>
    Array.from({ length: columns }, (_, c) => {
      const cell = cells[c] ?? '';
      return alignment[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!);
    })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
