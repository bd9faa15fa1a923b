/**
 * The audit's reports (issue 13 item 6): `report.json` for machines — every check with its name,
 * statistic, p-value or margin and verdict, and everything needed to reproduce and judge the run
 * (configuration, plugins, versions, seeds, sample sizes, policy) — and `report.md` for people.
 * The JSON is versioned (`format`); numbers that are not finite (a margin of Infinity when no
 * ciphertext was returned) are written as null. Later reports (HTML, budgets, comparisons) read it.
 */
import type { Party } from '../core/channel.ts';
import type { RevealPolicy } from '../core/inference/plan.ts';
import { formatResult } from './audit.ts';
import type { AuditPolicy, CheckResult } from './checks/check.ts';
import type { InferenceAudit } from './inference-audit.ts';

export const AUDIT_REPORT_FORMAT = 'gazelle-audit-report/1';

/** What the caller knows about the run besides the audit itself. */
export interface AuditContext {
  readonly network: { readonly name: string; readonly source: string; readonly architectureFingerprint: string; readonly modelFingerprint: string | null };
  /** The configuration as given (`configToJson`); the audit ran it under the test profile. */
  readonly configuration: unknown;
  readonly plugins: readonly { readonly kind: string; readonly name: string; readonly security: string; readonly origin: string }[];
  readonly versions: Readonly<Record<string, string>>;
  readonly reveal: RevealPolicy;
  readonly seed: string;
  readonly startedAt: string;
  readonly seconds: number;
}

export interface AuditDocument {
  readonly format: string;
  readonly verdict: 'pass' | 'fail';
  readonly startedAt: string;
  readonly seconds: number;
  readonly network: AuditContext['network'];
  readonly configuration: unknown;
  readonly plugins: AuditContext['plugins'];
  readonly versions: AuditContext['versions'];
  readonly parameters: {
    readonly reveal: RevealPolicy;
    readonly seed: string;
    /** How each attempt's seeds derive from `seed`. */
    readonly seedDerivation: string;
    readonly inferencesPerRun: number;
    readonly returnedCiphertextsPerInference: number;
    readonly garbledEvaluatorBitsPerInference: number;
  };
  readonly policy: AuditPolicy & { readonly statement: string };
  readonly audits: readonly {
    readonly observer: Party;
    readonly secret: string;
    readonly experiment: string;
    readonly verdict: 'pass' | 'fail';
    readonly seconds: number;
    readonly samples: { readonly runsPerClass: number; readonly simulatedPerAttempt: number; readonly attempts: number };
    readonly statisticalChecks: number;
    readonly falseAlarmBound: number;
    readonly checks: readonly CheckResult[];
  }[];
}

export function auditDocument(context: AuditContext, audit: InferenceAudit): AuditDocument {
  const policy = audit.audits[0]?.report.policy;
  if (!policy) throw new RangeError('auditDocument: the audit has no observer');
  return {
    format: AUDIT_REPORT_FORMAT,
    verdict: audit.verdict,
    startedAt: context.startedAt,
    seconds: context.seconds,
    network: context.network,
    configuration: context.configuration,
    plugins: context.plugins,
    versions: context.versions,
    parameters: {
      reveal: context.reveal,
      seed: context.seed,
      seedDerivation: '<seed>/<experiment>/attempt-<k>, then /observer, /other/<run>, /simulator/<run>, /class-order, /random-secrets',
      inferencesPerRun: audit.inferencesPerRun,
      returnedCiphertextsPerInference: audit.plan.returnedCiphertexts,
      garbledEvaluatorBitsPerInference: audit.plan.evaluatorInputBits,
    },
    policy: {
      ...policy,
      statement:
        `each statistical check controls its false alarms at α = ${policy.alpha} (${policy.correction} across its positions where it tests several), ` +
        `a failing one is re-run ${policy.retries === 1 ? 'once' : `${policy.retries} times`} on fresh evidence and fails only if every attempt fails; ` +
        'deterministic checks state the probability of a chance failure',
    },
    audits: audit.audits.map((a) => ({
      observer: a.observer,
      secret: a.secret,
      experiment: a.experiment,
      verdict: a.report.verdict,
      seconds: a.seconds,
      samples: { runsPerClass: a.runsPerClass, simulatedPerAttempt: a.runsPerClass, attempts: a.attempts },
      statisticalChecks: a.report.statisticalChecks,
      falseAlarmBound: a.report.falseAlarmBound,
      checks: a.report.results,
    })),
  };
}

