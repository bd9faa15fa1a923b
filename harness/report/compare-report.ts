/**
 * The report of `gazelle compare`: JSON for machines; Markdown and a self-contained HTML page with
 * grouped bar charts (one group per phase, direction or layer, one bar per configuration) for
 * people. Side by side: time per phase, bytes per direction, rounds, flooding margins and check
 * verdicts. A configuration that fails a check stays in every table and chart, marked; one that
 * failed to run is listed with its error.
 */
import { formatBytes, formatDuration, formatInteger } from '../../cli/format.ts';
import type { Figures } from '../../core/inference/figures.ts';
import { PLUGIN_KINDS } from '../../core/plugin.ts';
import type { ComparedConfiguration, Comparison } from '../compare.ts';
import type { Measurement } from '../measurement.ts';
import { escapeHtml, factList, htmlTable, renderPage, section, verdictBadge } from './html.ts';
import { markdownTable } from './markdown.ts';
import { writeReportFiles, type ReportPaths } from './write.ts';
import { totalFigures } from './measurement-report.ts';
import { barChart, type BarSeries } from './svg.ts';

type Measured = ComparedConfiguration & { readonly measurement: Measurement };

function measured(c: Comparison): Measured[] {
  return c.configurations.filter((x): x is Measured => x.measurement !== undefined);
}

function verdictText(x: ComparedConfiguration): string {
  if (x.error) return `did not run: ${x.error.type}: ${x.error.message}`;
  const failed = x.checks.filter((c) => c.verdict === 'fail').map((c) => c.name);
  return failed.length === 0 ? 'pass' : `FAIL: ${failed.join(', ')}`;
}

/** What the side-by-side table shows, one row each: its label and its cell for a measured configuration. */
const SIDE_BY_SIDE: readonly (readonly [string, (m: Measurement) => string])[] = [
  ['HE', (m) => `${m.configuration.he.preset}, n = ${m.configuration.he.polyModulusDegree}`],
  ['garbling', (m) => m.configuration.plugins.garbling],
  ['transport', (m) => m.configuration.plugins.transport],
  ['link', (m) => m.configuration.network.profile],
  ['setup time', (m) => formatDuration(m.setup.seconds)],
  ['offline time', (m) => formatDuration(m.median.offline.seconds)],
  ['online time', (m) => formatDuration(m.median.online.seconds)],
  ['inference time', (m) => formatDuration(m.median.offline.seconds + m.median.online.seconds)],
  ['setup c→s / s→c', (m) => `${formatBytes(m.setup.clientToServer)} / ${formatBytes(m.setup.serverToClient)}`],
  ['offline c→s / s→c', (m) => `${formatBytes(m.median.offline.clientToServer)} / ${formatBytes(m.median.offline.serverToClient)}`],
  ['online c→s / s→c', (m) => `${formatBytes(m.median.online.clientToServer)} / ${formatBytes(m.median.online.serverToClient)}`],
  ['inference bytes', (m) => formatBytes(totalBytes(totalFigures(m.median.offline, m.median.online)))],
  ['rounds setup / off / on', (m) => `${m.setup.rounds} / ${m.median.offline.rounds} / ${m.median.online.rounds}`],
  ['margin (required)', (m) => `${m.margin.minBits.toFixed(1)} (${m.margin.requiredBits.toFixed(1)}) bits`],
];

/** What the short labels of the side-by-side table mean. */
export const SIDE_BY_SIDE_NOTE =
  'Setup is once per session; offline and online are per inference, and an inference is offline + online. Times are medians at the client ' +
  '(waiting for the other party included); bytes (c→s: client to server, s→c: server to client) and rounds are the same in every inference. ' +
  'The margin is the smallest flooding margin of any returned ciphertext, and the one the protocol requires (docs/architecture.md §6).';

function totalBytes(f: Figures): number {
  return f.clientToServer + f.serverToClient;
}

/**
 * The side-by-side table (cells as text): one column per configuration, one row per figure, the
 * checks' verdict last. The CLI prints it; Markdown and HTML show it.
 */
export function sideBySide(c: Comparison): { header: string[]; rows: string[][] } {
  const header = ['', ...c.configurations.map((x) => (x.passed ? x.name : `${x.name} (marked)`))];
  const rows = SIDE_BY_SIDE.map(([label, cell]) => [label, ...c.configurations.map((x) => (x.measurement ? cell(x.measurement) : '–'))]);
  rows.push(['checks', ...c.configurations.map(verdictText)]);
  return { header, rows };
}

