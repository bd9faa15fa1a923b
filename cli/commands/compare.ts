/**
 * `gazelle compare`: one network under several plugin configurations, side by side (harness/compare.ts),
 * with a report in JSON, Markdown and HTML (harness/report/compare-report.ts).
 */
import { resolve } from 'node:path';
import { REVEAL_POLICIES } from '../../core/inference/plan.ts';
import { loadModel } from '../../core/model/model-store.ts';
import { compareConfigurations } from '../../harness/compare.ts';
import { configurationNames, resolveConfiguration } from '../../harness/configurations.ts';
import { imagesFor } from '../../harness/measurement.ts';
import { sideBySide, writeComparisonReport } from '../../harness/report/compare-report.ts';
import { choiceOption, numberOption } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { applyPluginChoices } from '../config-options.ts';
import { renderTable } from '../format.ts';
import { applyNetworkOptions, NETWORK_OPTIONS } from '../network-options.ts';

export const compareCommand: Command = {
  name: 'compare',
  summary: 'one network under several plugin configurations, side by side: time, bytes, rounds, margins, checks (JSON, Markdown, HTML)',
  usage: '--configs <a.json,b.json[,...]> --out <dir> [--network <name|dir>] [--inferences <n>]',
  description:
    'Runs a private-inference session per configuration, one after the other, both parties in this process over each ' +
    "configuration's transport, classifying the same images (MNIST test digits for 28×28 models, else seeded random images). " +
    'A configuration is a JSON file (see Configuration in the README) or the name of one shipped in configs/ ' +
    `(${configurationNames().join(', ')}). --use, --profile and the network options apply to every configuration. ` +
    'Prints the side-by-side table and writes report.json, report.md and report.html (self-contained, with grouped bar charts) ' +
    'into --out. A configuration that fails a check (results not bit-exact, flooding margin below the requirement) is marked, ' +
    'not hidden; one that fails to run is reported with its error, the others still run. Exit code 1 if a configuration did not run.',
  options: {
    configs: { type: 'string', value: '<a.json,b.json[,...]>', description: 'two or more configurations, comma-separated: JSON files or shipped names' },
    out: { type: 'string', value: '<dir>', description: 'directory for report.json, report.md and report.html (created if needed)' },
    network: { type: 'string', value: '<name|dir>', description: 'the model: a directory, a name under models/, or a built-in network (default D)' },
    inferences: { type: 'string', value: '<n>', description: 'inferences per configuration, in one session each (default 3, at most 100); times are their medians' },
    reveal: { type: 'string', value: 'logits|label', description: 'what the client learns: the logits (default) or only the label (a garbled argmax)' },
    ...NETWORK_OPTIONS,
  },
  examples: [
    { command: 'gazelle compare --configs configs/secure.json,classic --network D --out reports/gc-schemes', explanation: 'a configuration file and a shipped name: half-gates against classic garbling on network D (garbled tables of 32 against 48 bytes per AND gate)' },
    { command: 'gazelle compare --configs secure,fast --network C --inferences 5 --out reports/he-presets', explanation: 'the secure and fast HE presets: fast is quicker, and marked for its flooding margin below the requirement' },
    { command: 'gazelle compare --configs secure,tcp,wan --network D --out reports/transports', explanation: 'in-memory against TCP against TCP shaped like a WAN (400 Mbit/s, 20 ms one way)' },
  ],
  async run({ values, positionals, json, stdout, info, progress }) {
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    if (values.config !== undefined) throw new UsageError('gazelle compare takes its configurations from --configs, not --config');
    if (typeof values.configs !== 'string' || values.configs === '') throw new UsageError('missing --configs: two or more configurations, comma-separated');
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError('missing --out: the directory for the report');
    const names = values.configs.split(',').map((n) => n.trim());
    if (names.length < 2 || names.some((n) => n === '')) throw new UsageError(`--configs needs two or more configurations, comma-separated, got ${JSON.stringify(values.configs)}`);
    const count = numberOption(values.inferences, '--inferences', { min: 1, max: 100, integer: true }) ?? 3;
    const reveal = choiceOption(values.reveal, REVEAL_POLICIES, '--reveal') ?? 'logits';
    const networkName = typeof values.network === 'string' ? values.network : 'D';
    const configurations = names.map((name) => {
      const c = resolveConfiguration(name);
      return { ...c, config: applyNetworkOptions(applyPluginChoices(c.config, values), values) };
    });
    const model = loadModel(networkName);
    const images = imagesFor(model, count);
    const bar = progress.start('configurations', configurations.length * count);
    const comparison = await compareConfigurations({
      configurations,
      networkName,
      model,
      images,
      reveal,
      extraModules: (values.plugin as string[] | undefined) ?? [],
      onConfiguration: (i, c) => info(`${i + 1}/${configurations.length}: ${c.name} (${c.file}): starting the parties, ${count} inference${count === 1 ? '' : 's'}...`),
      onInference: () => bar.tick(1),
    }).finally(() => bar.done());
    const paths = writeComparisonReport(resolve(values.out), comparison);
    if (json) stdout(JSON.stringify({ report: paths, ...comparison }, null, 2));
    else {
      const table = sideBySide(comparison);
      stdout(renderTable(table.header, table.rows, table.header.map((_, k) => (k === 0 ? 'left' : 'right'))));
      stdout(`\nreport: ${paths.html} (also ${paths.markdown}, ${paths.json})`);
    }
    for (const x of comparison.configurations) if (x.error) info(`${x.name} did not run: ${x.error.type}: ${x.error.message}`);
    return comparison.configurations.every((x) => x.measurement !== undefined) ? 0 : 1;
  },
};
