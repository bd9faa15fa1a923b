/**
 * Mask sampling, a plugin kind of its own because that is where the classic share-conversion bugs
 * live (an unmasked share, a mask reused across layers, a biased mask from `% p` on raw bytes): the
 * privacy audit puts deliberately broken samplers under test through this interface (issue 13).
 */
import type { RandomSource } from './random.ts';

export interface MaskSampler {
  readonly name: string;
  /** `count` masks, each uniform in [0, p) and independent of everything else, drawn from `random`. */
  sample(random: RandomSource, count: number, p: number): Uint32Array;
}