function series(list: readonly Measured[], values: (m: Measurement) => number[]): BarSeries[] {
  return list.map((x) => ({ name: x.name, values: values(x.measurement), ...(x.passed ? {} : { marked: true }) }));
}

const PHASE_NAMES = ['setup', 'offline', 'online'] as const;

function phase(m: Measurement, name: (typeof PHASE_NAMES)[number]): Figures {
  return name === 'setup' ? m.setup : m.median[name];
}

/** Whether every measured configuration ran the same plan (same layers), so per-layer bars line up. */
function sameLayers(list: readonly Measured[]): boolean {
  const names = (m: Measurement) => m.median.layers.map((l) => l.name).join('\n');
  return list.every((x) => names(x.measurement) === names(list[0]!.measurement));
}

/** The grouped bar charts of a comparison. */
export function comparisonCharts(c: Comparison): string[] {
  const list = measured(c);
  if (list.length === 0) return [];
  const inferences = list[0]!.measurement.inferences.length;
  const charts = [
    barChart({
      caption: `Time per phase (setup once per session; offline and online: median of ${inferences} inference${inferences === 1 ? '' : 's'})`,
      categories: [...PHASE_NAMES],
      series: series(list, (m) => PHASE_NAMES.map((p) => phase(m, p).seconds)),
      format: formatDuration,
    }),
    barChart({
      caption: 'Bytes per phase and direction',
      categories: PHASE_NAMES.flatMap((p) => [`${p}, client → server`, `${p}, server → client`]),
      series: series(list, (m) => PHASE_NAMES.flatMap((p) => [phase(m, p).clientToServer, phase(m, p).serverToClient])),
      format: formatBytes,
    }),
    barChart({
      caption: 'Rounds per phase (changes of direction seen by the client)',
      categories: [...PHASE_NAMES],
      series: series(list, (m) => PHASE_NAMES.map((p) => phase(m, p).rounds)),
      format: (v) => formatInteger(v),
    }),
  ];
  if (sameLayers(list)) {
    const layers = list[0]!.measurement.median.layers.map((l) => `${l.name} (${l.kind})`);
    for (const p of ['offline', 'online'] as const) {
      charts.push(
        barChart({
          caption: `${p === 'offline' ? 'Offline' : 'Online'} time per layer (median)`,
          categories: layers,
          series: series(list, (m) => m.median.layers.map((l) => l[p].seconds)),
          format: formatDuration,
        }),
      );
    }
  }
  return charts;
}

/** Each plugin kind's choice per configuration; kinds where they differ first. */
function pluginRows(list: readonly Measured[]): { rows: string[][]; differing: boolean[] } {
  const kinds = [...PLUGIN_KINDS].sort((a, b) => Number(differs(b)) - Number(differs(a)));
  function differs(kind: (typeof PLUGIN_KINDS)[number]): boolean {
    return new Set(list.map((x) => x.measurement.configuration.plugins[kind])).size > 1;
  }
  const network = (m: Measurement) => `${m.configuration.network.profile} (${m.configuration.network.latencyMs} ms, ${m.configuration.network.bandwidthMbps ?? '∞'} Mbit/s)`;
  const preset = (m: Measurement) => `${m.configuration.he.preset}, n = ${m.configuration.he.polyModulusDegree}, p = ${m.configuration.he.plainModulus}`;
  const rows = [
    ...kinds.map((kind) => [kind, ...list.map((x) => x.measurement.configuration.plugins[kind])]),
    ['HE parameters', ...list.map((x) => preset(x.measurement))],
    ['link', ...list.map((x) => network(x.measurement))],
  ];
  return { rows, differing: rows.map((r) => new Set(r.slice(1)).size > 1) };
}

function headline(c: Comparison): string {
  const failing = c.configurations.filter((x) => !x.passed).map((x) => x.name);
  return (
    `Network ${c.network} under ${c.configurations.length} configurations (${c.configurations.map((x) => x.name).join(', ')}); ${c.images}, reveal ${c.reveal}. ` +
    (failing.length === 0 ? 'Every configuration ran and passed its checks.' : `Marked: ${failing.join(', ')} (a failed check, or did not run).`)
  );
}

