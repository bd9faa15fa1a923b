/**
 * Pooling over each channel of a C×H×W tensor: max or sum over windows every `stride` pixels, no
 * padding (architecture.ts). Shared by the integer reference (maxpool, sumpool) and float inference
 * (maxpool, avgpool and global average pool as sums divided by the window's area).
 */
import type { Shape } from './architecture.ts';
import { poolOutputSize } from './validate.ts';

export interface PoolWindow {
  readonly height: number;
  readonly width: number;
  readonly stride: number;
}

/** Max or sum over each window; the output is C × ⌊(H − h)/stride⌋+1 × ⌊(W − w)/stride⌋+1. */
export function poolApply(kind: 'max' | 'sum', x: ArrayLike<number>, shape: Shape, window: PoolWindow): Float64Array {
  const { channels, height: h, width: w } = shape;
  const outH = poolOutputSize(h, window.height, window.stride);
  const outW = poolOutputSize(w, window.width, window.stride);
  const y = new Float64Array(channels * outH * outW);
  for (let c = 0; c < channels; c++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let acc = kind === 'max' ? -Infinity : 0;
        for (let ky = 0; ky < window.height; ky++) {
          const row = (c * h + oy * window.stride + ky) * w + ox * window.stride;
          for (let kx = 0; kx < window.width; kx++) acc = kind === 'max' ? Math.max(acc, x[row + kx]!) : acc + x[row + kx]!;
        }
        y[(c * outH + oy) * outW + ox] = acc;
      }
    }
  }
  return y;
}

/** A square window moving by `stride`. */
export function squareWindow(window: number, stride: number): PoolWindow {
  return { height: window, width: window, stride };
}
