/**
 * `gazelle infer`: classify an image with a model. Modes, one per flag (`MODES`): `--plaintext`,
 * the plaintext integer reference (exactly what the secure protocol computes); `--local`, both
 * parties of the secure protocol in this process; `--connect HOST:PORT`, the client of a server
 * (`gazelle serve`), which announces the architecture the image is fitted to. A new mode is one
 * more entry in `MODES`, reusing the model and image handling here.
 */
import { readImageForModel } from '../../core/image/read-image.ts';
import { architectureFingerprint } from '../../core/model/architecture-json.ts';
import type { Architecture } from '../../core/model/architecture.ts';
import type { Model } from '../../core/model/model.ts';
import { modelFingerprint } from '../../core/model/model-files.ts';
import { loadModel, resolveModel } from '../../core/model/model-store.ts';
import { quantiseInput } from '../../core/model/input.ts';
import { referenceInference } from '../../core/model/reference.ts';
import { mergeConfig } from '../../core/config.ts';
import type { Figures, InferenceFigures } from '../../core/inference/figures.ts';
import { runLocalInference } from '../../core/inference/local-run.ts';
import { REVEAL_POLICIES } from '../../core/inference/plan.ts';
import { classifyRemotely } from '../../core/inference/remote-run.ts';
import { choiceOption, numberOption, requiredOption } from '../args.ts';
import { UsageError, type Command, type CommandContext, type CommandOptions } from '../command.ts';
import { describeFigures, inferenceSummary, layerTable } from '../inference-report.ts';
import { NETWORK_OPTIONS } from '../network-options.ts';
import { parseHostPort, tcpConfig } from '../tcp-options.ts';

/** What a mode is given: the model of --model (if any) and the image, to fit to an architecture. */
export interface InferenceRequest {
  /** Loaded from --model; required unless the mode says `model: 'optional'`. */
  readonly model: Model | undefined;
  /** The name or directory given with --model. */
  readonly modelName: string | undefined;
  /** The image of --image, fitted to `architecture` and quantised (8-bit pixels, never resized). */
  readonly input: (architecture: Architecture) => Int32Array;
}

/** What a mode returns: the logits (integers at the architecture's output scale; null when only the label is revealed) and the label. */
export interface InferenceOutcome {
  readonly logits: Int32Array | null;
  readonly label: number;
  /** The architecture the image was classified with (the server's for --connect). */
  readonly architecture: Architecture;
  /** Where the model is, for the JSON document, and its fingerprint if it has one. */
  readonly model: { readonly source: string; readonly fingerprint: string | null };
  /** Extra fields for the JSON document (e.g. timings, bytes). */
  readonly details?: Record<string, unknown>;
}

export interface InferenceMode {
  /** The flag that selects it (without --). */
  readonly flag: string;
  /** The flag's value, if it takes one (`HOST:PORT`); else the flag is a switch. */
  readonly value?: string;
  /** One line for the usage text. */
  readonly help: string;
  /** Whether --model is required (default) or optional (the connect mode learns the architecture from the server). */
  readonly model?: 'required' | 'optional';
  /** Mode-specific options. */
  readonly options?: CommandOptions;
  run(request: InferenceRequest, context: CommandContext): Promise<InferenceOutcome>;
}

/** A model of --model, described for the JSON document. */
function describeModel(name: string, model: Model): InferenceOutcome['model'] {
  const source = resolveModel(name);
  return {
    source: source.kind === 'directory' ? source.dir : `built-in random network ${source.name}`,
    fingerprint: model.salt ? modelFingerprint(model) : null,
  };
}

/** A private run's figures on stderr: setup, the inference, and (unless --json, where they are in the document) the table per layer. */
function reportFigures(context: CommandContext, setup: Figures, figures: InferenceFigures): void {
  context.info(`setup (handshake, HE keys, base OTs): ${describeFigures(setup)}`);
  context.info(`inference: ${inferenceSummary(figures)}`);
  if (!context.json) context.info(layerTable(figures, setup));
}

/** How long a client waits for a busy server's next message by default, in seconds. */
const DEFAULT_CLIENT_IDLE_SECONDS = 300;

const REVEAL_OPTION: CommandOptions = {
  reveal: { type: 'string', value: 'logits|label', description: 'what the client learns: the logits (default) or only the label (a garbled argmax)' },
};

