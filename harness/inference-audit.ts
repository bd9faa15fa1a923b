/**
 * The privacy audit of whole inferences (issue 13 items 3 and 6): for each observing party, collect
 * fixed-vs-random evidence on real sessions of the engine (experiments/inference.ts), simulate the
 * random runs' views, and run that party's checks (suites.ts) under the audit policy (one retry of a
 * failing statistical check on fresh evidence). `gazelle audit`, the feature and the false-alarm
 * script all run audits through here.
 */
import type { Party } from '../core/channel.ts';
import type { GazelleConfig } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';
import type { InferencePlan, RevealPolicy } from '../core/inference/plan.ts';
import type { Model } from '../core/model/model.ts';
import type { PluginRegistry } from '../core/registry.ts';
import { positiveInteger } from './arguments.ts';
import { runAudit, type AuditReport } from './audit.ts';
import { DEFAULT_POLICY, type AuditPolicy } from './checks/check.ts';
import { collectEvidence, type Experiment } from './evidence.ts';
import { clientViewExperiment, closeInferencePools, inferencePlan, serverViewExperiment, startInferencePools, type InferencePools } from './experiments/inference.ts';
import { PER_SLOT_OBSERVATIONS } from './checks/per-slot-masks.ts';
import { clientInferenceChecks, serverInferenceChecks } from './suites.ts';

export interface InferenceAuditOptions {
  /** The configuration to audit; it runs under the test profile (seeded randomness, an observer of the client). */
  readonly config: GazelleConfig;
  readonly registry: PluginRegistry;
  readonly model: Model;
  readonly reveal?: RevealPolicy;
  /** Which parties' views to audit (default both). */
  readonly observers?: readonly Party[];
  /** Runs (sessions) per class and observer (fixed and random secret; as many simulated views as random runs). */
  readonly runs: number;
  /** Inferences per session (default 2). */
  readonly inferences?: number;
  /** Seed of everything the audit draws (the observer's input and randomness, the secrets, the order of the runs). */
  readonly seed: string;
  readonly policy?: AuditPolicy;
  /** Running HE workers to share (tests); default: started and closed here. */
  readonly pools?: InferencePools;
  /** Called as each observer's audit starts and ends. */
  readonly progress?: (event: { observer: Party; done: boolean }) => void;
}

/** One observer's audit: its report, what it compared and how long it took. */
export interface ObserverAudit {
  readonly observer: Party;
  /** The other party's secret that varies between the classes. */
  readonly secret: string;
  readonly experiment: string;
  readonly report: AuditReport;
  /** Views per class in each evidence collection. */
  readonly runsPerClass: number;
  /** Evidence collections used (1 + retries). */
  readonly attempts: number;
  readonly seconds: number;
}

export interface InferenceAudit {
  readonly plan: InferencePlan;
  readonly inferencesPerRun: number;
  readonly audits: readonly ObserverAudit[];
  readonly verdict: 'pass' | 'fail';
}

const SECRETS: Record<Party, string> = {
  client: "the server's weights (fixed: the all-ones model; random: uniform within the model's magnitudes)",
  server: "the client's image (fixed: one seeded random image; random: fresh uniform pixels)",
};

export async function auditInference(options: InferenceAuditOptions): Promise<InferenceAudit> {
  const runs = positiveInteger(options.runs, 'audit: runs per class');
  if (runs < 2) throw new ConfigError('audit: at least 2 runs per class (the two-class tests compare at least two views of each)');
  const inferences = positiveInteger(options.inferences ?? 2, 'audit: inferences per session');
  const observers = options.observers ?? (['client', 'server'] as const);
  if (observers.includes('client') && runs * inferences < PER_SLOT_OBSERVATIONS) {
    throw new ConfigError(`audit: the client's view needs runs per class × inferences per session ≥ ${PER_SLOT_OBSERVATIONS} (per-slot-masks sees each slot that often under the fixed secret); got ${runs} × ${inferences}`);
  }
  const config: GazelleConfig = { ...options.config, profile: 'test' };
  const pools = options.pools ?? (await startInferencePools(config, options.registry, options.model.architecture.plainModulus));
  try {
    const plan = await inferencePlan({ ...options, config }, pools);
    const audits: ObserverAudit[] = [];
    for (const observer of observers) {
      options.progress?.({ observer, done: false });
      const experimentOptions = { config, registry: options.registry, model: options.model, inferences, pools, ...(options.reveal ? { reveal: options.reveal } : {}) };
      const experiment = (observer === 'client' ? clientViewExperiment(experimentOptions) : serverViewExperiment(experimentOptions)) as Experiment<unknown>;
      const checks = observer === 'client' ? clientInferenceChecks(plan, pools.client.measuresNoise) : serverInferenceChecks(plan);
      const started = performance.now();
      let attempts = 0;
      const report = await runAudit(
        checks,
        (attempt) => {
          attempts = attempt + 1;
          return collectEvidence(experiment, { perClass: runs, seed: options.seed, attempt });
        },
        options.policy ?? DEFAULT_POLICY,
      );
      audits.push({ observer, secret: SECRETS[observer], experiment: experiment.name, report, runsPerClass: runs, attempts, seconds: (performance.now() - started) / 1000 });
      options.progress?.({ observer, done: true });
    }
    return { plan, inferencesPerRun: inferences, audits, verdict: audits.every((a) => a.report.verdict === 'pass') ? 'pass' : 'fail' };
  } finally {
    if (!options.pools) await closeInferencePools(pools);
  }
}
