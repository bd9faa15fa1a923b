/**
 * The linear layers of the design's §8 benchmark networks (in network order), and the three layers
 * the `he` bench times on their own.
 */
import type { LinearSpec } from '../../core/linear.ts';

export interface NamedLayer {
  readonly name: string;
  readonly spec: LinearSpec;
}

const dense = (inputs: number, outputs: number): LinearSpec => ({ kind: 'dense', inputs, outputs });
const conv = (inChannels: number, outChannels: number, size: number, kernelSize: number, stride: number, padding: 'same' | 'valid'): LinearSpec => ({
  kind: 'conv2d', inChannels, outChannels, height: size, width: size, kernelSize, stride, padding,
});

/** Every linear layer of each network, in order (MiniONN's CIFAR-10: two 3x3 convs per resolution, then 1x1 convs). */
export const NETWORK_LAYERS: Readonly<Record<'A' | 'B' | 'D' | 'CIFAR', readonly NamedLayer[]>> = {
  A: [
    { name: 'FC 784→128', spec: dense(784, 128) },
    { name: 'FC 128→128', spec: dense(128, 128) },
    { name: 'FC 128→10', spec: dense(128, 10) },
  ],
  B: [
    { name: 'Conv 5x5 1→5 stride 2 pad 2, 28x28', spec: conv(1, 5, 28, 5, 2, 'same') },
    { name: 'FC 980→100', spec: dense(980, 100) },
    { name: 'FC 100→10', spec: dense(100, 10) },
  ],
  D: [
    { name: 'Conv 5x5 1→16, 28x28', spec: conv(1, 16, 28, 5, 1, 'valid') },
    { name: 'Conv 5x5 16→16, 12x12', spec: conv(16, 16, 12, 5, 1, 'valid') },
    { name: 'FC 256→100', spec: dense(256, 100) },
    { name: 'FC 100→10', spec: dense(100, 10) },
  ],
  CIFAR: [
    { name: 'Conv 3x3 3→64, 32x32', spec: conv(3, 64, 32, 3, 1, 'same') },
    { name: 'Conv 3x3 64→64, 32x32', spec: conv(64, 64, 32, 3, 1, 'same') },
    { name: 'Conv 3x3 64→64, 16x16', spec: conv(64, 64, 16, 3, 1, 'same') },
    { name: 'Conv 3x3 64→64, 16x16 (second)', spec: conv(64, 64, 16, 3, 1, 'same') },
    { name: 'Conv 3x3 64→64, 8x8', spec: conv(64, 64, 8, 3, 1, 'same') },
    { name: 'Conv 1x1 64→64, 8x8', spec: conv(64, 64, 8, 1, 1, 'valid') },
    { name: 'Conv 1x1 64→16, 8x8', spec: conv(64, 16, 8, 1, 1, 'valid') },
    { name: 'FC 1024→10', spec: dense(1024, 10) },
  ],
};

/** The networks' distinct layers, named "<network>: <layer>". */
export const BENCHMARK_LAYERS: readonly NamedLayer[] = Object.entries(NETWORK_LAYERS).flatMap(([network, layers]) =>
  layers.filter((l, i) => layers.findIndex((m) => JSON.stringify(m.spec) === JSON.stringify(l.spec)) === i).map((l) => ({ name: `${network}: ${l.name}`, spec: l.spec })),
);

/** Timed by `npx gazelle bench he`. */
export const TIMED_LAYERS: readonly NamedLayer[] = [
  { name: 'FC 784→128', spec: dense(784, 128) },
  { name: 'Conv 5x5 1→16, 28x28, same', spec: conv(1, 16, 28, 5, 1, 'same') },
  { name: 'Conv 3x3 64→64, 32x32, same', spec: conv(64, 64, 32, 3, 1, 'same') },
];
