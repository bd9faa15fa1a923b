/** fast-check generators of layer shapes, shared by the kernel tests (plaintext double and seal-bfv). */
import fc from 'fast-check';
import type { Conv2dSpec } from '../../core/linear.ts';

export interface ConvShapeRanges {
  readonly channels: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly kernelSizes: readonly number[];
  readonly strides: readonly number[];
}

/** Conv shapes within `ranges` (non-powers of two included); "valid" only where the kernel fits. */
export function convShape(ranges: ConvShapeRanges): fc.Arbitrary<Conv2dSpec> {
  const size = fc.integer({ min: ranges.minSize, max: ranges.maxSize });
  return fc
    .record({
      kind: fc.constant('conv2d' as const),
      inChannels: fc.integer({ min: 1, max: ranges.channels }),
      outChannels: fc.integer({ min: 1, max: ranges.channels }),
      height: size,
      width: size,
      kernelSize: fc.constantFrom(...ranges.kernelSizes),
      stride: fc.constantFrom(...ranges.strides),
      padding: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
    })
    .filter((s) => s.padding === 'same' || s.kernelSize <= Math.min(s.height, s.width));
}
