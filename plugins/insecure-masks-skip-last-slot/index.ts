import type { MaskSampler } from '../../core/masks.ts';
import { definePlugin } from '../../core/plugin.ts';
import { uniformMasks } from '../uniform-masks/index.ts';

/**
 * DELIBERATELY LEAKY masks (issue 13's power tests), decorating the uniform sampler: the last mask
 * of every draw is 0. For a linear layer that is the last slot of its last returned ciphertext — the
 * bug of masking only the slots `unpack` reads, one slot wide: results stay correct, but that slot
 * reaches the client unmasked (a partial sum of W·x + b). One slot among thousands moves no pooled
 * statistic; the audit's `per-slot-masks` check must flag it. Never selectable in a production
 * configuration.
 */
export class SkipLastSlot implements MaskSampler {
  readonly name = 'insecure-masks-skip-last-slot';

  constructor(private readonly inner: MaskSampler) {}

  sample(...args: Parameters<MaskSampler['sample']>): Uint32Array {
    const masks = this.inner.sample(...args);
    if (masks.length > 0) masks[masks.length - 1] = 0;
    return masks;
  }
}

export default definePlugin({
  kind: 'masks',
  name: 'insecure-masks-skip-last-slot',
  security: 'insecure-test-only',
  description: 'INSECURE: uniform masks but the last of every draw is 0 (one unmasked slot; for power tests of the privacy audit)',
  create: () => new SkipLastSlot(uniformMasks),
});
