/**
 * The report of one measured session (harness/measurement.ts): JSON for machines; Markdown and a
 * self-contained HTML page for people, with inline SVG charts of per-layer time (offline vs online),
 * per-layer bytes in each direction, and the phases; then the configuration, versions and machine.
 * The HTML sections are reused by the privacy audit's page, which adds its checks to them.
 */
import { formatBytes, formatDuration, formatInteger } from '../../cli/format.ts';
import type { Figures } from '../../core/inference/figures.ts';
import type { Measurement } from '../measurement.ts';
import { escapeHtml, factList, htmlTable, renderPage, section, verdictBadge, type Column } from './html.ts';
import { markdownTable } from './markdown.ts';
import { writeReportFiles, type ReportPaths } from './write.ts';
import { barChart } from './svg.ts';

/** Offline + online. */
export function totalFigures(a: Figures, b: Figures): Figures {
  return {
    seconds: a.seconds + b.seconds,
    clientToServer: a.clientToServer + b.clientToServer,
    serverToClient: a.serverToClient + b.serverToClient,
    rounds: a.rounds + b.rounds,
    messages: a.messages + b.messages,
  };
}

/** Whether every returned ciphertext kept the flooding margin the protocol requires (docs/architecture.md §6). */
export function marginHolds(m: Measurement): boolean {
  return m.margin.minBits >= m.margin.requiredBits;
}

export function describeMargin(m: Measurement): string {
  const { minBits, requiredBits } = m.margin;
  return `${minBits.toFixed(1)} bits (required ${requiredBits.toFixed(1)})${marginHolds(m) ? '' : ': below the requirement, no circuit privacy'}`;
}

function correctness(m: Measurement): { exact: number; correct: number | undefined; total: number } {
  const labelled = m.inferences.filter((r) => r.truth !== undefined);
  return {
    exact: m.inferences.filter((r) => r.equalsReference).length,
    correct: labelled.length > 0 ? labelled.filter((r) => r.label === r.truth).length : undefined,
    total: m.inferences.length,
  };
}

const PHASE_COLUMNS = ['phase', 'time', 'client → server', 'server → client', 'rounds', 'messages'];

function phaseRows(m: Measurement): string[][] {
  const row = (name: string, f: Figures) => [name, formatDuration(f.seconds), formatBytes(f.clientToServer), formatBytes(f.serverToClient), formatInteger(f.rounds), formatInteger(f.messages)];
  return [
    row('setup (once per session)', m.setup),
    row('offline', m.median.offline),
    row('online', m.median.online),
    row('inference (offline + online)', totalFigures(m.median.offline, m.median.online)),
  ];
}

const LAYER_COLUMNS = ['layer', 'kind', 'offline time', 'offline c→s', 'offline s→c', 'online time', 'online c→s', 'online s→c', 'online rounds'];

function layerRows(m: Measurement): string[][] {
  return m.median.layers.map((l) => [
    l.name,
    l.kind,
    formatDuration(l.offline.seconds),
    formatBytes(l.offline.clientToServer),
    formatBytes(l.offline.serverToClient),
    formatDuration(l.online.seconds),
    formatBytes(l.online.clientToServer),
    formatBytes(l.online.serverToClient),
    formatInteger(l.online.rounds),
  ]);
}

function headline(m: Measurement): string {
  const total = totalFigures(m.median.offline, m.median.online);
  return `${m.network.name} under ${m.configuration.name}: ${formatDuration(total.seconds)} per inference (offline ${formatDuration(m.median.offline.seconds)}, online ${formatDuration(m.median.online.seconds)}), ${formatBytes(total.clientToServer + total.serverToClient)}`;
}

