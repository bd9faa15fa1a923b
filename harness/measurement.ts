/**
 * One measured session of private inference, as reports and budgets read it: the network, the
 * configuration as run (plugins, HE parameters, network profile), the session's setup, every
 * inference's figures (time, bytes each way, rounds, messages; per phase and per layer, measured
 * at the client), their element-wise median, the plan's predicted traffic, the flooding margin
 * and whether each result equals the plaintext reference. Everything is plain JSON.
 */
import { describeNetworkProfile, NETWORK_PROFILES } from '../core/channel/network-profile.ts';
import { configToJson, DEFAULT_PLUGINS } from '../core/config.ts';
import { loadMnistTestSet } from '../core/image/idx.ts';
import type { ClientInference } from '../core/inference/client.ts';
import type { Figures, InferenceFigures, LayerFigures } from '../core/inference/figures.ts';
import { runLocalInference } from '../core/inference/local-run.ts';
import type { RevealPolicy } from '../core/inference/plan.ts';
import type { InferenceTraffic } from '../core/inference/traffic.ts';
import { quantiseInput } from '../core/model/input.ts';
import type { Model } from '../core/model/model.ts';
import { resolveModel } from '../core/model/model-store.ts';
import type { Shape } from '../core/model/architecture.ts';
import { randomImages } from '../core/model/networks.ts';
import { referenceInference } from '../core/model/reference.ts';
import { packageRelative } from '../core/package-root.ts';
import { PLUGIN_KINDS, type PluginKind } from '../core/plugin.ts';
import type { PluginRegistry } from '../core/registry.ts';
import { median } from '../bench/measure.ts';
import { positiveInteger } from './arguments.ts';
import type { NamedConfiguration } from './configurations.ts';
import { currentEnvironment, type Environment } from './report/environment.ts';

/** The client's private images and, where known, their true labels. */
export interface ImageSet {
  /** In words, for reports: "MNIST test digits 0-4". */
  readonly description: string;
  readonly images: readonly Uint8Array[];
  readonly labels?: Uint8Array;
}

/** The first `count` digits of the official MNIST test set, with their labels. */
export function testDigits(count: number): ImageSet {
  positiveInteger(count, 'test digits');
  const { images, labels } = loadMnistTestSet(count);
  return { description: count === 1 ? 'MNIST test digit 0' : `MNIST test digits 0-${count - 1}`, images, labels };
}

/** `count` uniformly random images of `shape`, from a seed (reproducible). */
export function randomImageSet(shape: Shape, count: number, seed: string): ImageSet {
  positiveInteger(count, 'random images');
  return { description: `${count} random ${shape.channels}×${shape.height}×${shape.width} image${count === 1 ? '' : 's'} (seed "${seed}")`, images: randomImages(shape, count, seed) };
}

/** MNIST test digits for a model that takes 28×28 grey images, random images otherwise. */
export function imagesFor(model: Model, count: number): ImageSet {
  const shape = model.architecture.input.shape;
  return shape.channels === 1 && shape.height === 28 && shape.width === 28 ? testDigits(count) : randomImageSet(shape, count, `gazelle-measurement/${model.architecture.name}`);
}

export interface InferenceRecord {
  readonly label: number;
  /** The image's true label, when the image set has labels. */
  readonly truth?: number;
  /** The private result (label, and logits unless only the label is revealed) equals the plaintext reference's. */
  readonly equalsReference: boolean;
  readonly figures: InferenceFigures;
}

export interface Measurement {
  readonly network: {
    /** As the user named it (a built-in or committed name, or a directory). */
    readonly name: string;
    readonly architecture: string;
    /** Where the weights came from: a directory, or a built-in network with random weights. */
    readonly source: string;
    readonly architectureFingerprint: string;
    readonly modelFingerprint: string;
  };
  readonly configuration: {
    readonly name: string;
    readonly file: string;
    /** The configuration as JSON (`parseConfig` reads it back). */
    readonly config: Record<string, unknown>;
    /** The plugin of every kind, defaults included. */
    readonly plugins: Readonly<Record<PluginKind, string>>;
    readonly he: { readonly preset: string; readonly polyModulusDegree: number; readonly plainModulus: number; readonly coeffModulusBits: readonly number[] };
    readonly network: ReturnType<typeof describeNetworkProfile>;
    /** The server's HE workers: the plan shares each linear layer among them, so bytes and rounds depend on it. */
    readonly serverHeWorkers: number;
  };
  readonly reveal: RevealPolicy;
  readonly images: string;
  /** Once per session: handshake, HE keys, base OTs. */
  readonly setup: Figures;
  readonly inferences: readonly InferenceRecord[];
  /** Element-wise median of the inferences' figures (time varies; bytes and rounds do not). */
  readonly median: InferenceFigures;
  /** The plan's prediction of each inference's bytes and rounds. */
  readonly predicted: InferenceTraffic;
  /** Circuit privacy of the returned ciphertexts (docs/architecture.md §6): the smallest flooding margin and the one required, in bits. */
  readonly margin: { readonly minBits: number; readonly requiredBits: number };
  readonly environment: Environment;
}

