/**
 * `gazelle infer`: classify an image with a model. Modes, one per flag (`MODES`); today
 * `--plaintext`, the plaintext integer reference (exactly what the secure protocol computes).
 * A new mode is one more entry in `MODES`, reusing the model and image handling here.
 */
import { readImageForModel } from '../../core/image/read-image.ts';
import { architectureFingerprint } from '../../core/model/architecture-json.ts';
import type { Model } from '../../core/model/model.ts';
import { modelFingerprint } from '../../core/model/model-files.ts';
import { loadModel, resolveModel } from '../../core/model/model-store.ts';
import { quantiseInput } from '../../core/model/input.ts';
import { referenceInference } from '../../core/model/reference.ts';
import { mergeConfig } from '../../core/config.ts';
import { runLocalInference } from '../../core/inference/local-run.ts';
import { REVEAL_POLICIES } from '../../core/inference/plan.ts';
import { choiceOption, requiredOption } from '../args.ts';
import { UsageError, type Command, type CommandContext, type CommandOptions } from '../command.ts';
import { describeFigures, inferenceSummary, layerTable } from '../inference-report.ts';
import { NETWORK_OPTIONS } from '../network-options.ts';

/** What a mode returns: the logits (integers at the architecture's output scale; null when only the label is revealed) and the label. */
export interface InferenceOutcome {
  readonly logits: Int32Array | null;
  readonly label: number;
  /** Extra fields for the JSON document (e.g. timings, bytes). */
  readonly details?: Record<string, unknown>;
}

export interface InferenceMode {
  /** The flag that selects it (without --). */
  readonly flag: string;
  /** One line for the usage text. */
  readonly help: string;
  /** Mode-specific options. */
  readonly options?: CommandOptions;
  run(model: Model, input: Int32Array, context: CommandContext): Promise<InferenceOutcome>;
}

export const MODES: readonly InferenceMode[] = [
  {
    flag: 'plaintext',
    help: 'the plaintext integer reference, in this process (no cryptography)',
    async run(model, input) {
      const { logits, label } = referenceInference(model, input);
      return { logits, label };
    },
  },
  {
    flag: 'local',
    help: 'private inference with both parties in this process, over loopback TCP unless a transport is configured',
    options: {
      reveal: { type: 'string', value: 'logits|label', description: 'what the client learns: the logits (default) or only the label (a garbled argmax)' },
      ...NETWORK_OPTIONS,
    },
    async run(model, input, context) {
      const reveal = choiceOption(context.values.reveal, REVEAL_POLICIES, '--reveal') ?? 'logits';
      // Two parties in one process talk over the loopback interface, as they would across a network.
      const config = context.config.plugins.transport ? context.config : mergeConfig(context.config, { plugins: { transport: { name: 'tcp', options: {} } } });
      const run = await runLocalInference({ config, registry: context.registry, model, inputs: [input], reveal, progress: context.progress });
      const { label, logits, figures } = run.inferences[0]!;
      context.info(`setup (handshake, HE keys, base OTs): ${describeFigures(run.setup)}`);
      context.info(`inference: ${inferenceSummary(figures)}`);
      if (!context.json) context.info(layerTable(figures, run.setup));
      return { logits, label, details: { reveal, setup: run.setup, figures, minMarginBits: run.server.minMarginBits } };
    },
  },
];

