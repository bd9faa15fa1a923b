import type { MaskSampler } from '../../core/masks.ts';
import { definePlugin } from '../../core/plugin.ts';
import { uniformMasks } from '../uniform-masks/index.ts';

/**
 * DELIBERATELY LEAKY masks (design §7d), decorating the uniform sampler: the first masks drawn are
 * kept and handed out again for every later layer (their first `count` values, repeated as needed),
 * the bug of a mask buffer sampled once and reused. Each share is still uniform on its own, but two
 * layers' shares c'_1 = y_1 − r and c'_2 = y_2 − r differ by y_1 − y_2, which is small: the audit's
 * `independent-shares` check must flag it. Never selectable in a production configuration.
 */
export class ReusedMasks implements MaskSampler {
  readonly name = 'insecure-masks-reused';
  #first: Uint32Array | undefined;

  constructor(private readonly inner: MaskSampler) {}

  sample(...[random, count, p]: Parameters<MaskSampler['sample']>): Uint32Array {
    this.#first ??= this.inner.sample(random, count, p);
    const first = this.#first;
    return Uint32Array.from({ length: count }, (_, i) => first[i % first.length]!);
  }
}

export default definePlugin({
  kind: 'masks',
  name: 'insecure-masks-reused',
  security: 'insecure-test-only',
  description: 'INSECURE: the first masks drawn are reused for every later layer (for power tests of the privacy audit)',
  create: () => new ReusedMasks(uniformMasks),
});