export function measurementMarkdown(m: Measurement): string {
  const c = correctness(m);
  const numeric = (n: number) => Array.from({ length: n }, (_, i) => i > 0);
  return [
    `# Private inference: ${m.network.name} under configuration ${m.configuration.name}`,
    '',
    `${headline(m)}. Medians of ${m.inferences.length} inference${m.inferences.length === 1 ? '' : 's'} (${m.images}); bytes and rounds are the same in every inference.`,
    '',
    `- results equal to the plaintext reference bit for bit: ${c.exact} of ${c.total}`,
    ...(c.correct !== undefined ? [`- correctly classified: ${c.correct} of ${c.total}`] : []),
    `- flooding margin: ${describeMargin(m)}`,
    `- plugins: ${Object.entries(m.configuration.plugins).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `- HE: ${m.configuration.he.preset}, n = ${m.configuration.he.polyModulusDegree}, p = ${m.configuration.he.plainModulus}; ${m.configuration.serverHeWorkers} server HE workers; network profile ${m.configuration.network.profile}`,
    '',
    '## Phases',
    '',
    markdownTable(PHASE_COLUMNS, phaseRows(m), numeric(PHASE_COLUMNS.length)),
    '',
    '## Layers (median)',
    '',
    markdownTable(LAYER_COLUMNS, layerRows(m), LAYER_COLUMNS.map((_, i) => i > 1)),
    '',
    '## Environment',
    '',
    environmentLines(m).map(([k, v]) => `- ${k}: ${v}`).join('\n'),
    '',
  ].join('\n');
}

function environmentLines(m: Measurement): [string, string][] {
  const e = m.environment;
  return [
    ['gazelle-ts', e.gazelle],
    ['Node', e.node],
    ['node-seal', e.nodeSeal],
    ['machine', `${e.platform}, ${e.cpus} × ${e.cpuModel}`],
    ['load average (1 min)', String(e.loadAverage)],
    ['date', e.date],
  ];
}

/** The charts of one session: per-layer time offline vs online, per-layer bytes each way, bytes per phase. */
export function measurementCharts(m: Measurement): string[] {
  const layers = m.median.layers;
  const names = layers.map((l) => `${l.name} (${l.kind})`);
  return [
    barChart({
      caption: `Time per layer, offline and online (median of ${m.inferences.length})`,
      categories: names,
      series: [
        { name: 'offline', values: layers.map((l) => l.offline.seconds) },
        { name: 'online', values: layers.map((l) => l.online.seconds) },
      ],
      format: formatDuration,
    }),
    barChart({
      caption: 'Bytes per layer in each direction, offline and online (a direction and phase in which no layer sends anything is left out)',
      categories: names,
      series: [
        { name: 'offline client → server', values: layers.map((l) => l.offline.clientToServer) },
        { name: 'offline server → client', values: layers.map((l) => l.offline.serverToClient) },
        { name: 'online client → server', values: layers.map((l) => l.online.clientToServer) },
        { name: 'online server → client', values: layers.map((l) => l.online.serverToClient) },
      ].filter((s) => s.values.some((v) => v > 0)),
      format: formatBytes,
    }),
    barChart({
      caption: 'Bytes per phase in each direction (setup once per session; offline and online per inference)',
      categories: ['setup', 'offline', 'online'],
      series: [
        { name: 'client → server', values: [m.setup.clientToServer, m.median.offline.clientToServer, m.median.online.clientToServer] },
        { name: 'server → client', values: [m.setup.serverToClient, m.median.offline.serverToClient, m.median.online.serverToClient] },
      ],
      format: formatBytes,
    }),
  ];
}

const code = (text: string) => `<code>${escapeHtml(text)}</code>`;

/** The configuration as run, versions and machine (the facts a reader needs to reproduce a figure). */
export function configurationSection(m: Measurement, title = 'Configuration, versions, machine'): string {
  const { he, network } = m.configuration;
  return section(
    title,
    factList([
      ['network', `${escapeHtml(m.network.name)} (${escapeHtml(m.network.architecture)}; ${escapeHtml(m.network.source)})`],
      ['model fingerprint', code(m.network.modelFingerprint)],
      ['architecture fingerprint', code(m.network.architectureFingerprint)],
      ['configuration', `${escapeHtml(m.configuration.name)} (${code(m.configuration.file)})`],
      ['plugins', Object.entries(m.configuration.plugins).map(([k, v]) => `${escapeHtml(k)} ${code(v)}`).join(', ')],
      ['HE parameters', escapeHtml(`${he.preset}: n = ${he.polyModulusDegree}, p = ${he.plainModulus}, log2 q = ${he.coeffModulusBits.join(' + ')}`)],
      ['network profile', escapeHtml(`${network.profile}: ${network.latencyMs} ms one way, ${network.bandwidthMbps === null ? 'unlimited bandwidth' : `${network.bandwidthMbps} Mbit/s`}`)],
      ['server HE workers', String(m.configuration.serverHeWorkers)],
      ['reveal', escapeHtml(m.reveal)],
      ['images', escapeHtml(m.images)],
      ...environmentLines(m).map(([k, v]) => [k, escapeHtml(v)] as [string, string]),
    ]),
    `<pre><code>${escapeHtml(JSON.stringify(m.configuration.config, null, 2))}</code></pre>`,
  );
}

const numericColumns = (headers: readonly string[], from: number): Column[] => headers.map((header, i) => ({ header, numeric: i >= from }));

/** Phases and layers of one session: tables and charts (this page's, and the audit page's performance section). */
export function performanceSections(m: Measurement): string[] {
  const [layerTime, layerBytes, phaseBytes] = measurementCharts(m);
  return [
    section(
      'Phases',
      `<p class="muted">Time is the median of ${m.inferences.length} inference${m.inferences.length === 1 ? '' : 's'} at the client (waiting for the server included); bytes and rounds are the same in every inference and equal the plan's prediction.</p>`,
      htmlTable(numericColumns(PHASE_COLUMNS, 1), phaseRows(m)),
      phaseBytes!,
    ),
    section('Layers', layerTime!, layerBytes!, htmlTable(numericColumns(LAYER_COLUMNS, 2), layerRows(m))),
  ];
}

