/**
 * The benchmark networks of design §8 as float models with random weights from a fixed seed
 * (He-normal weights, small uniform biases), and `randomModel`, which quantises one on random
 * calibration images. Trained weights for A-D are committed under `models/<name>/` and take
 * precedence when a model is loaded by name (model-store.ts).
 */
import { ConfigError } from '../errors.ts';
import { seededRandom } from '../random.ts';
import type { Shape } from './architecture.ts';
import type { FloatLayer, FloatModel } from './float-model.ts';
import type { Model } from './model.ts';
import { NumberStream } from './number-stream.ts';
import { quantise, type QuantiseReport } from './quantise.ts';

/** The seed of the built-in random models (`loadModel('D')` without a committed trained model). */
export const DEFAULT_MODEL_SEED = 'gazelle-benchmark';

type LayerSketch =
  | { kind: 'conv'; out: number; k: number; stride?: number; padding: 'same' | 'valid' }
  | { kind: 'fc'; out: number }
  | { kind: 'relu' | 'square' }
  | { kind: 'maxpool' | 'avgpool'; window: number; stride: number };

interface NetworkSketch {
  readonly description: string;
  readonly input: Shape;
  readonly layers: readonly LayerSketch[];
}

const MNIST: Shape = { channels: 1, height: 28, width: 28 };
const conv = (out: number, k: number, padding: 'same' | 'valid', stride = 1): LayerSketch => ({ kind: 'conv', out, k, stride, padding });
const fc = (out: number): LayerSketch => ({ kind: 'fc', out });
const relu: LayerSketch = { kind: 'relu' };
const square: LayerSketch = { kind: 'square' };
const pool = (kind: 'maxpool' | 'avgpool', window: number, stride = window): LayerSketch => ({ kind, window, stride });

/** MiniONN's CIFAR-10 network (design §8) with `c` channels on `size`×`size` images. */
function cifar(c: number, size: number, description: string): NetworkSketch {
  return {
    description,
    input: { channels: 3, height: size, width: size },
    layers: [
      conv(c, 3, 'same'), relu, conv(c, 3, 'same'), relu, pool('avgpool', 2),
      conv(c, 3, 'same'), relu, conv(c, 3, 'same'), relu, pool('avgpool', 2),
      conv(c, 3, 'same'), relu, conv(c, 1, 'valid'), relu, conv(16, 1, 'valid'), relu,
      fc(10),
    ],
  };
}

const NETWORKS: Readonly<Record<string, NetworkSketch>> = {
  A: { description: 'SecureML: FC 784→128, x², FC 128→128, x², FC 128→10', input: MNIST, layers: [fc(128), square, fc(128), square, fc(10)] },
  B: {
    description: 'CryptoNets: Conv 5x5 1→5 stride 2 (same, 28→14), x², FC 980→100, x², FC 100→10',
    input: MNIST,
    layers: [conv(5, 5, 'same', 2), square, fc(100), square, fc(10)],
  },
  C: {
    description: 'DeepSecure: as B with ReLU instead of x²',
    input: MNIST,
    layers: [conv(5, 5, 'same', 2), relu, fc(100), relu, fc(10)],
  },
  D: {
    description: 'MiniONN MNIST: Conv 5x5 1→16 (valid), ReLU, MaxPool 2/2, Conv 5x5 16→16 (valid), ReLU, MaxPool 2/2, FC 256→100, ReLU, FC 100→10',
    input: MNIST,
    layers: [conv(16, 5, 'valid'), relu, pool('maxpool', 2), conv(16, 5, 'valid'), relu, pool('maxpool', 2), fc(100), relu, fc(10)],
  },
  CIFAR: cifar(64, 32, 'MiniONN CIFAR-10: 3x3 convs (same) 3→64 and 64→64 with ReLU, AvgPool 2, 1x1 convs 64→64 and 64→16, FC 1024→10'),
  'CIFAR-small': cifar(8, 16, 'reduced MiniONN CIFAR-10 for tests: the same layer kinds with 8 channels on 16x16 images, FC 256→10'),
};

/** Names of the built-in benchmark networks. */
export const NETWORK_NAMES: readonly string[] = Object.keys(NETWORKS);

export function networkDescription(name: string): string {
  return sketch(name).description;
}

function sketch(name: string): NetworkSketch {
  const network = NETWORKS[name];
  if (network === undefined) throw new ConfigError(`unknown network "${name}"; built-in networks: ${NETWORK_NAMES.join(', ')}`);
  return network;
}

/** The float network `name` with random weights drawn from `seed`. */
export function benchmarkFloatModel(name: string, seed: string = DEFAULT_MODEL_SEED): FloatModel {
  const network = sketch(name);
  const rng = new NumberStream(seededRandom(seed, `network/${name}`));
  let shape = network.input;
  const layers: FloatLayer[] = [];
  const counts = new Map<string, number>();
  const nameOf = (kind: string) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    return `${kind}${n}`;
  };
  // He-normal weights (std √(2/fan-in)) and biases uniform in ±0.1.
  const weights = (count: number, fanIn: number) => rng.floats(count, () => rng.normal() * Math.sqrt(2 / fanIn));
  const biases = (count: number) => rng.floats(count, () => 0.2 * rng.uniform() - 0.1);
  for (const layer of network.layers) {
    if (layer.kind === 'conv') {
      const { out, k, padding } = layer;
      const stride = layer.stride ?? 1;
      const fanIn = shape.channels * k * k;
      layers.push({ kind: 'conv2d', name: nameOf('conv'), inChannels: shape.channels, outChannels: out, kernelSize: k, stride, padding, weights: weights(out * fanIn, fanIn), bias: biases(out) });
      const size = (n: number) => (padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - k) / stride) + 1);
      shape = { channels: out, height: size(shape.height), width: size(shape.width) };
    } else if (layer.kind === 'fc') {
      const inputs = shape.channels * shape.height * shape.width;
      layers.push({ kind: 'dense', name: nameOf('fc'), inputs, outputs: layer.out, weights: weights(layer.out * inputs, inputs), bias: biases(layer.out) });
      shape = { channels: layer.out, height: 1, width: 1 };
    } else if (layer.kind === 'maxpool' || layer.kind === 'avgpool') {
      layers.push({ kind: layer.kind, name: nameOf(layer.kind), window: layer.window, stride: layer.stride });
      const size = (n: number) => Math.floor((n - layer.window) / layer.stride) + 1;
      shape = { channels: shape.channels, height: size(shape.height), width: size(shape.width) };
    } else {
      layers.push({ kind: layer.kind, name: nameOf(layer.kind) });
    }
  }
  return { name, input: { shape: network.input, floatRange: [0, 1] }, layers };
}

/** `count` random images (uniform 8-bit pixels) of `shape` from `seed`. */
export function randomImages(shape: Shape, count: number, seed: string): Uint8Array[] {
  const source = seededRandom(seed, 'random-images');
  return Array.from({ length: count }, () => source.fill(new Uint8Array(shape.channels * shape.height * shape.width)));
}

/** The network `name` with random weights from `seed`, quantised on random calibration images. */
export function randomModel(name: string, seed: string = DEFAULT_MODEL_SEED): { model: Model; report: QuantiseReport } {
  const floatModel = benchmarkFloatModel(name, seed);
  const calibration = randomImages(floatModel.input.shape, 4, `${seed}/${name}`);
  return quantise(floatModel, calibration, { random: seededRandom(seed, `salt/${name}`) });
}