export interface MeasureOptions {
  readonly configuration: NamedConfiguration;
  readonly registry: PluginRegistry;
  /** The network as the user named it, and the model it loaded to. */
  readonly networkName: string;
  readonly model: Model;
  readonly images: ImageSet;
  readonly reveal?: RevealPolicy;
  /** The server's HE worker threads (default: one per core of this machine). */
  readonly serverHeWorkers?: number;
  readonly onInference?: (index: number, result: ClientInference) => void;
}

function medianFigures(list: readonly Figures[]): Figures {
  const of = (key: keyof Figures) => median(list.map((f) => f[key]));
  return { seconds: of('seconds'), clientToServer: of('clientToServer'), serverToClient: of('serverToClient'), rounds: of('rounds'), messages: of('messages') };
}

/** The median of each figure of each phase and layer over inferences of one plan. */
export function medianInference(list: readonly InferenceFigures[]): InferenceFigures {
  positiveInteger(list.length, 'inferences to take the median of');
  const layers: LayerFigures[] = list[0]!.layers.map((layer, i) => ({
    name: layer.name,
    kind: layer.kind,
    offline: medianFigures(list.map((f) => f.layers[i]!.offline)),
    online: medianFigures(list.map((f) => f.layers[i]!.online)),
  }));
  return { offline: medianFigures(list.map((f) => f.offline)), online: medianFigures(list.map((f) => f.online)), layers };
}

/** Run one session classifying every image privately (both parties in this process) and measure it. */
export async function measureInference(options: MeasureOptions): Promise<Measurement> {
  const { configuration, model } = options;
  const reveal = options.reveal ?? 'logits';
  const inputs = options.images.images.map((image) => quantiseInput(model.architecture, image));
  const run = await runLocalInference({
    config: configuration.config,
    registry: options.registry,
    model,
    inputs,
    reveal,
    ...(options.serverHeWorkers !== undefined ? { heWorkers: positiveInteger(options.serverHeWorkers, 'server HE workers') } : {}),
    ...(options.onInference ? { onInference: options.onInference } : {}),
  });
  const inferences = run.inferences.map((result, i): InferenceRecord => {
    const reference = referenceInference(model, inputs[i]!);
    const equalsReference = result.label === reference.label && (result.logits === null || result.logits.every((v, k) => v === reference.logits[k]));
    const truth = options.images.labels?.[i];
    return { label: result.label, ...(truth !== undefined ? { truth } : {}), equalsReference, figures: result.figures };
  });
  const source = resolveModel(options.networkName);
  const { announcement } = run;
  const plugins = Object.fromEntries(PLUGIN_KINDS.map((kind) => [kind, configuration.config.plugins[kind]?.name ?? DEFAULT_PLUGINS[kind]])) as Record<PluginKind, string>;
  const { preset, polyModulusDegree, plainModulus, coeffModulusBits } = announcement.he.params;
  return {
    network: {
      name: options.networkName,
      architecture: model.architecture.name,
      source: source.kind === 'directory' ? packageRelative(source.dir) : `built-in network ${source.name} with random weights`,
      architectureFingerprint: announcement.architectureFingerprint,
      modelFingerprint: announcement.modelFingerprint,
    },
    configuration: {
      name: configuration.name,
      file: packageRelative(configuration.file),
      config: configToJson(configuration.config),
      plugins,
      he: { preset, polyModulusDegree, plainModulus, coeffModulusBits: [...coeffModulusBits] },
      network: describeNetworkProfile(configuration.config.network ?? NETWORK_PROFILES.local),
      serverHeWorkers: announcement.parallelism,
    },
    reveal,
    images: options.images.description,
    setup: run.setup,
    inferences,
    median: medianInference(inferences.map((r) => r.figures)),
    predicted: run.expectedTraffic,
    margin: { minBits: run.server.minMarginBits, requiredBits: run.server.requiredMarginBits },
    environment: currentEnvironment(),
  };
}