/** The sections of a session's page: summary, phases, layers, inferences, configuration. */
export function measurementSections(m: Measurement): string[] {
  const c = correctness(m);
  return [
    section(
      'Summary',
      factList([
        ['per inference', escapeHtml(headline(m))],
        ['bit-exact results', `${verdictBadge(c.exact === c.total, `${c.exact} of ${c.total}`)} equal the plaintext reference`],
        ...(c.correct !== undefined ? [['correctly classified', escapeHtml(`${c.correct} of ${c.total}`)] as [string, string]] : []),
        ['flooding margin', `${verdictBadge(marginHolds(m))} ${escapeHtml(describeMargin(m))}`],
      ]),
    ),
    ...performanceSections(m),
    section(
      'Inferences',
      htmlTable(
        numericColumns(['#', 'label', 'true label', 'equals the reference', 'offline', 'online'], 0).map((col, i) => ({ ...col, numeric: i !== 3 })),
        m.inferences.map((r, i) => [
          String(i),
          String(r.label),
          r.truth === undefined ? '–' : String(r.truth),
          verdictBadge(r.equalsReference, r.equalsReference ? 'yes' : 'NO'),
          formatDuration(r.figures.offline.seconds),
          formatDuration(r.figures.online.seconds),
        ]),
      ),
    ),
    configurationSection(m),
  ];
}

export function measurementHtml(m: Measurement): string {
  return renderPage({
    title: `Private inference: ${m.network.name} under ${m.configuration.name}`,
    summary: `Measured ${escapeHtml(m.environment.date)} with gazelle-ts ${escapeHtml(m.environment.gazelle)} on ${escapeHtml(m.environment.platform)} (${m.environment.cpus} cores, load average ${m.environment.loadAverage}); ${escapeHtml(m.images)}.`,
    sections: measurementSections(m),
  });
}

/** report.json, report.md and report.html in `dir`. */
export function writeMeasurementReport(dir: string, m: Measurement): ReportPaths {
  return writeReportFiles(dir, m, measurementMarkdown(m), measurementHtml(m));
}