export const MODES: readonly InferenceMode[] = [
  {
    flag: 'plaintext',
    help: 'the plaintext integer reference, in this process (no cryptography)',
    async run({ model, modelName, input }) {
      const { logits, label } = referenceInference(model!, input(model!.architecture));
      return { logits, label, architecture: model!.architecture, model: describeModel(modelName!, model!) };
    },
  },
  {
    flag: 'local',
    help: 'private inference with both parties in this process, over loopback TCP unless a transport is configured',
    options: { ...REVEAL_OPTION, ...NETWORK_OPTIONS },
    async run({ model, modelName, input }, context) {
      const reveal = choiceOption(context.values.reveal, REVEAL_POLICIES, '--reveal') ?? 'logits';
      // Two parties in one process talk over the loopback interface, as they would across a network.
      const config = context.config.plugins.transport ? context.config : mergeConfig(context.config, { plugins: { transport: { name: 'tcp', options: {} } } });
      const run = await runLocalInference({ config, registry: context.registry, model: model!, inputs: [input(model!.architecture)], reveal, progress: context.progress });
      const { label, logits, figures } = run.inferences[0]!;
      reportFigures(context, run.setup, figures);
      return {
        logits,
        label,
        architecture: model!.architecture,
        model: describeModel(modelName!, model!),
        details: { reveal, setup: run.setup, figures, minMarginBits: run.server.minMarginBits },
      };
    },
  },
  {
    flag: 'connect',
    value: 'HOST:PORT',
    help: 'private inference as the client of a server (gazelle serve) at HOST:PORT; --model, if given, is the architecture the server must serve',
    model: 'optional',
    options: {
      ...REVEAL_OPTION,
      'idle-timeout': {
        type: 'string',
        value: '<seconds>',
        description: `give up when the server sends nothing for this long (default ${DEFAULT_CLIENT_IDLE_SECONDS}: a busy server may take a while between messages)`,
      },
    },
    async run({ model, input }, context) {
      const reveal = choiceOption(context.values.reveal, REVEAL_POLICIES, '--reveal') ?? 'logits';
      const address = parseHostPort(context.values.connect as string, '--connect');
      const idle = numberOption(context.values['idle-timeout'], '--idle-timeout', { min: 0.1, max: 86_400 });
      const config = tcpConfig(context.config, 'gazelle infer --connect', { idleTimeoutMs: DEFAULT_CLIENT_IDLE_SECONDS * 1000 }, { idleTimeoutMs: idle === undefined ? undefined : Math.round(idle * 1000) });
      const run = await classifyRemotely({ config, registry: context.registry, address, reveal, input, progress: context.progress, ...(model ? { expect: model.architecture } : {}) });
      const { label, logits, figures } = run.inference;
      context.info(`server ${address.host}:${address.port}: model "${run.announcement.architecture.name}", fingerprint ${run.announcement.modelFingerprint.slice(0, 16)}…, protocol ${run.announcement.protocol}`);
      reportFigures(context, run.setup, figures);
      return {
        logits,
        label,
        architecture: run.announcement.architecture,
        model: { source: `server ${address.host}:${address.port}`, fingerprint: run.announcement.modelFingerprint },
        details: { reveal, server: { protocol: run.announcement.protocol, parallelism: run.announcement.parallelism }, setup: run.setup, figures },
      };
    },
  },
];

export const inferCommand: Command = {
  name: 'infer',
  summary: 'classify an image with a model: privately (--local, or --connect to a server) or with the plaintext reference (--plaintext)',
  usage: `(${MODES.map((m) => `--${m.flag}${m.value ? ` ${m.value}` : ''}`).join(' | ')}) [--model <name|dir>] --image <file> [--json]`,
  description:
    'Loads the model (a directory with architecture.json and weights.bin, a model committed under models/, ' +
    'or a built-in network A, B, C, D, CIFAR, CIFAR-small with random weights from a fixed seed), reads the image, ' +
    "fits it to the model's input (8-bit pixels, channels converted only where nothing changes, never resized), " +
    'quantises it and prints the label and the logits (integers at the output scale, and scaled back to floats). ' +
    'With --local the client and the server run the secure protocol (HE for linear layers, garbled circuits for ' +
    'the non-linear ones), each speaking only through its end of a loopback TCP connection; the result equals ' +
    "--plaintext's bit for bit. Its figures per layer and phase (time, bytes each way, rounds) go to stderr, or into the JSON. " +
    'With --connect HOST:PORT this process is only the client of a server (gazelle serve): the server announces its protocol ' +
    'version, architecture and model fingerprint, the image is fitted to that architecture (--model is then optional: if given, ' +
    'a server with another architecture is refused), and a server that is busy, shutting down or speaks another protocol version ' +
    'is reported as such.',
  options: Object.assign(
    {
      model: { type: 'string', value: '<name|dir>', description: 'the model: a directory, a name under models/, or a built-in network (A, B, C, D, CIFAR, CIFAR-small)' },
      image: { type: 'string', value: '<file>', description: 'a PNG, a PGM (P5/P2), or one image of an idx file as file.idx:<index> (gzipped or not)' },
    } satisfies CommandOptions,
    ...MODES.map((m) => ({ [m.flag]: m.value ? { type: 'string' as const, value: m.value, description: m.help } : { type: 'boolean' as const, description: m.help }, ...m.options })),
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
    {
      command: 'gazelle infer --connect 127.0.0.1:7470 --image data/mnist/t10k-images-idx3-ubyte.gz:0',
      explanation: 'the client of `gazelle serve --model D` running on this machine: the label and logits, figures per layer on stderr',
    },
  ],
  async run(context) {
    const { values, positionals, json, stdout } = context;
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const chosen = MODES.filter((m) => values[m.flag] !== undefined);
    if (chosen.length !== 1) throw new UsageError(`choose one mode: ${MODES.map((m) => `--${m.flag}`).join(', ')}${chosen.length > 1 ? ` (got ${chosen.map((m) => `--${m.flag}`).join(' ')})` : ''}`);
    const mode = chosen[0]!;
    const modelName = mode.model === 'optional' && values.model === undefined ? undefined : requiredOption(values, 'model');
    const imageSpec = requiredOption(values, 'image');
    const model = modelName === undefined ? undefined : loadModel(modelName);
    const quantised = new Map<Architecture, Int32Array>();
    const input = (architecture: Architecture): Int32Array => {
      if (!quantised.has(architecture)) quantised.set(architecture, quantiseInput(architecture, readImageForModel(imageSpec, architecture.input.shape)));
      return quantised.get(architecture)!;
    };
    // With the architecture known here, a bad image fails before anything runs.
    if (model) input(model.architecture);
    const outcome = await mode.run({ model, modelName, input }, context);
    const arch = outcome.architecture;
    const scale = 2 ** -arch.output.scaleBits;
    const labelName = arch.output.labels?.[outcome.label];
    if (json) {
      stdout(
        JSON.stringify(
          {
            mode: mode.flag,
            model: { name: arch.name, source: outcome.model.source, architecture: architectureFingerprint(arch), fingerprint: outcome.model.fingerprint },
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
