/** The linear layers of the design's §8 benchmark networks, and the three layers the `he` bench times. */
import type { LinearSpec } from '../../core/linear.ts';

export interface NamedLayer {
  readonly name: string;
  readonly spec: LinearSpec;
}

const dense = (inputs: number, outputs: number): LinearSpec => ({ kind: 'dense', inputs, outputs });
const conv = (inChannels: number, outChannels: number, size: number, kernelSize: number, stride: number, padding: 'same' | 'valid'): LinearSpec => ({
  kind: 'conv2d', inChannels, outChannels, height: size, width: size, kernelSize, stride, padding,
});

export const BENCHMARK_LAYERS: readonly NamedLayer[] = [
  { name: 'A: FC 784→128', spec: dense(784, 128) },
  { name: 'A: FC 128→128', spec: dense(128, 128) },
  { name: 'A: FC 128→10', spec: dense(128, 10) },
  { name: 'B: Conv 5x5 1→5 stride 2 pad 2, 28x28', spec: conv(1, 5, 28, 5, 2, 'same') },
  { name: 'B: FC 980→100', spec: dense(980, 100) },
  { name: 'B: FC 100→10', spec: dense(100, 10) },
  { name: 'D: Conv 5x5 1→16, 28x28', spec: conv(1, 16, 28, 5, 1, 'valid') },
  { name: 'D: Conv 5x5 16→16, 12x12', spec: conv(16, 16, 12, 5, 1, 'valid') },
  { name: 'D: FC 256→100', spec: dense(256, 100) },
  { name: 'CIFAR: Conv 3x3 3→64, 32x32', spec: conv(3, 64, 32, 3, 1, 'same') },
  { name: 'CIFAR: Conv 3x3 64→64, 32x32', spec: conv(64, 64, 32, 3, 1, 'same') },
  { name: 'CIFAR: Conv 3x3 64→64, 16x16', spec: conv(64, 64, 16, 3, 1, 'same') },
  { name: 'CIFAR: Conv 3x3 64→64, 8x8', spec: conv(64, 64, 8, 3, 1, 'same') },
  { name: 'CIFAR: Conv 1x1 64→64, 8x8', spec: conv(64, 64, 8, 1, 1, 'same') },
  { name: 'CIFAR: Conv 1x1 64→16, 8x8', spec: conv(64, 16, 8, 1, 1, 'same') },
  { name: 'CIFAR: FC 1024→10', spec: dense(1024, 10) },
];

/** Timed by `npx gazelle bench he`. */
export const TIMED_LAYERS: readonly NamedLayer[] = [
  { name: 'FC 784→128', spec: dense(784, 128) },
  { name: 'Conv 5x5 1→16, 28x28, same', spec: conv(1, 16, 28, 5, 1, 'same') },
  { name: 'Conv 3x3 64→64, 32x32, same', spec: conv(64, 64, 32, 3, 1, 'same') },
];
