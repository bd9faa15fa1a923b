/**
 * The privacy audit's `report.html`: the audit document (harness/audit-report.ts, what `gazelle audit`
 * writes as report.json) as one self-contained page. The verdict first; per observer the check
 * table (statistic, p-value against α or the deciding margin, detectable effect, samples, finding,
 * verdict) and a chart of each statistical check's evidence against its threshold; then, when the
 * caller has them, the distributions behind key checks (histograms) and the performance of the same
 * network and configuration (a measured session: per-layer time and bytes, phases, each direction);
 * last the configuration, plugins, versions, seed and policy, and what the audit does not show.
 */
import type { CheckResult } from '../checks/check.ts';
import type { Measurement } from '../measurement.ts';
import type { AuditDocument } from '../audit-report.ts';
import { escapeHtml, factList, htmlTable, renderPage, section, verdictBadge, type Column } from './html.ts';
import { performanceSections } from './measurement-report.ts';
import { barChart, histogram, type Histogram } from './svg.ts';

/** What the page shows besides the audit document. */
export interface AuditPageExtras {
  /** Distributions behind checks (decryption noise under two weight sets, say), each with its caption. */
  readonly distributions?: readonly (Histogram & { readonly title: string; readonly note: string })[];
  /** A measured session of the same network and configuration: the performance section. */
  readonly measurement?: Measurement;
}

/** −log10 p is drawn; a p-value of 0 (below the smallest double) is drawn at this height. */
const MAX_EVIDENCE = 300;

/** A check's evidence on the −log10 scale: 0 for p = 1, growing as p shrinks. */
export function evidenceStrength(p: number): number {
  return p <= 0 ? MAX_EVIDENCE : Math.max(0, Math.min(MAX_EVIDENCE, -Math.log10(p)));
}

/** report.json writes a number that is not finite (a margin of Infinity: no ciphertext returned) as null. */
function figure(value: number | null, digits: number): string {
  return typeof value === 'number' ? value.toPrecision(digits) : 'not finite';
}

function evidenceText(r: CheckResult): string {
  if (r.pValue !== undefined) return `p = ${r.pValue.toExponential(2)} (α = ${r.alpha})`;
  return r.margin ? `${r.margin.name}: ${figure(r.margin.value, 3)}` : '–';
}

/** Figures here come with words (a margin's name, an effect's unit), so every column wraps. */
const CHECK_COLUMNS: readonly Column[] = ['check', 'verdict', 'statistic', 'p-value (α) or margin', 'detectable effect (power 0.9)', 'samples', 'finding'].map((header) => ({ header }));

function checkRow(r: CheckResult): string[] {
  return [
    `<strong>${escapeHtml(r.name)}</strong>`,
    verdictBadge(r.verdict === 'pass') + (r.attempts > 1 ? ` <span class="muted">(${r.attempts} attempts)</span>` : ''),
    escapeHtml(`${r.statistic.name} = ${figure(r.statistic.value, 4)}`),
    escapeHtml(evidenceText(r)),
    escapeHtml(r.detectableEffect ? `${r.detectableEffect.size.toPrecision(3)} ${r.detectableEffect.unit}` : '–'),
    escapeHtml(r.samples),
    escapeHtml(r.finding),
  ];
}

/** Each statistical check's −log10 p beside its threshold −log10 α: a check fails where its first bar reaches its second. */
function evidenceChart(observer: string, checks: readonly CheckResult[]): string | undefined {
  const statistical = checks.filter((r): r is CheckResult & { pValue: number; alpha: number } => r.pValue !== undefined && r.alpha !== undefined);
  if (statistical.length === 0) return undefined;
  return barChart({
    caption: `The ${observer}'s statistical checks: evidence −log10 p against the threshold −log10 α (a check fails when its evidence reaches its threshold; p = 0 is drawn at ${MAX_EVIDENCE})`,
    categories: statistical.map((r) => `${r.name} (${r.verdict})`),
    series: [
      { name: 'evidence −log10 p', values: statistical.map((r) => evidenceStrength(r.pValue)) },
      { name: 'threshold −log10 α', values: statistical.map((r) => -Math.log10(r.alpha)) },
    ],
    format: (v) => v.toFixed(2),
  });
}

