/**
 * `gazelle audit`: the privacy audit of whole private inferences (harness/inference-audit.ts) on a
 * network, with the configured plugins — built-in, or a third party's loaded with `--plugin` — and
 * the reports `report.json`, `report.md` (harness/audit-report.ts) and `report.html` (harness/report/audit-html.ts). Exit code 1 when any check fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Party } from '../../core/channel.ts';
import { configToJson, selectPlugin, type GazelleConfig } from '../../core/config.ts';
import { withWiring } from '../../core/container.ts';
import { PROTOCOL_VERSION } from '../../core/inference/handshake.ts';
import { REVEAL_POLICIES, type RevealPolicy } from '../../core/inference/plan.ts';
import { architectureFingerprint } from '../../core/model/architecture-json.ts';
import { modelFingerprint } from '../../core/model/model-files.ts';
import type { Model } from '../../core/model/model.ts';
import { loadModel, resolveModel } from '../../core/model/model-store.ts';
import { PLUGIN_KINDS } from '../../core/plugin.ts';
import type { PluginRegistry } from '../../core/registry.ts';
import { auditDocument, auditJson, auditMarkdown, auditSummary } from '../../harness/audit-report.ts';
import { auditHtml, type AuditPageExtras } from '../../harness/report/audit-html.ts';
import { packageRelative } from '../../core/package-root.ts';
import { choiceOption, numberOption, requiredOption } from '../args.ts';
import { UsageError, type Command } from '../command.ts';

const OBSERVERS = ['client', 'server', 'both'] as const;

/** Versions of what produced the report: this package, Node, the HE library, the inference protocol. */
function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const seal = JSON.parse(readFileSync(require.resolve('node-seal/package.json'), 'utf8')) as { version: string };
  return { 'gazelle-ts': own.version, node: process.versions.node, 'node-seal': seal.version, protocol: PROTOCOL_VERSION };
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'privacy audit of private inferences: checks on real transcripts, report.json, report.md and report.html',
  usage: '--network <name|dir> --out <dir> [--runs N] [--observer client|server|both] [options]',
  description:
    "Runs private inferences of the network between two parties in this process, records each party's view (the messages it " +
    'received and what it derived), and checks that it does not depend on the other party\'s secret beyond the output: ' +
    "fixed-vs-random leakage assessment (the other party's secret fixed or random, the observer's input and randomness " +
    'seeded and fixed), real views against simulated ones, canaries of the other party\'s secrets, repeated and reused ' +
    'pseudorandom blocks, uniform and independent shares, and the circuit-privacy margin of every returned ciphertext. ' +
    'The configured plugins run as they are (with --plugin, a third party\'s); the audit runs them under the test profile, ' +
    "which seeds the parties' randomness. Writes report.json, report.md and report.html into --out and exits with 1 if any check fails. " +
    'Semi-honest parties only; a statistical test is evidence, not proof.',
  options: {
    network: { type: 'string', value: '<name|dir>', description: 'the model: a directory, a name under models/, or a built-in network (A, B, C, D, CIFAR, CIFAR-small)' },
    out: { type: 'string', value: '<dir>', description: 'directory for report.json, report.md and report.html (created if missing)' },
    runs: { type: 'string', value: 'N', description: 'sessions per class (fixed and random secret) and observer, at least 2 (default 3)' },
    inferences: { type: 'string', value: 'N', description: 'inferences per session (default 2: a pad reused between two calls of a session shows)' },
    observer: { type: 'string', value: 'client|server|both', description: "whose view to audit (default both)" },
    reveal: { type: 'string', value: 'logits|label', description: 'what the client learns: the logits (default) or only the label' },
    seed: { type: 'string', value: '<text>', description: 'seed of everything the audit draws, to repeat an audit (default: a fresh random one, written into the report)' },
  },
  examples: [
    { command: 'gazelle audit --network A --out audit-A', explanation: 'both parties\' views of network A with the default plugins; reports in audit-A/' },
    {
      command: 'gazelle audit --network C --plugin ./my-masks.ts --use masks=my-masks --observer client --out audit-masks',
      explanation: "a third party's mask sampler under audit, in the client's view of network C",
    },
    { command: 'gazelle audit --network D --runs 5 --seed 2024 --out audit-D --json', explanation: 'more runs, a fixed seed; the report document on stdout' },
  ],
  async run(context) {
    const { values, positionals, registry, json, stdout } = context;
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const networkName = requiredOption(values, 'network');
    const out = requiredOption(values, 'out');
    const runs = numberOption(values.runs, '--runs', { min: 2, max: 1000, integer: true }) ?? 3;
    const inferences = numberOption(values.inferences, '--inferences', { min: 1, max: 100, integer: true }) ?? 2;
    const observer = choiceOption(values.observer, OBSERVERS, '--observer') ?? 'both';
    const reveal = choiceOption(values.reveal, REVEAL_POLICIES, '--reveal') ?? 'logits';
    const seed = typeof values.seed === 'string' && values.seed !== '' ? values.seed : randomBytes(8).toString('hex');
    const model = loadModel(networkName);
    const config = { ...context.config, profile: 'test' as const };
    const plugins = PLUGIN_KINDS.map((kind) => {
      const name = selectPlugin(config, registry, kind).name;
      const entry = registry.list().find((r) => r.plugin.kind === kind && r.plugin.name === name)!;
      return { kind, name, security: entry.plugin.security, origin: entry.origin };
    });
    const observers: Party[] = observer === 'both' ? ['client', 'server'] : [observer];
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const phase = context.progress.start('privacy audit', observers.length);
    // Loaded here, not with the CLI: jStat (a CommonJS package, through the harness's statistics)
    // invalidates V8's ArrayBuffer detaching protector for every command (bin/gazelle.mjs).
    const { auditInference } = await import('../../harness/inference-audit.ts');
    const audit = await auditInference({
      config,
      registry,
      model,
      reveal,
      observers,
      runs,
      inferences,
      seed,
      progress: ({ observer: party, done }) => {
        if (done) phase.tick();
        else context.info(`auditing the ${party}'s view: ${2 * runs} sessions of ${inferences} inference(s), ${runs} simulated views`);
      },
    }).finally(() => phase.done());
    const source = resolveModel(networkName);
    const document = auditDocument(
      {
        network: {
          name: model.architecture.name,
          source: source.kind === 'directory' ? packageRelative(source.dir) : `built-in network ${source.name} with random weights`,
          architectureFingerprint: architectureFingerprint(model.architecture),
          modelFingerprint: model.salt ? modelFingerprint(model) : null,
        },
        configuration: configToJson(context.config),
        plugins,
        versions: versions(),
        reveal,
        seed,
        startedAt,
        seconds: (performance.now() - started) / 1000,
      },
      audit,
    );
    mkdirSync(out, { recursive: true });
    const jsonText = auditJson(document);
    writeFileSync(join(out, 'report.json'), jsonText);
    writeFileSync(join(out, 'report.md'), auditMarkdown(document));
    writeFileSync(join(out, 'report.html'), auditHtml(document, await pageExtras(context.config, registry, networkName, model, reveal)));
    if (json) stdout(jsonText.trimEnd());
    else {
      for (const line of auditSummary(document)) context.info(line);
      stdout(`${document.verdict === 'pass' ? 'PASS' : 'FAIL'}: privacy audit of network ${document.network.name}; reports in ${join(out, 'report.json')}, ${join(out, 'report.md')} and ${join(out, 'report.html')}`);
    }
    return document.verdict === 'pass' ? 0 : 1;
  },
};

/**
 * What the audit page shows besides the checks (issue 15): a measured session of the network under
 * the audited configuration (per-layer time and bytes, each phase and direction) and, when the HE
 * backend can report decryption noise, its distribution under two weight sets.
 */
async function pageExtras(config: GazelleConfig, registry: PluginRegistry, networkName: string, model: Model, reveal: RevealPolicy): Promise<AuditPageExtras> {
  const { measureInference, imagesFor } = await import('../../harness/measurement.ts');
  const { decryptionNoiseHistogram } = await import('../../harness/report/noise-distribution.ts');
  const measurement = await measureInference({ configuration: { name: 'audited', file: '', config }, registry, networkName, model, images: imagesFor(model, 2), reveal });
  const distributions = await withWiring(config, registry, ['he'], async (wiring) => {
    const he = wiring.get('he');
    return he.decryptionNoise ? [decryptionNoiseHistogram(he)] : [];
  });
  return { measurement, distributions };
}
