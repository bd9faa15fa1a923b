/**
 * `gazelle demo` (what `npm start` runs): private inference of MNIST test digits with network D (or
 * another model), both parties in this process over loopback TCP. Per digit: the prediction, the
 * true label, whether it equals the plaintext reference bit for bit, time and bytes; then the
 * per-layer table of the last digit and the session's setup.
 */
import { mergeConfig } from '../../core/config.ts';
import { loadMnistTestSet } from '../../core/image/idx.ts';
import { runLocalInference } from '../../core/inference/local-run.ts';
import { REVEAL_POLICIES } from '../../core/inference/plan.ts';
import { quantiseInput } from '../../core/model/input.ts';
import { loadModel, resolveModel } from '../../core/model/model-store.ts';
import { referenceInference } from '../../core/model/reference.ts';
import { choiceOption, numberOption } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { formatBytes, formatDuration, renderTable } from '../format.ts';
import { describeFigures, layerTable } from '../inference-report.ts';
import { NETWORK_OPTIONS } from '../network-options.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'private inference of real MNIST test digits with network D (what `npm start` runs)',
  usage: '',
  description:
    'Classifies the first MNIST test digits (data/mnist, the official test set) privately: the client holds the digit, ' +
    'the server the network, and neither learns the other\'s secret. The model is models/D when it is committed (trained ' +
    'with PyTorch), else network D with random weights. For each digit: the prediction, the true label, whether the ' +
    'private result equals the plaintext integer reference bit for bit, time and bytes; then time, bytes and rounds per ' +
    'layer for the last digit. The session (handshake, HE keys, base OTs) is set up once for all digits.',
  options: {
    model: { type: 'string', value: '<name|dir>', description: 'the model (default D: models/D if committed, else random weights); it must take 28×28 grey digits' },
    digits: { type: 'string', value: '<n>', description: 'how many test digits, from the first (default 5, at most 10000)' },
    reveal: { type: 'string', value: 'logits|label', description: 'what the client learns: the logits (default) or only the label (a garbled argmax)' },
    ...NETWORK_OPTIONS,
  },
  examples: [
    { command: 'gazelle demo', explanation: 'five digits through network D, with the per-layer table (what npm start runs)' },
    { command: 'gazelle demo --digits 20 --reveal label --network-profile lan', explanation: 'twenty digits, only labels revealed, over a simulated 3 Gbit/s LAN' },
  ],
  async run({ values, positionals, json, stdout, info, progress, registry, config }) {
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const count = numberOption(values.digits, '--digits', { min: 1, max: 10000, integer: true }) ?? 5;
    const reveal = choiceOption(values.reveal, REVEAL_POLICIES, '--reveal') ?? 'logits';
    const name = typeof values.model === 'string' ? values.model : 'D';
    const model = loadModel(name);
    const source = resolveModel(name);
    const { images, labels } = loadMnistTestSet(count);
    const inputs = images.map((image) => quantiseInput(model.architecture, image));
    info(`model ${model.architecture.name} (${source.kind === 'directory' ? source.dir : 'random weights: no trained model committed'}); ${count} digits; reveal ${reveal}`);
    info('starting the parties (HE worker threads), setting up the session (keys, base OTs)...');
    const phase = progress.start('digits', count);
    const withTcp = config.plugins.transport ? config : mergeConfig(config, { plugins: { transport: { name: 'tcp', options: {} } } });
    const run = await runLocalInference({
      config: withTcp,
      registry,
      model,
      inputs,
      reveal,
      progress,
      onInference: (i) => phase.tick(1, `digit ${i}`),
    }).finally(() => phase.done());
    const digits = run.inferences.map((result, i) => {
      const reference = referenceInference(model, inputs[i]!);
      const exact = result.label === reference.label && (result.logits === null || result.logits.every((v, k) => v === reference.logits[k]));
      const f = result.figures;
      return {
        digit: i,
        predicted: result.label,
        truth: labels[i]!,
        equalsReference: exact,
        seconds: f.offline.seconds + f.online.seconds,
        bytes: f.offline.clientToServer + f.offline.serverToClient + f.online.clientToServer + f.online.serverToClient,
      };
    });
    const correct = digits.filter((d) => d.predicted === d.truth).length;
    if (json) {
      stdout(JSON.stringify({ model: model.architecture.name, reveal, setup: run.setup, digits, correct, minMarginBits: run.server.minMarginBits, lastInference: run.inferences.at(-1)!.figures }, null, 2));
    } else {
      stdout(
        renderTable(
          ['digit', 'predicted', 'true', 'bit-exact', 'time', 'bytes'],
          digits.map((d) => [String(d.digit), String(d.predicted), String(d.truth), d.equalsReference ? 'yes' : 'NO', formatDuration(d.seconds), formatBytes(d.bytes)]),
        ),
      );
      stdout(`\n${correct} of ${count} correct; setup once per session: ${describeFigures(run.setup)}; smallest flooding margin ${run.server.minMarginBits.toFixed(1)} bits\n`);
      stdout(`per layer, last digit:\n${layerTable(run.inferences.at(-1)!.figures)}`);
    }
    return digits.every((d) => d.equalsReference) ? 0 : 1;
  },
};