export const inferCommand: Command = {
  name: 'infer',
  summary: 'classify an image with a model: privately (--local) or with the plaintext reference (--plaintext)',
  usage: `(${MODES.map((m) => `--${m.flag}`).join(' | ')}) --model <name|dir> --image <file> [--json]`,
  description:
    'Loads the model (a directory with architecture.json and weights.bin, a model committed under models/, ' +
    'or a built-in network A, B, C, D, CIFAR, CIFAR-small with random weights from a fixed seed), reads the image, ' +
    "fits it to the model's input (8-bit pixels, channels converted only where nothing changes, never resized), " +
    'quantises it and prints the label and the logits (integers at the output scale, and scaled back to floats). ' +
    'With --local the client and the server run the secure protocol (HE for linear layers, garbled circuits for ' +
    'the non-linear ones), each speaking only through its end of a loopback TCP connection; the result equals ' +
    "--plaintext's bit for bit. Its figures per layer and phase (time, bytes each way, rounds) go to stderr, or into the JSON.",
  options: Object.assign(
    {
      model: { type: 'string', value: '<name|dir>', description: 'the model: a directory, a name under models/, or a built-in network (A, B, C, D, CIFAR, CIFAR-small)' },
      image: { type: 'string', value: '<file>', description: 'a PNG, a PGM (P5/P2), or one image of an idx file as file.idx:<index> (gzipped or not)' },
    } satisfies CommandOptions,
    ...MODES.map((m) => ({ [m.flag]: { type: 'boolean' as const, description: m.help }, ...m.options })),
  ),
  examples: [
    {
      command: 'gazelle infer --plaintext --model D --image data/mnist/t10k-images-idx3-ubyte.gz:0',
      explanation: 'the first MNIST test digit through network D with the plaintext reference: the label and the ten logits',
    },
    { command: 'gazelle infer --plaintext --model models/D --image digit.png --json', explanation: 'a model directory and a PNG; one JSON document with the logits, the label and the model fingerprint' },
    {
      command: 'gazelle infer --local --model D --image data/mnist/t10k-images-idx3-ubyte.gz:0',
      explanation: 'the same digit classified privately: the label, the logits, and a table of time and bytes per layer',
    },
    { command: 'gazelle infer --local --reveal label --network-profile wan --model D --image digit.png --json', explanation: 'only the label revealed, over a simulated WAN link; JSON with the phase and layer figures' },
  ],
  async run(context) {
    const { values, positionals, json, stdout } = context;
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const chosen = MODES.filter((m) => values[m.flag] === true);
    if (chosen.length !== 1) throw new UsageError(`choose one mode: ${MODES.map((m) => `--${m.flag}`).join(', ')}${chosen.length > 1 ? ` (got ${chosen.map((m) => `--${m.flag}`).join(' ')})` : ''}`);
    const mode = chosen[0]!;
    const modelName = requiredOption(values, 'model');
    const imageSpec = requiredOption(values, 'image');
    const model = loadModel(modelName);
    const arch = model.architecture;
    const pixels = readImageForModel(imageSpec, arch.input.shape);
    const outcome = await mode.run(model, quantiseInput(arch, pixels), context);
    const scale = 2 ** -arch.output.scaleBits;
    const labelName = arch.output.labels?.[outcome.label];
    if (json) {
      const source = resolveModel(modelName);
      stdout(
        JSON.stringify(
          {
            mode: mode.flag,
            model: { name: arch.name, source: source.kind === 'directory' ? source.dir : `built-in random network ${source.name}`, architecture: architectureFingerprint(arch), fingerprint: model.salt ? modelFingerprint(model) : null },
            image: imageSpec,
            label: outcome.label,
            ...(labelName !== undefined ? { labelName } : {}),
            logits: outcome.logits ? [...outcome.logits] : null,
            logitScaleBits: arch.output.scaleBits,
            logitsFloat: outcome.logits ? [...outcome.logits].map((v) => v * scale) : null,
            ...outcome.details,
          },
          null,
          2,
        ),
      );
    } else {
      stdout(`label ${outcome.label}${labelName !== undefined ? ` (${labelName})` : ''}`);
      if (outcome.logits) {
        stdout(`logits (integers at 2^${-arch.output.scaleBits}): ${[...outcome.logits].join(' ')}`);
        stdout(`logits (scaled): ${[...outcome.logits].map((v) => (v * scale).toPrecision(4)).join(' ')}`);
      }
    }
    return 0;
  },
};
