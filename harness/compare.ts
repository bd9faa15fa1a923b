/**
 * The same network under several plugin configurations, one after the other (never at once: they
 * would compete for the cores they are timed on), each through the wiring with its own registry.
 * Every configuration is wired first (a bad one is a ConfigError before anything runs); then each
 * gets its measurement and its checks. One that fails a check is marked; one that fails while it
 * runs is recorded with its error, and the comparison goes on with the next.
 *
 * Checks now: results bit-exact against the plaintext reference, and the flooding margin the
 * protocol requires (docs/architecture.md §6). The privacy audit's verdicts join this list per configuration.
 */
import type { ClientInference } from '../core/inference/client.ts';
import type { RevealPolicy } from '../core/inference/plan.ts';
import type { Model } from '../core/model/model.ts';
import { packageRelative } from '../core/package-root.ts';
import type { PluginRegistry } from '../core/registry.ts';
import { positiveInteger } from './arguments.ts';
import { registryFor, type NamedConfiguration } from './configurations.ts';
import { measureInference, type ImageSet, type Measurement } from './measurement.ts';
import { currentEnvironment, type Environment } from './report/environment.ts';
import { describeMargin, marginHolds } from './report/measurement-report.ts';

export interface CheckVerdict {
  readonly name: string;
  readonly verdict: 'pass' | 'fail';
  /** The figure that decided, in words. */
  readonly detail: string;
}

export interface ComparedConfiguration {
  readonly name: string;
  readonly file: string;
  /** Absent when the configuration failed to run (then `error` says why). */
  readonly measurement?: Measurement;
  readonly error?: { readonly type: string; readonly message: string };
  readonly checks: readonly CheckVerdict[];
  /** Ran, and passed every check. */
  readonly passed: boolean;
}

export interface Comparison {
  readonly network: string;
  readonly images: string;
  readonly reveal: RevealPolicy;
  readonly configurations: readonly ComparedConfiguration[];
  readonly environment: Environment;
}

export interface CompareOptions {
  readonly configurations: readonly NamedConfiguration[];
  readonly networkName: string;
  readonly model: Model;
  readonly images: ImageSet;
  readonly reveal?: RevealPolicy;
  /** Plugin modules every configuration loads (the command line's --plugin), relative to `cwd`. */
  readonly extraModules?: readonly string[];
  readonly cwd?: string;
  /** Called before each configuration runs, and after each of its inferences. */
  readonly onConfiguration?: (index: number, configuration: NamedConfiguration) => void;
  readonly onInference?: (index: number, result: ClientInference) => void;
}

/** The checks every measured configuration gets. */
export function measurementChecks(m: Measurement): CheckVerdict[] {
  const exact = m.inferences.filter((r) => r.equalsReference).length;
  return [
    { name: 'bit-exact', verdict: exact === m.inferences.length ? 'pass' : 'fail', detail: `${exact} of ${m.inferences.length} results equal the plaintext reference` },
    { name: 'flooding-margin', verdict: marginHolds(m) ? 'pass' : 'fail', detail: describeMargin(m) },
  ];
}

export async function compareConfigurations(options: CompareOptions): Promise<Comparison> {
  positiveInteger(options.configurations.length, 'configurations to compare');
  const names = new Set<string>();
  for (const c of options.configurations) {
    if (names.has(c.name)) throw new RangeError(`two configurations are named "${c.name}": rename one of the files`);
    names.add(c.name);
  }
  const reveal = options.reveal ?? 'logits';
  // A configuration that cannot be wired (unknown plugin, insecure plugin in production, a module
  // that does not load) is a ConfigError before anything runs, not minutes later.
  const registries: PluginRegistry[] = [];
  for (const configuration of options.configurations) registries.push(await registryFor(configuration, options.extraModules, options.cwd));
  const configurations: ComparedConfiguration[] = [];
  for (const [i, configuration] of options.configurations.entries()) {
    options.onConfiguration?.(i, configuration);
    try {
      const registry = registries[i]!;
      const measurement = await measureInference({
        configuration,
        registry,
        networkName: options.networkName,
        model: options.model,
        images: options.images,
        reveal,
        ...(options.onInference ? { onInference: options.onInference } : {}),
      });
      const checks = measurementChecks(measurement);
      configurations.push({ name: configuration.name, file: packageRelative(configuration.file), measurement, checks, passed: checks.every((c) => c.verdict === 'pass') });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      configurations.push({ name: configuration.name, file: packageRelative(configuration.file), error: { type: e.name, message: e.message }, checks: [], passed: false });
    }
  }
  return { network: options.networkName, images: options.images.description, reveal, configurations, environment: currentEnvironment() };
}
