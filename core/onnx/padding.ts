/**
 * ONNX spatial padding (`auto_pad`, `pads`, a folded `Pad` node) reduced to what the model format
 * has: a convolution pads `same` ((k−1)/2 zeros before each row and column, output ⌈H/s⌉) or
 * `valid` (none); a pool never pads. Padding after the last row only matters through the output
 * size, so explicit pads "reduce" when the padding before and the output size agree.
 */
import { poolOutputSize } from '../model/validate.ts';

/** Zeros added before and after each spatial axis: ONNX's [top, left, bottom, right]. */
export interface Pads {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

export const NO_PADS: Pads = { top: 0, left: 0, bottom: 0, right: 0 };

export function addPads(a: Pads, b: Pads): Pads {
  return { top: a.top + b.top, left: a.left + b.left, bottom: a.bottom + b.bottom, right: a.right + b.right };
}

export function formatPads(p: Pads): string {
  return `[top ${p.top}, left ${p.left}, bottom ${p.bottom}, right ${p.right}]`;
}

/** Explicit pads from ONNX's `auto_pad` and `pads` attributes, or a message saying what is wrong. */
export function explicitPads(autoPad: string, pads: readonly number[] | undefined, kernel: number, stride: number, height: number, width: number): Pads | string {
  switch (autoPad) {
    case 'NOTSET': {
      if (pads === undefined) return NO_PADS;
      if (pads.length !== 4 || pads.some((p) => !Number.isSafeInteger(p) || p < 0)) return `pads [${pads.join(', ')}] must be four non-negative integers`;
      return { top: pads[0]!, left: pads[1]!, bottom: pads[2]!, right: pads[3]! };
    }
    case 'VALID':
      return NO_PADS;
    case 'SAME_UPPER':
    case 'SAME_LOWER': {
      // ONNX: output ⌈in/s⌉, total padding max((out−1)·s + k − in, 0); SAME_UPPER puts the odd one at the end.
      const axis = (size: number): [number, number] => {
        const total = Math.max((Math.ceil(size / stride) - 1) * stride + kernel - size, 0);
        const before = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
        return [before, total - before];
      };
      const [top, bottom] = axis(height);
      const [left, right] = axis(width);
      return { top, left, bottom, right };
    }
    default:
      return `auto_pad "${autoPad}" is not an ONNX padding mode (NOTSET, VALID, SAME_UPPER, SAME_LOWER)`;
  }
}

/**
 * ONNX's output size of a window of `kernel` every `stride` over `size` padded by `before` and
 * `after`. With ceil_mode a last window that would start past the input (in the end padding) is
 * dropped, as in onnxruntime and PyTorch.
 */
function onnxOutputSize(size: number, before: number, after: number, kernel: number, stride: number, ceilMode: boolean): number {
  const span = (size + before + after - kernel) / stride;
  if (!ceilMode) return Math.floor(span) + 1;
  const out = Math.ceil(span) + 1;
  return (out - 1) * stride >= size + before ? out - 1 : out;
}

function matches(pads: Pads, before: number, out: (size: number) => number, kernel: number, stride: number, height: number, width: number, ceilMode: boolean): boolean {
  return (
    pads.top === before &&
    pads.left === before &&
    onnxOutputSize(height, pads.top, pads.bottom, kernel, stride, ceilMode) === out(height) &&
    onnxOutputSize(width, pads.left, pads.right, kernel, stride, ceilMode) === out(width)
  );
}

const validSize = (kernel: number, stride: number) => (size: number) => poolOutputSize(size, kernel, stride);

/** The convolution padding `pads` amounts to, if any. */
export function convPadding(pads: Pads, kernel: number, stride: number, height: number, width: number): 'same' | 'valid' | undefined {
  if (matches(pads, 0, validSize(kernel, stride), kernel, stride, height, width, false)) return 'valid';
  if (kernel % 2 === 1 && matches(pads, (kernel - 1) / 2, (size) => Math.ceil(size / stride), kernel, stride, height, width, false)) return 'same';
  return undefined;
}

/** Whether a pool with these pads (and ceil_mode) is the format's unpadded pool. */
export function poolIsUnpadded(pads: Pads, kernel: number, stride: number, height: number, width: number, ceilMode: boolean): boolean {
  return matches(pads, 0, validSize(kernel, stride), kernel, stride, height, width, ceilMode);
}