/** `report.json`: the document, non-finite numbers as null. */
export function auditJson(document: AuditDocument): string {
  return `${JSON.stringify(document, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function evidenceOf(r: CheckResult): string {
  if (r.pValue !== undefined) return `p = ${r.pValue.toExponential(2)} (α = ${r.alpha})`;
  return r.margin ? `${r.margin.name}: ${r.margin.value.toPrecision(3)}` : '';
}

function effectOf(r: CheckResult): string {
  return r.detectableEffect ? `${r.detectableEffect.size.toPrecision(3)} ${r.detectableEffect.unit}` : '—';
}

/** `report.md`: the verdict first, then per observer a table of the checks and what each found. */
export function auditMarkdown(document: AuditDocument): string {
  const lines: string[] = [];
  const failed = document.audits.flatMap((a) => a.checks.filter((c) => c.verdict === 'fail').map((c) => `${a.observer}: ${c.name}`));
  lines.push(`# Privacy audit of network ${document.network.name}: ${document.verdict === 'pass' ? 'PASS' : 'FAIL'}`, '');
  lines.push(failed.length ? `Failed checks: ${failed.join('; ')}.` : 'Every check passed.', '');
  lines.push(
    `- Network: ${document.network.name} (${document.network.source}), architecture ${document.network.architectureFingerprint.slice(0, 16)}…` +
      (document.network.modelFingerprint ? `, model ${document.network.modelFingerprint.slice(0, 16)}…` : ''),
    `- Plugins: ${document.plugins.map((p) => `${p.kind} ${p.name}${p.security === 'insecure-test-only' ? ' (insecure-test-only)' : ''}${p.origin === 'builtin' ? '' : ` [${p.origin}]`}`).join(', ')}`,
    `- Reveal: ${document.parameters.reveal}; ${document.parameters.inferencesPerRun} inference(s) per session; ${document.parameters.returnedCiphertextsPerInference} returned ciphertexts and ${document.parameters.garbledEvaluatorBitsPerInference} garbled input bits per inference`,
    `- Seed: \`${document.parameters.seed}\`; started ${document.startedAt}, ${document.seconds.toFixed(0)} s`,
    `- Versions: ${Object.entries(document.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `- Policy: ${document.policy.statement}`,
    '',
  );
  for (const a of document.audits) {
    lines.push(`## The ${a.observer}'s view: ${a.verdict === 'pass' ? 'PASS' : 'FAIL'}`, '');
    lines.push(
      `The other party's secret: ${a.secret}. ${a.samples.runsPerClass} sessions per class and as many simulated views per evidence collection, ` +
        `${a.samples.attempts} collection(s), ${a.seconds.toFixed(0)} s. False-alarm bound of this suite: ${a.falseAlarmBound.toExponential(1)} (${a.statisticalChecks} statistical checks).`,
      '',
    );
    lines.push('| check | verdict | statistic | p-value or margin | detectable effect (power 0.9) | samples | finding |', '|---|---|---|---|---|---|---|');
    for (const r of a.checks) {
      lines.push(
        `| ${cell(r.name)} | ${r.verdict === 'pass' ? 'pass' : '**FAIL**'} | ${cell(`${r.statistic.name} = ${r.statistic.value.toPrecision(4)}`)} | ${cell(evidenceOf(r))} | ${cell(effectOf(r))} | ${cell(r.samples)} | ${cell(r.finding)}${r.attempts > 1 ? ` (${r.attempts} attempts)` : ''} |`,
      );
    }
    lines.push('', '<details><summary>Methods</summary>', '', ...a.checks.map((r) => `- **${r.name}**: ${r.method}`), '', '</details>', '');
  }
  lines.push(
    '## What this audit does not show',
    '',
    'It assumes semi-honest parties: a peer that deviates from the protocol is out of scope. A statistical test is evidence, not proof: ' +
      'a pass means no leak of at least the stated detectable effect in the features examined, and says nothing of features the checks do not look at.',
    '',
  );
  return lines.join('\n');
}

/** One line per check, for the console. */
export function auditSummary(document: AuditDocument): string[] {
  return document.audits.flatMap((a) => a.checks.map((r) => `${a.observer}: ${formatResult(r)}`));
}