export function comparisonMarkdown(c: Comparison): string {
  const list = measured(c);
  const table = sideBySide(c);
  const plugins = list.length > 0 ? pluginRows(list) : undefined;
  return [
    `# Comparison: network ${c.network}`,
    '',
    headline(c),
    '',
    markdownTable(table.header, table.rows),
    '',
    SIDE_BY_SIDE_NOTE,
    '',
    '## Checks',
    '',
    markdownTable(
      ['configuration', 'check', 'verdict', 'detail'],
      c.configurations.flatMap((x) => (x.error ? [[x.name, 'runs', 'FAIL', `${x.error.type}: ${x.error.message}`]] : x.checks.map((k) => [x.name, k.name, k.verdict === 'pass' ? 'pass' : 'FAIL', k.detail]))),
    ),
    ...(plugins ? ['', '## Plugins', '', markdownTable(['kind', ...list.map((x) => x.name)], plugins.rows)] : []),
    '',
    `Measured ${c.environment.date}: gazelle-ts ${c.environment.gazelle}, Node ${c.environment.node}, node-seal ${c.environment.nodeSeal}, ${c.environment.platform}, ${c.environment.cpus} × ${c.environment.cpuModel}, load average ${c.environment.loadAverage}.`,
    '',
  ].join('\n');
}

export function comparisonHtml(c: Comparison): string {
  const list = measured(c);
  const plugins = list.length > 0 ? pluginRows(list) : undefined;
  const table = sideBySide(c);
  const last = table.rows.length - 1;
  const cells = table.rows.map((row, r) => row.map((cell, k) => (r === last && k > 0 ? verdictBadge(c.configurations[k - 1]!.passed, cell) : escapeHtml(cell))));
  const e = c.environment;
  return renderPage({
    title: `Comparison: network ${c.network}`,
    summary: escapeHtml(headline(c)),
    sections: [
      section(
        'Side by side',
        `<p class="muted">${escapeHtml(SIDE_BY_SIDE_NOTE)} A configuration that failed a check or did not run is marked.</p>`,
        htmlTable(
          table.header.map((header, k) => ({ header, numeric: k > 0 })),
          cells,
        ),
      ),
      section('Charts', ...comparisonCharts(c)),
      section(
        'Checks',
        htmlTable(
          [{ header: 'configuration' }, { header: 'check' }, { header: 'verdict' }, { header: 'detail' }],
          c.configurations.flatMap((x) =>
            x.error
              ? [[escapeHtml(x.name), 'runs', verdictBadge(false), escapeHtml(`${x.error.type}: ${x.error.message}`)]]
              : x.checks.map((k) => [escapeHtml(x.name), escapeHtml(k.name), verdictBadge(k.verdict === 'pass'), escapeHtml(k.detail)]),
          ),
        ),
      ),
      ...(plugins
        ? [
            section(
              'Plugins and parameters',
              '<p class="muted">Rows where the configurations differ come first.</p>',
              htmlTable(
                [{ header: 'kind' }, ...list.map((x) => ({ header: x.name }))],
                plugins.rows.map((row, i) => row.map((cell, k) => (k > 0 && plugins.differing[i] ? `<strong>${escapeHtml(cell)}</strong>` : escapeHtml(cell)))),
              ),
              ...list.map((x) => `<h3>${escapeHtml(x.name)}</h3><p><code>${escapeHtml(x.file)}</code></p><pre><code>${escapeHtml(JSON.stringify(x.measurement.configuration.config, null, 2))}</code></pre>`),
            ),
          ]
        : []),
      section(
        'Versions and machine',
        factList([
          ['gazelle-ts', escapeHtml(e.gazelle)],
          ['Node', escapeHtml(e.node)],
          ['node-seal', escapeHtml(e.nodeSeal)],
          ['machine', escapeHtml(`${e.platform}, ${e.cpus} × ${e.cpuModel}`)],
          ['load average (1 min)', escapeHtml(String(e.loadAverage))],
          ['date', escapeHtml(e.date)],
          ['model fingerprint', list.length > 0 ? `<code>${escapeHtml(list[0]!.measurement.network.modelFingerprint)}</code>` : '–'],
        ]),
      ),
    ],
  });
}

/** report.json, report.md and report.html in `dir`. */
export function writeComparisonReport(dir: string, c: Comparison): ReportPaths {
  return writeReportFiles(dir, c, comparisonMarkdown(c), comparisonHtml(c));
}