function observerSection(audit: AuditDocument['audits'][number]): string {
  const failed = audit.checks.filter((r) => r.verdict === 'fail').length;
  const chart = evidenceChart(audit.observer, audit.checks);
  return section(
    `The ${audit.observer}'s view: ${audit.verdict === 'pass' ? 'pass' : 'FAIL'}`,
    `<p>${verdictBadge(audit.verdict === 'pass', audit.verdict === 'pass' ? 'every check passed' : `${failed} check${failed === 1 ? '' : 's'} failed`)} ` +
      escapeHtml(
        `The other party's secret: ${audit.secret}. Experiment ${audit.experiment}: ${audit.samples.runsPerClass} sessions per class and as many simulated views per evidence collection, ` +
          `${audit.samples.attempts} collection${audit.samples.attempts === 1 ? '' : 's'}, ${audit.seconds.toFixed(0)} s. ` +
          `False-alarm bound of this suite: ${audit.falseAlarmBound.toExponential(1)} (${audit.statisticalChecks} statistical checks).`,
      ) +
      '</p>',
    htmlTable(CHECK_COLUMNS, audit.checks.map(checkRow), (i) => (audit.checks[i]!.verdict === 'fail' ? 'failed' : undefined)),
    ...(chart ? [chart] : []),
    `<details><summary>Methods</summary><ul>${audit.checks.map((r) => `<li><strong>${escapeHtml(r.name)}</strong>: ${escapeHtml(r.method)}</li>`).join('')}</ul></details>`,
  );
}

const code = (text: string) => `<code>${escapeHtml(text)}</code>`;

function setupSection(d: AuditDocument): string {
  return section(
    'Configuration, versions, seed',
    factList([
      ['network', `${escapeHtml(d.network.name)} (${escapeHtml(d.network.source)})`],
      ['architecture fingerprint', code(d.network.architectureFingerprint)],
      ['model fingerprint', d.network.modelFingerprint === null ? '–' : code(d.network.modelFingerprint)],
      ['plugins', d.plugins.map((p) => `${escapeHtml(p.kind)} ${code(p.name)}${p.security === 'insecure-test-only' ? ' <span class="fail">(insecure-test-only)</span>' : ''}${p.origin === 'builtin' ? '' : ` [${escapeHtml(p.origin)}]`}`).join(', ')],
      ['reveal', escapeHtml(d.parameters.reveal)],
      ['per inference', escapeHtml(`${d.parameters.returnedCiphertextsPerInference} returned ciphertexts, ${d.parameters.garbledEvaluatorBitsPerInference} garbled input bits; ${d.parameters.inferencesPerRun} inference(s) per session`)],
      ['seed', `${code(d.parameters.seed)} <span class="muted">(${escapeHtml(d.parameters.seedDerivation)})</span>`],
      ['policy', escapeHtml(d.policy.statement)],
      ['versions', Object.entries(d.versions).map(([k, v]) => `${escapeHtml(k)} ${code(v)}`).join(', ')],
      ['started', escapeHtml(`${d.startedAt}, ${d.seconds.toFixed(0)} s`)],
    ]),
    `<pre><code>${escapeHtml(JSON.stringify(d.configuration, null, 2))}</code></pre>`,
  );
}

export function auditHtml(d: AuditDocument, extras: AuditPageExtras = {}): string {
  const failed = d.audits.flatMap((a) => a.checks.filter((c) => c.verdict === 'fail').map((c) => `${a.observer}: ${c.name}`));
  const m = extras.measurement;
  return renderPage({
    title: `Privacy audit of network ${d.network.name}: ${d.verdict === 'pass' ? 'PASS' : 'FAIL'}`,
    summary:
      `${verdictBadge(d.verdict === 'pass', d.verdict === 'pass' ? 'PASS' : 'FAIL')} ` +
      escapeHtml(
        (failed.length > 0 ? `Failed checks: ${failed.join('; ')}. ` : 'Every check passed. ') +
          `Views of ${d.audits.map((a) => `the ${a.observer}`).join(' and ')} under fixed and random secrets of the other party, against simulated views, canaries and the flooding margin; started ${d.startedAt}.`,
      ),
    sections: [
      htmlTable(
        [{ header: 'observer' }, { header: 'verdict' }, { header: 'checks', numeric: true }, { header: 'failed', numeric: true }],
        d.audits.map((a) => [escapeHtml(a.observer), verdictBadge(a.verdict === 'pass'), String(a.checks.length), String(a.checks.filter((c) => c.verdict === 'fail').length)]),
        (i) => (d.audits[i]!.verdict === 'fail' ? 'failed' : undefined),
      ),
      ...d.audits.map(observerSection),
      ...(extras.distributions ?? []).map((h) => section(h.title, `<p class="muted">${escapeHtml(h.note)}</p>`, histogram(h))),
      ...(m
        ? [
            section(
              'Performance of the same network and configuration',
              `<p class="muted">${escapeHtml(`A separate session of ${m.network.name} under ${m.configuration.name} (${m.images}), measured ${m.environment.date} at load average ${m.environment.loadAverage}: what the audited protocol costs.`)}</p>`,
            ),
            ...performanceSections(m),
          ]
        : []),
      setupSection(d),
      section(
        'What this audit does not show',
        '<p>It assumes semi-honest parties: a peer that deviates from the protocol is out of scope. A statistical test is evidence, not proof: a pass means no leak of at least the stated detectable effect in the features examined, and says nothing of features the checks do not look at.</p>',
      ),
    ],
  });
}
